import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { EmbeddedKinesis } from '../../local/kinesis/EmbeddedKinesis.js';

/** One record read back from a stream. */
export interface ReadRecord {
  partitionKey: string;
  data: string;
}

/** A kinesalite server for one test file, with its streams created. */
export interface TestKinesis {
  kinesis: EmbeddedKinesis;
  /** Every record of a stream, all shards, oldest first per shard. */
  readStream(name: string): Promise<ReadRecord[]>;
  close(): Promise<void>;
}

/**
 * Starts kinesalite inside the test process on a free loopback port (the
 * local runner's `EmbeddedKinesis`), creates the streams, and reads them
 * back from the horizon. Close it in `afterAll`.
 *
 * @example
 * const kinesalite = await startKinesalite(['dvault-ste_event']);
 * const records = await kinesalite.readStream('dvault-ste_event');
 */
export async function startKinesalite(
  streams: readonly string[],
  shardCount = 2,
): Promise<TestKinesis> {
  const kinesis = await EmbeddedKinesis.start();
  await kinesis.createStreams(streams, shardCount);
  return {
    kinesis,
    readStream: (name) => readStream(kinesis, name),
    close: () => kinesis.close(),
  };
}

async function readStream(
  kinesis: EmbeddedKinesis,
  name: string,
): Promise<ReadRecord[]> {
  const { Shards: shards = [] } = await kinesis.client.send(
    new ListShardsCommand({ StreamName: name }),
  );
  const records: ReadRecord[] = [];
  for (const shard of shards) {
    records.push(...(await readShard(kinesis, name, shard.ShardId ?? '')));
  }
  return records;
}

async function readShard(
  kinesis: EmbeddedKinesis,
  name: string,
  shardId: string,
): Promise<ReadRecord[]> {
  const { ShardIterator: first } = await kinesis.client.send(
    new GetShardIteratorCommand({
      StreamName: name,
      ShardId: shardId,
      ShardIteratorType: ShardIteratorType.TRIM_HORIZON,
    }),
  );
  const records: ReadRecord[] = [];
  let iterator = first;
  while (iterator !== undefined) {
    const page = await kinesis.client.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }),
    );
    const batch = page.Records ?? [];
    if (batch.length === 0) break;
    for (const record of batch) {
      records.push({
        partitionKey: record.PartitionKey ?? '',
        data: Buffer.from(record.Data ?? []).toString('utf8'),
      });
    }
    iterator = page.NextShardIterator;
  }
  return records;
}
