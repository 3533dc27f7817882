import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  KinesisClient,
  type PutRecordsCommandInput,
  type PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import type { S3Event } from 'aws-lambda';
import type { ObjectStore, OpenedObject } from '../schemas/index.js';
import { chunksOf } from './producer-corpus.js';

/** An object store in memory, for benchmarks that must not touch disk. */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, Buffer>();

  async open(bucket: string, key: string): Promise<OpenedObject> {
    const bytes = this.objects.get(`${bucket}/${key}`);
    if (bytes === undefined) throw new Error(`No object ${bucket}/${key}.`);
    return {
      body: Readable.from(chunksOf(bytes)),
      etag: createHash('md5').update(bytes).digest('hex'),
      size: bytes.length,
    };
  }

  async put(bucket: string, key: string, body: string | Uint8Array) {
    this.objects.set(`${bucket}/${key}`, Buffer.from(body));
  }

  async *list(bucket: string, prefix: string): AsyncIterable<string> {
    for (const name of this.objects.keys()) {
      const key = name.slice(bucket.length + 1);
      if (name.startsWith(`${bucket}/`) && key.startsWith(prefix)) yield key;
    }
  }
}

/** What a counting client saw for one stream. */
export interface StreamTally {
  calls: number;
  records: number;
  /** Data plus partition key bytes, as Kinesis counts them. */
  bytes: number;
}

/**
 * A real `KinesisClient` whose PutRecords calls never leave the process:
 * a middleware at the first step counts each call and answers it as
 * Kinesis would when every record is accepted.
 */
export function countingKinesisClient(): {
  client: KinesisClient;
  streams: Map<string, StreamTally>;
} {
  const streams = new Map<string, StreamTally>();
  const client = new KinesisClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  client.middlewareStack.add(
    () => async (args) => {
      const input = args.input as PutRecordsCommandInput;
      const records = input.Records ?? [];
      const tally = streams.get(input.StreamName ?? '') ?? {
        calls: 0,
        records: 0,
        bytes: 0,
      };
      tally.calls++;
      tally.records += records.length;
      for (const record of records) {
        tally.bytes +=
          (record.Data?.byteLength ?? 0) +
          Buffer.byteLength(record.PartitionKey ?? '');
      }
      streams.set(input.StreamName ?? '', tally);
      const output: PutRecordsCommandOutput = {
        $metadata: { httpStatusCode: 200 },
        FailedRecordCount: 0,
        Records: records.map((_, at) => ({
          ShardId: 'shardId-000000000000',
          SequenceNumber: String(at),
        })),
      };
      return { output, response: {} } as never;
    },
    { step: 'initialize', name: 'benchCountingKinesis' },
  );
  return { client, streams };
}

/** The notification S3 would send for one object put in a bucket. */
export function landedEvent(bucket: string, key: string): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:BENCH' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': 'BENCH',
          'x-amz-id-2': 'BENCH',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'bench',
          bucket: {
            name: bucket,
            ownerIdentity: { principalId: 'BENCH' },
            arn: `arn:aws:s3:::${bucket}`,
          },
          object: {
            key: encodeURIComponent(key).replaceAll('%2F', '/'),
            size: 0,
            eTag: 'bench',
            sequencer: '00',
          },
        },
      },
    ],
  };
}
