import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
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
import type { DeliveryStreamError } from '../errors.js';
import { DirectorySink } from '../firehose/DirectorySink.js';
import { LocalDeliveryStream } from '../firehose/LocalDeliveryStream.js';
import { ParquetWriter } from '../firehose/ParquetWriter.js';
import { EmbeddedKinesis } from '../kinesis/EmbeddedKinesis.js';
import { openDuckDb } from '../lake/openDuckDb.js';
import { DirtyTallyStore } from './DirtyTallyStore.js';
import { ProducerThread } from './ProducerThread.js';

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
  /** Called when a delivery stream gives up on a batch and stops. */
  onFailure?: (error: DeliveryStreamError) => void;
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
  /** Of those rows, the ones whose event carried unknown fields, per table. */
  unknownFields: Record<string, number>;
  /** Dirty and failed records, per kind. */
  dirty: Record<string, number>;
}

/**
 * The whole pipeline on one machine: an embedded Kinesis with a stream per
 * table, the real producer handler (on its own thread) fed genuine S3
 * notifications, a local delivery stream per table calling the real
 * transformer handler, and a lake folder receiving Parquet, dirty and
 * error objects.
 *
 * @example
 * const pipeline = await LocalPipeline.start({ lakeDir, landing: { landing: dir } });
 * await pipeline.land('landing', 'dvault-file-1');
 * await pipeline.drain();
 * console.log(pipeline.progress());
 * await pipeline.close();
 */
export class LocalPipeline {
  readonly #parts: PipelineParts;
  #files = 0;
  #events = 0;

  private constructor(parts: PipelineParts) {
    this.#parts = parts;
  }

  /** Starts Kinesis, the streams, the producer and the delivery streams. */
  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const parts = await assemble(options);
    await Promise.all(parts.streams.map((stream) => stream.start()));
    return new LocalPipeline(parts);
  }

  /**
   * Lands one object: the producer gets the notification S3 would send for
   * it, and this resolves once the producer is done with the file.
   *
   * @param bucket a landing bucket the pipeline was given
   * @param key the object's key in it
   */
  async land(bucket: string, key: string): Promise<void> {
    const landed = await this.#parts.producer.land(bucket, key);
    this.#files += landed.files;
    this.#events += landed.events;
  }

  /**
   * The embedded Kinesis's client, for putting records beside the
   * producer (a replay does); `drain` then waits for them too.
   */
  get kinesis(): KinesisClient {
    return this.#parts.kinesis.client;
  }

  /** Resolves once every record put so far is delivered to the lake. */
  async drain(): Promise<void> {
    await Promise.all(this.#parts.streams.map((stream) => stream.drain()));
  }

  /** The counts so far. */
  progress(): PipelineProgress {
    const { producer, lake, streams } = this.#parts;
    const dirty = merge(producer.dirty, lake.counts());
    const clean: Record<string, number> = {};
    const unknownFields: Record<string, number> = {};
    let read = 0;
    for (const stream of streams) {
      const stats = stream.stats();
      clean[stream.table] = stats.clean;
      unknownFields[stream.table] = stats.unknownFields;
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
      recordsPut: producer.recordsPut,
      recordsRead: read,
      clean,
      unknownFields,
      dirty,
    };
  }

  /** Delivers what is buffered and stops everything. */
  async close(): Promise<void> {
    const { streams, producer, kinesis, writers, connections, duck } =
      this.#parts;
    await Promise.all(streams.map((stream) => stream.stop()));
    await producer.close();
    await kinesis.close();
    await Promise.all(writers.map((writer) => writer.close()));
    for (const connection of connections) connection.closeSync();
    duck.closeSync();
  }
}

interface PipelineParts {
  kinesis: EmbeddedKinesis;
  producer: ProducerThread;
  /** The lake as the transformer writes it, counting dirty records. */
  lake: DirtyTallyStore;
  streams: LocalDeliveryStream[];
  duck: DuckDBInstance;
  connections: DuckDBConnection[];
  writers: ParquetWriter[];
}

async function assemble(options: LocalPipelineOptions): Promise<PipelineParts> {
  const tables = options.tables ?? TABLES;
  const kinesis = await EmbeddedKinesis.start();
  // The producer's thread takes a moment to load; it starts meanwhile.
  const [producer] = await Promise.all([
    ProducerThread.start({
      endpoint: kinesis.endpoint,
      landing: options.landing,
      lakeDir: options.lakeDir,
      streamPrefix: DEFAULT_RESOURCE_PREFIX,
    }),
    kinesis.createStreams(
      tables.map((table) => resourceNameFor(table.name)),
      options.shardCount,
    ),
  ]);
  const store = new DirectoryObjectStore({ [LAKE_BUCKET]: options.lakeDir });
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
        onFailure: options.onFailure,
        log: options.log ?? SILENT_LOG,
      }),
  );
  return { kinesis, producer, lake, streams, duck, connections, writers };
}

function merge(
  a: Record<string, number>,
  b: Record<string, number>,
): Record<string, number> {
  const merged = { ...a };
  for (const [kind, n] of Object.entries(b)) add(merged, kind, n);
  return merged;
}

function add(counts: Record<string, number>, kind: string, n: number) {
  if (n > 0) counts[kind] = (counts[kind] ?? 0) + n;
}
