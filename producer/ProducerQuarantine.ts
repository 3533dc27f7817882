import { createHash, type Hash } from 'node:crypto';
import {
  type DirtyKind,
  type DirtyReason,
  type DirtyRecord,
  type DirtyVerdict,
  describeValue,
  eventIdOf,
  DirtyKind as Kinds,
  type ObjectStore,
  PRODUCER_DIRTY_TABLE,
  type Provenance,
} from '../schemas/index.js';
import {
  DIRTY_CONTENT_TYPE,
  DIRTY_NAME_LENGTH,
  DIRTY_PART_BYTES,
  DIRTY_PREFIX,
  MAX_RECORD_BYTES,
} from './constants.js';
import type { SplitEvent, UnparsableStretch } from './EventScanner.js';
import { QuarantineWriteError } from './errors.js';

/** A landed file's identity: a provenance without the place in the file. */
export type LandedFile = Omit<Provenance, 'index' | 'offset'>;

/** Where and when one file's dirty records are written. */
export interface ProducerQuarantineOptions {
  store: ObjectStore;
  lakeBucket: string;
  file: LandedFile;
  /** When the producer read the file, epoch ms. */
  ingestedAt: number;
  /** The date folder, `YYYY-MM-DD`. */
  day: string;
  now: () => number;
  /** The size at which a part is written; `DIRTY_PART_BYTES` unless set. */
  partBytes?: number;
}

/**
 * Collects the records of one landed file that the producer cannot put on
 * a stream (unparsable bytes, unroutable events, unknown services, records
 * too large) as `DirtyRecord` lines, and writes them to
 * `dirty/_producer/dt=YYYY-MM-DD/<hash>.jsonl`. The hash covers the file's
 * identity, the part number and each record's kind, place and raw text,
 * never a clock, so a retried file rewrites the same objects. A file with
 * many dirty records is written in parts of about 4 MiB.
 *
 * @example
 * const quarantine = new ProducerQuarantine({ store, lakeBucket, file, ingestedAt, day, now });
 * await quarantine.unparsable(stretch, source);
 * await quarantine.flush();
 */
export class ProducerQuarantine {
  readonly #options: ProducerQuarantineOptions;
  readonly #partBytes: number;
  readonly #counts: Partial<Record<DirtyKind, number>> = {};
  readonly #keys: string[] = [];
  #lines: string[] = [];
  #bytes = 0;
  #part = 0;
  #hash: Hash;

  /** @param options the store, the file and the dates of its records */
  constructor(options: ProducerQuarantineOptions) {
    this.#options = options;
    this.#partBytes = options.partBytes ?? DIRTY_PART_BYTES;
    this.#hash = this.#startHash();
  }

  /** Dirty records so far, by kind. */
  get counts(): Readonly<Partial<Record<DirtyKind, number>>> {
    return { ...this.#counts };
  }

  /** The keys of the objects written so far. */
  get keys(): readonly string[] {
    return [...this.#keys];
  }

  /** Quarantines a stretch of bytes that is not a JSON object. */
  async unparsable(stretch: UnparsableStretch, source: Provenance) {
    const reason: DirtyReason = {
      path: '',
      expected: 'a JSON object',
      actual: describeValue(stretch.raw),
      message: stretch.message,
    };
    await this.#add(
      Kinds.Unparsable,
      PRODUCER_DIRTY_TABLE,
      eventIdOf(undefined, source),
      [reason],
      stretch.raw,
      source,
    );
  }

  /** Quarantines an event routing refused, with the router's reasons. */
  async unroutable(
    event: SplitEvent,
    source: Provenance,
    verdict: DirtyVerdict,
  ) {
    await this.#add(
      verdict.kind,
      verdict.table?.name ?? PRODUCER_DIRTY_TABLE,
      verdict.eventId ?? eventIdOf(event.value, source),
      verdict.reasons,
      event.text,
      source,
    );
  }

  /** Quarantines an event whose record would exceed Kinesis's 1 MiB. */
  async tooLarge(
    event: SplitEvent,
    source: Provenance,
    table: string,
    recordBytes: number,
  ) {
    const id = eventIdOf(event.value, source);
    const reason: DirtyReason = {
      path: '',
      expected: `a Kinesis record of at most ${MAX_RECORD_BYTES} bytes with its partition key`,
      actual: `${recordBytes} bytes`,
      message: `The record for event ${id} would be ${recordBytes} bytes with its partition key; Kinesis takes at most ${MAX_RECORD_BYTES}.`,
    };
    await this.#add(Kinds.TooLarge, table, id, [reason], event.text, source);
  }

  /** Writes the records not yet written. Rejects when the write fails. */
  async flush() {
    if (this.#lines.length > 0) await this.#writePart();
  }

  async #add(
    kind: DirtyKind,
    table: string,
    eventId: string | null,
    reasons: DirtyReason[],
    raw: string,
    source: Provenance,
  ) {
    const record: DirtyRecord = {
      event_id: eventId,
      kind,
      table,
      reasons,
      raw,
      source,
      ingested_at: this.#options.ingestedAt,
      kinesis: null,
      processed_at: this.#options.now(),
    };
    const line = JSON.stringify(record);
    this.#lines.push(line);
    this.#bytes += line.length;
    this.#counts[kind] = (this.#counts[kind] ?? 0) + 1;
    this.#hash.update(`${kind}\0${source.index}\0${source.offset}\0${raw}\n`);
    if (this.#bytes >= this.#partBytes) await this.#writePart();
  }

  async #writePart() {
    const { store, lakeBucket, day } = this.#options;
    const name = this.#hash.digest('hex').slice(0, DIRTY_NAME_LENGTH);
    const key = `${DIRTY_PREFIX}/${PRODUCER_DIRTY_TABLE}/dt=${day}/${name}.jsonl`;
    const body = `${this.#lines.join('\n')}\n`;
    const count = this.#lines.length;
    this.#lines = [];
    this.#bytes = 0;
    this.#part++;
    this.#hash = this.#startHash();
    await store
      .put(lakeBucket, key, body, DIRTY_CONTENT_TYPE)
      .catch((cause: unknown) => {
        throw new QuarantineWriteError(
          `Cannot quarantine ${count} dirty record(s) of s3://${this.#options.file.bucket}/${this.#options.file.key} to s3://${lakeBucket}/${key}.`,
          { cause },
        );
      });
    this.#keys.push(key);
  }

  #startHash(): Hash {
    const { bucket, key, etag, version_id } = this.#options.file;
    const identity = [bucket, key, etag, version_id, this.#part];
    return createHash('sha256').update(`${JSON.stringify(identity)}\n`);
  }
}
