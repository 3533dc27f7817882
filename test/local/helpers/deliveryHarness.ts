import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { LAKE_BUCKET } from '../../../local/constants.js';
import { DirectorySink } from '../../../local/firehose/DirectorySink.js';
import type { DeliverySink } from '../../../local/firehose/deliverBatch.js';
import {
  LocalDeliveryStream,
  type LocalDeliveryStreamOptions,
} from '../../../local/firehose/LocalDeliveryStream.js';
import { ParquetWriter } from '../../../local/firehose/ParquetWriter.js';
import type { TransformationHandler } from '../../../local/firehose/transformBatch.js';
import { EmbeddedKinesis } from '../../../local/kinesis/EmbeddedKinesis.js';
import { openDuckDb } from '../../../local/lake/openDuckDb.js';
import type { Column } from '../../../schemas/ColumnType.js';
import { DirectoryObjectStore } from '../../../schemas/ports/DirectoryObjectStore.js';

/** A table small enough to read in a test: every scalar kind, a nested list. */
export const TEST_COLUMNS: readonly Column[] = [
  { name: 'event_id', type: { kind: 'string' } },
  { name: 'count', type: { kind: 'int' } },
  { name: 'score', type: { kind: 'double' } },
  { name: 'seen_at', type: { kind: 'timestamp' } },
  { name: 'ok', type: { kind: 'boolean' } },
  {
    name: 'pairs',
    type: {
      kind: 'array',
      element: {
        kind: 'struct',
        fields: [
          { name: 'sentence', type: { kind: 'string' } },
          { name: 'score', type: { kind: 'double' } },
        ],
      },
    },
  },
];

/** A transformer that answers every record `Ok` with its data unchanged. */
export const passThrough: TransformationHandler = async (event) => ({
  records: event.records.map((record) => ({
    recordId: record.recordId,
    result: 'Ok',
    data: record.data,
  })),
});

/** A delivery stream over an embedded Kinesis, writing to a temporary lake. */
export interface DeliveryHarness {
  stream: LocalDeliveryStream;
  lake: string;
  /** Puts each text as one Kinesis record. */
  put(texts: readonly string[]): Promise<void>;
  /** Every row of the table's Parquet files, ordered by event_id. */
  cleanRows(): Promise<Record<string, unknown>[]>;
  /** Every line of the error objects of one type. */
  errorLines(type: string): Promise<Record<string, unknown>[]>;
  /** The lake's keys under a prefix. */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export const TEST_TABLE = 'test_table';

/** Starts the harness; options override the delivery stream's. */
export async function startDeliveryHarness(
  transform: TransformationHandler,
  options: Partial<LocalDeliveryStreamOptions> = {},
  wrapSink: (sink: DeliverySink) => DeliverySink = (sink) => sink,
  shards = 1,
): Promise<DeliveryHarness> {
  const kinesis = await EmbeddedKinesis.start();
  const streamName = `dvault-${TEST_TABLE}`;
  await kinesis.createStreams([streamName], shards);
  const lake = await mkdtemp(join(tmpdir(), 'dvault-lake-'));
  const duck = await openDuckDb();
  const connection = await duck.connect();
  const writer = await ParquetWriter.open(connection);
  const store = new DirectoryObjectStore({ [LAKE_BUCKET]: lake });
  const stream = new LocalDeliveryStream({
    kinesis: kinesis.client,
    streamName,
    streamArn: kinesis.streamArn(streamName),
    table: { name: TEST_TABLE, columns: TEST_COLUMNS },
    transform,
    sink: wrapSink(new DirectorySink(store, LAKE_BUCKET, writer)),
    pollMs: 20,
    bufferMs: 100,
    ...options,
  });
  await stream.start();
  return {
    stream,
    lake,
    put: (texts) => putTexts(kinesis, streamName, texts),
    cleanRows: () => readCleanRows(connection, lake),
    errorLines: (type) => readErrorLines(lake, type),
    keys: (prefix) => keysUnder(lake, prefix),
    close: () => closeAll(stream, kinesis, writer, connection, duck, lake),
  };
}

async function putTexts(
  kinesis: EmbeddedKinesis,
  streamName: string,
  texts: readonly string[],
) {
  for (let start = 0; start < texts.length; start += 500) {
    await kinesis.client.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: texts.slice(start, start + 500).map((text, index) => ({
          Data: Buffer.from(text),
          PartitionKey: `key-${start + index}`,
        })),
      }),
    );
  }
}

async function readCleanRows(connection: DuckDBConnection, lake: string) {
  const files = await keysUnder(lake, `clean/${TEST_TABLE}/`);
  if (files.length === 0) return [];
  const glob = join(lake, 'clean', TEST_TABLE, '*', '*.parquet');
  const reader = await connection.runAndReadAll(
    `SELECT * EXCLUDE (dt) FROM read_parquet('${glob}', hive_partitioning = true) ORDER BY event_id`,
  );
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

async function readErrorLines(lake: string, type: string) {
  const keys = await keysUnder(lake, `errors/${TEST_TABLE}/${type}/`);
  const texts = await Promise.all(
    keys.map((key) => readFile(join(lake, key), 'utf8')),
  );
  return texts
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function keysUnder(lake: string, prefix: string): Promise<string[]> {
  const entries = await readdir(lake, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(lake.length + 1))
    .filter((key) => key.startsWith(prefix))
    .sort();
}

async function closeAll(
  stream: LocalDeliveryStream,
  kinesis: EmbeddedKinesis,
  writer: ParquetWriter,
  connection: DuckDBConnection,
  duck: DuckDBInstance,
  lake: string,
) {
  await stream.stop();
  await kinesis.close();
  await writer.close();
  connection.closeSync();
  duck.closeSync();
  await rm(lake, { recursive: true, force: true });
}
