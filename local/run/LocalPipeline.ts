import { stat } from 'node:fs/promises';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createProducerHandler } from '../../producer/createProducerHandler.js';
import {
  DEFAULT_RESOURCE_PREFIX,
  DirectoryObjectStore,
  type Log,
  resourceNameFor,
  SILENT_LOG,
  TABLES,
  type TableSpec,
} from '../../schemas/index.js';
import { createTransformerHandler } from '../../transformer/createTransformerHandler.js';
import { FailureKind, LAKE_BUCKET } from '../constants.js';
import { DirectorySink } from '../firehose/DirectorySink.js';
import { LocalDeliveryStream } from '../firehose/LocalDeliveryStream.js';
import { ParquetWriter } from '../firehose/ParquetWriter.js';
import { EmbeddedKinesis } from '../kinesis/EmbeddedKinesis.js';
import { openDuckDb } from '../lake/openDuckDb.js';
import { lambdaContext } from '../lambdaContext.js';
import { DirtyTallyStore } from './DirtyTallyStore.js';
import { s3PutEvent } from './s3PutEvent.js';

/** What a local pipeline is made of. */
export interface LocalPipelineOptions {
  /** The lake folder: bucket `lake`, paths equal to S3 keys. */
  lakeDir: string;
  /** Landing buckets and the folder each stands for. */
  landing: Record<string, string>;
  /** Delivery buffer size, bytes. */
  bufferBytes?: number;
  /** Delivery buffer interval, milliseconds. */
  bufferMs?: number;
  pollMs?: number;
  shardCount?: number;
  tables?: readonly TableSpec[];
  log?: Log;
}

/** Where a run stands. */
export interface PipelineProgress {
  /** Files the producer finished with. */
  files: number;
  /** Events the producer found in them. */
  events: number;
  /** Records put to Kinesis. */
  recordsPut: number;
  /** Records read back by the delivery streams. */
  recordsRead: number;
  /** Rows written to Parquet, per table. */
  clean: Record<string, number>;
  /** Dirty and failed records, per kind. */
  dirty: Record<string, number>;
}

/**
 * The whole pipeline on one machine: an embedded Kinesis with a stream per
 * table, the real producer handler fed genuine S3 notifications, a local
 * delivery stream per table calling the real transformer handler, and a
 * lake folder receiving Parquet, dirty and error objects.
 *
 * @example
 * const pipeline = await LocalPipeline.start({ lakeDir, landing: { landing: dir } });
 * await pipeline.land('landing', 'dvault-file-1');
 * await pipeline.drain();
 * console.log(pipeline.progress());
 * await pipeline.close();
 */
export class LocalPipeline {
  readonly #kinesis: EmbeddedKinesis;
  readonly #store: DirectoryObjectStore;
  readonly #lake: DirtyTallyStore;
  readonly #streams: LocalDeliveryStream[];
  readonly #producer: ReturnType<typeof createProducerHandler>;
  readonly #duck: DuckDBInstance;
  readonly #connections: DuckDBConnection[];
  readonly #writers: ParquetWriter[];
  readonly #putCounter: { records: number };
  #files = 0;
  #events = 0;

  private constructor(parts: PipelineParts) {
    this.#kinesis = parts.kinesis;
    this.#store = parts.store;
    this.#lake = parts.lake;
    this.#streams = parts.streams;
    this.#producer = parts.producer;
    this.#duck = parts.duck;
    this.#connections = parts.connections;
    this.#writers = parts.writers;
    this.#putCounter = parts.putCounter;
  }

  /** Starts Kinesis, the streams and the delivery streams. */
  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const parts = await assemble(options);
    await Promise.all(parts.streams.map((stream) => stream.start()));
    return new LocalPipeline(parts);
  }

  /**
   * Lands one object: sends the producer the notification S3 would send
   * for it, and resolves once the producer is done with the file.
   *
   * @param bucket a landing bucket the pipeline was given
   * @param key the object's key in it
   */
  async land(bucket: string, key: string): Promise<void> {
    const info = await stat(this.#store.pathOf(bucket, key));
    const etag = `${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}`;
    const event = s3PutEvent({ bucket, key, size: info.size, etag });
    const summary = await this.#producer(
      event,
      lambdaContext('dvault-producer'),
    );
    this.#files += summary.files;
    this.#events += summary.events;
  }

  /** Resolves once every record put so far is delivered to the lake. */
  async drain(): Promise<void> {
    await Promise.all(this.#streams.map((stream) => stream.drain()));
  }

  /** The counts so far. */
  progress(): PipelineProgress {
    const dirty = this.#lake.counts();
    const clean: Record<string, number> = {};
    let read = 0;
    for (const stream of this.#streams) {
      const stats = stream.stats();
      clean[stream.table] = stats.clean;
      read += stats.read;
      add(dirty, FailureKind.ProcessingFailed, stats.processingFailed);
      add(
        dirty,
        FailureKind.FormatConversionFailed,
        stats.formatConversionFailed,
      );
    }
    return {
      files: this.#files,
      events: this.#events,
      recordsPut: this.#putCounter.records,
      recordsRead: read,
      clean,
      dirty,
    };
  }

  /** Delivers what is buffered and stops everything. */
  async close(): Promise<void> {
    await Promise.all(this.#streams.map((stream) => stream.stop()));
    await this.#kinesis.close();
    await Promise.all(this.#writers.map((writer) => writer.close()));
    for (const connection of this.#connections) connection.closeSync();
    this.#duck.closeSync();
  }
}

interface PipelineParts {
  kinesis: EmbeddedKinesis;
  store: DirectoryObjectStore;
  lake: DirtyTallyStore;
  streams: LocalDeliveryStream[];
  producer: ReturnType<typeof createProducerHandler>;
  duck: DuckDBInstance;
  connections: DuckDBConnection[];
  writers: ParquetWriter[];
  putCounter: { records: number };
}

async function assemble(options: LocalPipelineOptions): Promise<PipelineParts> {
  const tables = options.tables ?? TABLES;
  const log = options.log ?? SILENT_LOG;
  const kinesis = await EmbeddedKinesis.start();
  const names = tables.map((table) => resourceNameFor(table.name));
  await kinesis.createStreams(names, options.shardCount);
  const putCounter = countPuts(kinesis.client);
  const store = new DirectoryObjectStore({
    ...options.landing,
    [LAKE_BUCKET]: options.lakeDir,
  });
  const lake = new DirtyTallyStore(store);
  const duck = await openDuckDb();
  const connections = await Promise.all(tables.map(() => duck.connect()));
  const writers = await Promise.all(
    connections.map((c) => ParquetWriter.open(c)),
  );
  const transform = createTransformerHandler({
    store: lake,
    lakeBucket: LAKE_BUCKET,
  });
  const streams = tables.map(
    (table, index) =>
      new LocalDeliveryStream({
        kinesis: kinesis.client,
        streamName: resourceNameFor(table.name),
        streamArn: kinesis.streamArn(resourceNameFor(table.name)),
        table,
        transform,
        sink: new DirectorySink(
          store,
          LAKE_BUCKET,
          writers[index] as ParquetWriter,
        ),
        bufferBytes: options.bufferBytes,
        bufferMs: options.bufferMs,
        pollMs: options.pollMs,
        log,
      }),
  );
  const producer = createProducerHandler({
    kinesis: kinesis.client,
    store: lake,
    lakeBucket: LAKE_BUCKET,
    streamPrefix: DEFAULT_RESOURCE_PREFIX,
    log,
  });
  return {
    kinesis,
    store,
    lake,
    streams,
    producer,
    duck,
    connections,
    writers,
    putCounter,
  };
}

/** Counts the records Kinesis accepted, from PutRecords responses. */
function countPuts(client: KinesisClient): { records: number } {
  const counter = { records: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'PutRecordsCommand') {
        const output = result.output as { Records?: { ErrorCode?: string }[] };
        counter.records += (output.Records ?? []).filter(
          (r) => !r.ErrorCode,
        ).length;
      } else if (context.commandName === 'PutRecordCommand') {
        counter.records += 1;
      }
      return result;
    },
    { step: 'initialize', name: 'dvaultCountPuts' },
  );
  return counter;
}

function add(counts: Record<string, number>, kind: string, n: number) {
  if (n > 0) counts[kind] = (counts[kind] ?? 0) + n;
}
