import type { Readable } from 'node:stream';

/** An object opened for reading, with what identifies its version. */
export interface OpenedObject {
  body: Readable;
  /** The object's entity tag, without quotes, when the store has one. */
  etag?: string;
  versionId?: string;
  size?: number;
}

/**
 * The object-store port: S3 in AWS, a directory on one machine. Keys are S3
 * keys in both, so the lake's paths equal the keys Firehose would write.
 */
export interface ObjectStore {
  /** Opens an object for streaming; rejects when it does not exist. */
  open(bucket: string, key: string, versionId?: string): Promise<OpenedObject>;
  /** Writes (or overwrites) a whole object. */
  put(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    contentType?: string,
  ): Promise<void>;
  /** Lists the keys under a prefix, in no particular order. */
  list(bucket: string, prefix: string): AsyncIterable<string>;
}
