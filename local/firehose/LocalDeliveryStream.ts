import {
  type _Record,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { type Log, SILENT_LOG } from '../../schemas/ports/Log.js';
import {
  DEFAULT_BUFFER_MIB,
  DEFAULT_BUFFER_SECONDS,
  DEFAULT_POLL_MS,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  MAX_DELIVERY_ATTEMPTS,
  MAX_GET_RECORDS,
} from '../constants.js';
import { DeliveryStreamError } from '../errors.js';
import type { DeliveryRecord } from './DeliveryRecord.js';
import {
  type DeliveryCounts,
  type DeliverySink,
  type DeliveryTable,
  deliverBatch,
} from './deliverBatch.js';
import {
  type TransformationHandler,
  transformBatch,
} from './transformBatch.js';

/** How long a reader backs off after a failed read or delivery. */
const RETRY_MS = 1000;

/** What a local delivery stream reads, calls and writes. */
export interface LocalDeliveryStreamOptions {
  kinesis: KinesisClient;
  /** The source Kinesis stream's name. */
  streamName: string;
  streamArn: string;
  /** The delivery stream's own name; the source stream's name by default. */
  deliveryStreamName?: string;
  table: DeliveryTable;
  transform: TransformationHandler;
  sink: DeliverySink;
  /** Flush once this many bytes are buffered; 1 MiB by default. */
  bufferBytes?: number;
  /** Flush once the oldest buffered record waited this long; 1 s by default. */
  bufferMs?: number;
  /** Wait between reads of an idle stream; 200 ms by default. */
  pollMs?: number;
  /** The pause after a failed read or delivery; 1 s by default. */
  retryMs?: number;
  /** The pause between writes of a failed Parquet object; 200 ms by default. */
  writeRetryMs?: number;
  /** Called once if the stream gives up on a batch and stops. */
  onFailure?: (error: DeliveryStreamError) => void;
  log?: Log;
  now?: () => number;
}

/** Running totals of one delivery stream. */
export interface DeliveryStats extends DeliveryCounts {
  /** Records read from Kinesis. */
  read: number;
  /** Records read but not yet delivered. */
  buffered: number;
  /** Buffers delivered. */
  batches: number;
}

interface ShardCursor {
  shardId: string;
  iterator: string | undefined;
  /** The last sequence number read, where a fresh iterator resumes. */
  lastRead: string | undefined;
}

interface DrainWaiter {
  afterRound: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Firehose with a Kinesis source, on one machine: reads every shard of its
 * stream (TRIM_HORIZON, then on from the last record read), buffers by size
 * and by interval, transforms each buffer through the real handler under
 * Firehose's contract, and writes Parquet and error objects to the lake.
 * A shard's checkpoint moves past a record only once its batch is written,
 * so a failed write is retried with the same records: at least once. A
 * batch that fails three deliveries in a row (a lake that cannot be
 * written) stops the stream with a `DeliveryStreamError`, which `drain`
 * then rejects with, instead of retrying forever.
 *
 * @example
 * const stream = new LocalDeliveryStream({ kinesis, streamName, streamArn,
 *   table, transform: handler, sink });
 * await stream.start();
 * await stream.drain(); // everything put so far is now in the lake
 * await stream.stop();
 */
export class LocalDeliveryStream {
  readonly #options: LocalDeliveryStreamOptions;
  readonly #log: Log;
  readonly #now: () => number;
  readonly #bufferBytes: number;
  readonly #bufferMs: number;
  readonly #pollMs: number;
  readonly #retryMs: number;
  #cursors: ShardCursor[] = [];
  #buffer: DeliveryRecord[] = [];
  #bufferedBytes = 0;
  #bufferStartedMs = 0;
  #round = 0;
  #drainWaiters: DrainWaiter[] = [];
  #checkpoints = new Map<string, string>();
  #stats: DeliveryStats = {
    read: 0,
    buffered: 0,
    batches: 0,
    clean: 0,
    dropped: 0,
    processingFailed: 0,
    formatConversionFailed: 0,
    unknownFields: 0,
  };
  #failedDeliveries = 0;
  #failure: DeliveryStreamError | undefined;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: LocalDeliveryStreamOptions) {
    this.#options = options;
    this.#log = options.log ?? SILENT_LOG;
    this.#now = options.now ?? Date.now;
    this.#bufferBytes = options.bufferBytes ?? DEFAULT_BUFFER_MIB * 1024 * 1024;
    this.#bufferMs = options.bufferMs ?? DEFAULT_BUFFER_SECONDS * 1000;
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.#retryMs = options.retryMs ?? RETRY_MS;
  }

  /** The delivery stream's name, as its ARN and object names carry it. */
  get name(): string {
    return this.#options.deliveryStreamName ?? this.#options.streamName;
  }

  /** The table it delivers to. */
  get table(): string {
    return this.#options.table.name;
  }

  /** The delivery stream's ARN, from which the transformer finds its table. */
  get arn(): string {
    return `arn:aws:firehose:${LOCAL_REGION}:${LOCAL_ACCOUNT}:deliverystream/${this.name}`;
  }

  /** Lists the stream's shards and starts reading them in the background. */
  async start(): Promise<void> {
    const { Shards: shards = [] } = await this.#options.kinesis.send(
      new ListShardsCommand({ StreamName: this.#options.streamName }),
    );
    this.#cursors = shards.map((shard) => ({
      shardId: shard.ShardId as string,
      iterator: undefined,
      lastRead: undefined,
    }));
    this.#loop = this.#run();
  }

  /**
   * Resolves once every record put before the call is delivered: a read
   * that began after the call found nothing new, and the buffer is empty.
   * Rejects with the stream's `DeliveryStreamError` once it gave up.
   */
  drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#failure !== undefined) return reject(this.#failure);
      this.#drainWaiters.push({ afterRound: this.#round, resolve, reject });
      this.#wake?.();
    });
  }

  /** Why the stream gave up, once it did. */
  get failure(): DeliveryStreamError | undefined {
    return this.#failure;
  }

  /** Delivers what is buffered and stops reading. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
  }

  /** The totals so far. */
  stats(): DeliveryStats {
    return { ...this.#stats, buffered: this.#buffer.length };
  }

  /** Per shard, the last sequence number whose batch is written. */
  checkpoints(): ReadonlyMap<string, string> {
    return new Map(this.#checkpoints);
  }

  async #run(): Promise<void> {
    while (!this.#stopping && this.#failure === undefined) {
      const round = ++this.#round;
      const read = await this.#readRound();
      if (read === undefined) {
        await pause(this.#retryMs);
        continue;
      }
      const delivered = await this.#flush(
        read === 0 && this.#hasWaiters(round),
      );
      if (read === 0 && delivered && this.#buffer.length === 0) {
        this.#resolveWaiters(round);
      }
      if (!delivered) {
        if (this.#failure === undefined) await pause(this.#retryMs);
      } else if (read === 0) await this.#idle(this.#idleWaitMs());
    }
    if (this.#failure === undefined) await this.#finish();
  }

  /** Reads every shard once; the number of records, or undefined on error. */
  async #readRound(): Promise<number | undefined> {
    let read = 0;
    try {
      for (const cursor of this.#cursors) read += await this.#readShard(cursor);
      return read;
    } catch (error) {
      this.#log.error('Reading the Kinesis stream failed; reading again.', {
        stream: this.#options.streamName,
        error: errorFields(error),
      });
      return undefined;
    }
  }

  async #readShard(cursor: ShardCursor): Promise<number> {
    cursor.iterator ??= await this.#openIterator(cursor);
    try {
      const response = await this.#options.kinesis.send(
        new GetRecordsCommand({
          ShardIterator: cursor.iterator,
          Limit: MAX_GET_RECORDS,
        }),
      );
      cursor.iterator = response.NextShardIterator;
      const records = response.Records ?? [];
      for (const record of records) this.#append(cursor, record);
      return records.length;
    } catch (error) {
      // An iterator lives five minutes; a fresh one resumes where this was.
      if (!(error instanceof ExpiredIteratorException)) throw error;
      cursor.iterator = undefined;
      return 0;
    }
  }

  async #openIterator(cursor: ShardCursor): Promise<string | undefined> {
    const { ShardIterator } = await this.#options.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.#options.streamName,
        ShardId: cursor.shardId,
        ...(cursor.lastRead === undefined
          ? { ShardIteratorType: 'TRIM_HORIZON' }
          : {
              ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
              StartingSequenceNumber: cursor.lastRead,
            }),
      }),
    );
    return ShardIterator;
  }

  #append(cursor: ShardCursor, record: _Record) {
    const sequenceNumber = record.SequenceNumber as string;
    const data = record.Data ?? new Uint8Array();
    if (this.#buffer.length === 0) this.#bufferStartedMs = this.#now();
    this.#buffer.push({
      // Firehose's record ids for a Kinesis source: sequence, subsequence.
      recordId: `${sequenceNumber}000000`,
      data,
      arrivalMs: record.ApproximateArrivalTimestamp?.getTime() ?? this.#now(),
      shardId: cursor.shardId,
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber,
      subsequenceNumber: 0,
    });
    this.#bufferedBytes += data.byteLength;
    cursor.lastRead = sequenceNumber;
    this.#stats.read++;
  }

  /**
   * Delivers full buffers, and the rest too when `all` is set or the
   * oldest record has waited the buffer interval. False when a delivery
   * failed; its records stay buffered for the next try.
   */
  async #flush(all: boolean): Promise<boolean> {
    while (this.#buffer.length > 0) {
      const full = this.#bufferedBytes >= this.#bufferBytes;
      const due = this.#now() - this.#bufferStartedMs >= this.#bufferMs;
      if (!full && !due && !all) return true;
      const batch = this.#takeBatch();
      if (!(await this.#deliver(batch))) {
        this.#putBack(batch);
        return false;
      }
    }
    return true;
  }

  /** Takes records from the front until they fill one buffer. */
  #takeBatch(): DeliveryRecord[] {
    let bytes = 0;
    let count = 0;
    while (count < this.#buffer.length && bytes < this.#bufferBytes) {
      bytes += (this.#buffer[count] as DeliveryRecord).data.byteLength;
      count++;
    }
    const batch = this.#buffer.splice(0, count);
    this.#bufferedBytes -= bytes;
    if (this.#buffer.length > 0) this.#bufferStartedMs = this.#now();
    return batch;
  }

  #putBack(batch: DeliveryRecord[]) {
    this.#buffer.unshift(...batch);
    this.#bufferedBytes += batch.reduce((sum, r) => sum + r.data.byteLength, 0);
  }

  async #deliver(batch: DeliveryRecord[]): Promise<boolean> {
    try {
      const transformed = await transformBatch(batch, {
        transform: this.#options.transform,
        target: {
          deliveryStreamArn: this.arn,
          sourceKinesisStreamArn: this.#options.streamArn,
          region: LOCAL_REGION,
        },
        log: this.#log,
      });
      const counts = await deliverBatch(transformed, {
        table: this.#options.table,
        deliveryStreamName: this.name,
        sink: this.#options.sink,
        now: this.#now,
        writeRetryMs: this.#options.writeRetryMs,
      });
      this.#failedDeliveries = 0;
      this.#record(batch, counts);
      return true;
    } catch (error) {
      this.#deliveryFailed(batch, error);
      return false;
    }
  }

  /** Keeps a failed batch buffered, or gives up after the last attempt. */
  #deliveryFailed(batch: DeliveryRecord[], error: unknown) {
    this.#failedDeliveries++;
    const giveUp = this.#failedDeliveries >= MAX_DELIVERY_ATTEMPTS;
    this.#log.error(
      giveUp
        ? 'Delivering a batch failed again; the delivery stream gives up.'
        : 'Delivering a batch failed; it stays buffered.',
      {
        delivery_stream: this.name,
        records: batch.length,
        attempt: this.#failedDeliveries,
        error: errorFields(error),
      },
    );
    if (giveUp) this.#giveUp(batch, error);
  }

  #giveUp(batch: DeliveryRecord[], cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.#failure = new DeliveryStreamError(
      `The delivery stream ${this.name} could not deliver a batch of ${batch.length} records after ${MAX_DELIVERY_ATTEMPTS} attempts and stopped: ${reason}`,
      { cause },
    );
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const waiter of waiters) waiter.reject(this.#failure);
    this.#options.onFailure?.(this.#failure);
  }

  #record(batch: DeliveryRecord[], counts: DeliveryCounts) {
    for (const record of batch) {
      this.#checkpoints.set(record.shardId, record.sequenceNumber);
    }
    this.#stats.batches++;
    this.#stats.clean += counts.clean;
    this.#stats.dropped += counts.dropped;
    this.#stats.processingFailed += counts.processingFailed;
    this.#stats.formatConversionFailed += counts.formatConversionFailed;
    this.#stats.unknownFields += counts.unknownFields;
  }

  #hasWaiters(round: number): boolean {
    return this.#drainWaiters.some((waiter) => waiter.afterRound < round);
  }

  #resolveWaiters(round: number) {
    const ready = this.#drainWaiters.filter((w) => w.afterRound < round);
    this.#drainWaiters = this.#drainWaiters.filter(
      (w) => w.afterRound >= round,
    );
    for (const waiter of ready) waiter.resolve();
  }

  /** Sleeps until the next poll, or sooner when the buffer falls due. */
  #idleWaitMs(): number {
    if (this.#buffer.length === 0) return this.#pollMs;
    const due = this.#bufferStartedMs + this.#bufferMs - this.#now();
    return Math.max(0, Math.min(this.#pollMs, due));
  }

  /** Waits for the next poll; a drain or stop cuts the wait short. */
  #idle(ms: number): Promise<void> {
    if (this.#stopping || this.#hasWaiters(this.#round + 1)) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async #finish() {
    while (this.#buffer.length > 0 && this.#failure === undefined) {
      if (!(await this.#flush(true)) && this.#failure === undefined) {
        await pause(this.#retryMs);
      }
    }
    if (this.#buffer.length > 0) {
      this.#log.error('Records were left undelivered at shutdown.', {
        delivery_stream: this.name,
        records: this.#buffer.length,
      });
    }
    this.#resolveWaiters(Number.POSITIVE_INFINITY);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorFields(error: unknown) {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { message: String(error) };
}
