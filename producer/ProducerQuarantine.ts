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
  MAX_OBJECT_BYTES,
  MAX_RECORD_BYTES,
  StretchCause,
} from './constants.js';
import type { SplitEvent, UnparsableStretch } from './EventScanner.js';
import { QuarantineWriteError } from './errors.js';

/** A landed file's identity: a provenance without the place in the file. */
export type LandedFile = Omit<Provenance, 'index' | 'offset'>;

/** A dirty record's copy of the original bytes, and how faithful it is. */
type RawCopy = Pick<
  DirtyRecord,
  'raw' | 'raw_bytes' | 'raw_truncated' | 'raw_base64'
>;

interface DirtyEntry {
  kind: DirtyKind;
  table: string;
  eventId: string | null;
  reasons: DirtyReason[];
  copy: RawCopy;
  source: Provenance;
}

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
 * a stream (unparsable bytes, objects too large to read, unroutable events,
 * unknown services, records too large) as `DirtyRecord` lines, each saying
 * whether its `raw` is whole and exact, and writes them to
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

  /**
   * Quarantines a stretch of bytes that is not a JSON object, or an object
   * that is not valid UTF-8 (its bytes kept in base64).
   */
  async unparsable(stretch: UnparsableStretch, source: Provenance) {
    const reason: DirtyReason = {
      path: '',
      expected:
        stretch.cause === StretchCause.NotUtf8
          ? 'a JSON object in UTF-8'
          : 'a JSON object',
      actual: describeValue(stretch.raw),
      message: stretch.message,
    };
    await this.#add({
      kind: Kinds.Unparsable,
      table: PRODUCER_DIRTY_TABLE,
      eventId: eventIdOf(undefined, source),
      reasons: [reason],
      copy: copyOfStretch(stretch),
      source,
    });
  }

  /**
   * Quarantines an object the splitter would not keep, being longer than
   * `MAX_OBJECT_BYTES`: never parsed, so known by its offset and length.
   */
  async oversized(stretch: UnparsableStretch, source: Provenance) {
    const reason: DirtyReason = {
      path: '',
      expected: `a JSON object of at most ${MAX_OBJECT_BYTES} bytes`,
      actual: `${stretch.length} bytes from byte ${stretch.offset}`,
      message: stretch.message,
    };
    await this.#add({
      kind: Kinds.TooLarge,
      table: PRODUCER_DIRTY_TABLE,
      eventId: eventIdOf(undefined, source),
      reasons: [reason],
      copy: copyOfStretch(stretch),
      source,
    });
  }

  /** Quarantines an event routing refused, with the router's reasons. */
  async unroutable(
    event: SplitEvent,
    source: Provenance,
    verdict: DirtyVerdict,
  ) {
    await this.#add({
      kind: verdict.kind,
      table: verdict.table?.name ?? PRODUCER_DIRTY_TABLE,
      eventId: verdict.eventId ?? eventIdOf(event.value, source),
      reasons: verdict.reasons,
      copy: copyOfEvent(event),
      source,
    });
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
    await this.#add({
      kind: Kinds.TooLarge,
      table,
      eventId: id,
      reasons: [reason],
      copy: copyOfEvent(event),
      source,
    });
  }

  /** Writes the records not yet written. Rejects when the write fails. */
  async flush() {
    if (this.#lines.length > 0) await this.#writePart();
  }

  async #add({ kind, table, eventId, reasons, copy, source }: DirtyEntry) {
    const record: DirtyRecord = {
      event_id: eventId,
      kind,
      table,
      reasons,
      ...copy,
      source,
      ingested_at: this.#options.ingestedAt,
      kinesis: null,
      processed_at: this.#options.now(),
    };
    const line = JSON.stringify(record);
    this.#lines.push(line);
    this.#bytes += line.length;
    this.#counts[kind] = (this.#counts[kind] ?? 0) + 1;
    this.#hash.update(
      `${kind}\0${source.index}\0${source.offset}\0${copy.raw}\n`,
    );
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

function copyOfEvent(event: SplitEvent): RawCopy {
  return { raw: event.text, raw_bytes: event.length, raw_truncated: false };
}

function copyOfStretch(stretch: UnparsableStretch): RawCopy {
  const copy: RawCopy = {
    raw: stretch.raw,
    raw_bytes: stretch.length,
    raw_truncated: stretch.rawTruncated,
  };
  if (stretch.rawBase64 !== null) copy.raw_base64 = stretch.rawBase64;
  return copy;
}
