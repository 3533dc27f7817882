import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ObjectStoreError } from '../errors.js';
import type { ObjectStore, OpenedObject } from './ObjectStore.js';

/**
 * The object-store port over Amazon S3.
 *
 * @example
 * const store = new S3ObjectStore(new S3Client({}));
 * const { body, etag } = await store.open('landing', 'dvault/file-1');
 */
export class S3ObjectStore implements ObjectStore {
  readonly #client: S3Client;

  /** @param client the S3 client every call goes through */
  constructor(client: S3Client) {
    this.#client = client;
  }

  async open(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<OpenedObject> {
    const response = await this.#client
      .send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          VersionId: versionId,
        }),
      )
      .catch((cause: unknown) => {
        throw new ObjectStoreError(`Cannot open s3://${bucket}/${key}.`, {
          cause,
        });
      });
    if (response.Body === undefined) {
      throw new ObjectStoreError(
        `s3://${bucket}/${key} came back without a body.`,
      );
    }
    return {
      body: response.Body as Readable,
      etag: response.ETag?.replaceAll('"', ''),
      versionId: response.VersionId,
      size: response.ContentLength,
    };
  }

  async put(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    contentType = 'application/x-ndjson',
  ) {
    await this.#client
      .send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
        }),
      )
      .catch((cause: unknown) => {
        throw new ObjectStoreError(`Cannot write s3://${bucket}/${key}.`, {
          cause,
        });
      });
  }

  async *list(bucket: string, prefix: string): AsyncIterable<string> {
    const pages = paginateListObjectsV2(
      { client: this.#client },
      { Bucket: bucket, Prefix: prefix },
    );
    for await (const page of pages) {
      for (const item of page.Contents ?? []) {
        if (item.Key !== undefined) yield item.Key;
      }
    }
  }
}
