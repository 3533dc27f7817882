import { setTimeout as delay } from 'node:timers/promises';
import {
  type KinesisClient,
  PutRecordsCommand,
  type PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import { type Log, SILENT_LOG } from '../schemas/index.js';
import {
  AddOutcome,
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_ATTEMPTS,
  MAX_BYTES_PER_CALL,
  MAX_DELAY_MS,
  MAX_RECORD_BYTES,
  MAX_RECORDS_PER_CALL,
  RETRYABLE_KINESIS_ERRORS,
} from './constants.js';
import { DeliveryError } from './errors.js';

/** One record for a stream: its data and partition key. */
export interface KinesisEntry {
  data: Uint8Array;
  partitionKey: string;
}

/** How a writer reaches Kinesis and how patiently it retries. */
export interface KinesisWriterOptions {
  client: KinesisClient;
  /** Sends of one record before the writer gives up; 8 unless set. */
  maxAttempts?: number;
  /** The first retry's backoff ceiling in ms; it doubles per attempt. */
  baseDelayMs?: number;
  log?: Log;
  /** Waits between attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<unknown>;
  /** A number in [0, 1) for the jitter; `Math.random` unless set. */
  random?: () => number;
}

/** What the writer did so far, for summaries and benchmarks. */
export interface WriterStats {
  calls: number;
  records: number;
  retried: number;
}

interface Batch {
  entries: KinesisEntry[];
  bytes: number;
}

interface Refusal {
  entry: KinesisEntry;
  code: string;
  message: string;
}

/**
 * Puts records on Kinesis streams in as few PutRecords calls as the limits
 * allow: at most 500 records and 5 MiB (data plus partition keys) per call,
 * one batch per stream. Entries a call refuses are resent alone, matched by
 * their position in the response, after an exponential backoff with full
 * jitter; when the attempts run out it throws `DeliveryError`, so a caller
 * never takes a flush that returned for a delivery.
 *
 * @example
 * const writer = new KinesisWriter({ client: new KinesisClient({}) });
 * await writer.add('dvault-ste_event', { data, partitionKey: shapeId });
 * await writer.flush();
 */
export class KinesisWriter {
  readonly #client: KinesisClient;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #log: Log;
  readonly #sleep: (ms: number) => Promise<unknown>;
  readonly #random: () => number;
  readonly #batches = new Map<string, Batch>();
  readonly #stats: WriterStats = { calls: 0, records: 0, retried: 0 };

  /** @param options the client, the retry policy and the logger */
  constructor(options: KinesisWriterOptions) {
    this.#client = options.client;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.#baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.#log = options.log ?? SILENT_LOG;
    this.#sleep = options.sleep ?? delay;
    this.#random = options.random ?? Math.random;
  }

  /** Calls made, records delivered and entries resent so far. */
  get stats(): Readonly<WriterStats> {
    return { ...this.#stats };
  }

  /**
   * Queues a record for a stream, first sending the stream's batch when the
   * record would not fit in it. A record over 1 MiB is not queued: the
   * caller quarantines it, and the rest of the batch is unaffected.
   */
  async add(stream: string, entry: KinesisEntry): Promise<AddOutcome> {
    const bytes = entryBytes(entry);
    if (bytes > MAX_RECORD_BYTES) return AddOutcome.TooLarge;
    const batch = this.#batches.get(stream);
    if (batch !== undefined && !fits(batch, bytes)) {
      this.#batches.delete(stream);
      await this.#send(stream, batch.entries);
    }
    const open = this.#batches.get(stream) ?? { entries: [], bytes: 0 };
    open.entries.push(entry);
    open.bytes += bytes;
    this.#batches.set(stream, open);
    return AddOutcome.Queued;
  }

  /** Sends every queued record; resolves only when all were accepted. */
  async flush(): Promise<void> {
    const batches = [...this.#batches];
    this.#batches.clear();
    for (const [stream, batch] of batches) {
      await this.#send(stream, batch.entries);
    }
  }

  async #send(stream: string, entries: KinesisEntry[]) {
    let pending = entries;
    for (let attempt = 1; ; attempt++) {
      const refused = await this.#putOnce(stream, pending);
      this.#stats.records += pending.length - refused.length;
      if (refused.length === 0) return;
      if (attempt >= this.#maxAttempts) {
        throw deliveryError(stream, refused, entries.length, attempt);
      }
      const waitMs = this.#backoff(attempt);
      this.#log.warn('Kinesis refused records; resending them', {
        stream,
        attempt,
        refused: refused.length,
        error_codes: [...new Set(refused.map((refusal) => refusal.code))],
        wait_ms: Math.round(waitMs),
      });
      this.#stats.retried += refused.length;
      await this.#sleep(waitMs);
      pending = refused.map((refusal) => refusal.entry);
    }
  }

  /** One PutRecords call; returns the refused entries, in order. */
  async #putOnce(stream: string, entries: KinesisEntry[]): Promise<Refusal[]> {
    this.#stats.calls++;
    const command = new PutRecordsCommand({
      StreamName: stream,
      Records: entries.map((entry) => ({
        Data: entry.data,
        PartitionKey: entry.partitionKey,
      })),
    });
    try {
      const response = await this.#client.send(command);
      return refusalsOf(entries, response.Records);
    } catch (error) {
      if (!isRetryable(error)) {
        throw new DeliveryError(
          `PutRecords to stream ${stream} failed and cannot be retried: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const { name, message } = error as Error;
      return entries.map((entry) => ({ entry, code: name, message }));
    }
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(
      MAX_DELAY_MS,
      this.#baseDelayMs * 2 ** (attempt - 1),
    );
    return this.#random() * ceiling;
  }
}

function entryBytes(entry: KinesisEntry): number {
  return entry.data.byteLength + Buffer.byteLength(entry.partitionKey);
}

function fits(batch: Batch, bytes: number): boolean {
  return (
    batch.entries.length < MAX_RECORDS_PER_CALL &&
    batch.bytes + bytes <= MAX_BYTES_PER_CALL
  );
}

/**
 * Matches a response's result entries to the request by position. A
 * response without one result per entry is taken as refusing them all.
 */
function refusalsOf(
  entries: KinesisEntry[],
  results: PutRecordsResultEntry[] | undefined,
): Refusal[] {
  if (results?.length !== entries.length) {
    return entries.map((entry) => ({
      entry,
      code: 'IncompleteResponse',
      message: `The response listed ${results?.length ?? 0} results for ${entries.length} records.`,
    }));
  }
  return entries.flatMap((entry, at) => {
    const result = results[at];
    if (result?.ErrorCode === undefined) return [];
    return [
      { entry, code: result.ErrorCode, message: result.ErrorMessage ?? '' },
    ];
  });
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (RETRYABLE_KINESIS_ERRORS.has(error.name)) return true;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } })
    .$metadata;
  // No HTTP status at all means the request never got an answer.
  const status = metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

function deliveryError(
  stream: string,
  refused: Refusal[],
  total: number,
  attempts: number,
): DeliveryError {
  const last = refused[0] as Refusal;
  return new DeliveryError(
    `${refused.length} of ${total} records for stream ${stream} were still refused after ${attempts} attempts; the last refusal was ${last.code}: ${last.message}`,
  );
}
