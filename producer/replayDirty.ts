import { createHash } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  DEFAULT_RESOURCE_PREFIX,
  type DirtyKind,
  type DirtyReason,
  type DirtyRecord,
  decodeEvent,
  encodeStreamRecord,
  type Log,
  type ObjectStore,
  type Provenance,
  resourceNameFor,
  SILENT_LOG,
} from '../schemas/index.js';
import {
  AddOutcome,
  DIRTY_NAME_LENGTH,
  DIRTY_PREFIX,
  MAX_RECORD_BYTES,
  REPLAYED_PREFIX,
  ReplayOutcome,
} from './constants.js';
import { KinesisWriter } from './KinesisWriter.js';
import { partitionKeyOf } from './partitionKeyOf.js';
import { readObjectText } from './readObjectText.js';

/** What a replay reads, changes and writes to. */
export interface ReplayDirtyOptions {
  store: ObjectStore;
  lakeBucket: string;
  kinesis: KinesisClient;
  streamPrefix?: string;
  /** Only these dirty folders (`_producer`, `ste_event`...); all unless set. */
  tables?: readonly string[];
  /**
   * Corrects a parsed event before it is validated again; its result is
   * what gets replayed. Without it, the original bytes are replayed.
   */
  fix?: (event: unknown, record: DirtyRecord) => unknown;
  /** Validate and report, but send nothing and record nothing. */
  dryRun?: boolean;
  now?: () => number;
  log?: Log;
  maxAttempts?: number;
  baseDelayMs?: number;
}

/** What replay did with one dirty record, before and after. */
export interface ReplayItem {
  /** The dirty object and the record's line in it, from 0. */
  key: string;
  line: number;
  eventId: string | null;
  /** The kind the record was quarantined as. */
  kindBefore: DirtyKind;
  /** The reasons it was quarantined with. */
  reasonsBefore: DirtyReason[];
  outcome: ReplayOutcome;
  /** The table it went (or would go) to. */
  table: string | null;
  /** Why it is still dirty; empty otherwise. */
  reasons: DirtyReason[];
  /** The text replayed: the original, or the fixed event. */
  text: string | null;
}

/** What one replay run did. */
export interface ReplaySummary {
  considered: number;
  replayed: number;
  stillDirty: number;
  alreadyReplayed: number;
  /** Records put back, by table. */
  records: Record<string, number>;
  items: ReplayItem[];
  /** The marker written, or null (dry run, or nothing replayed). */
  marker: string | null;
}

/**
 * Puts quarantined events back through the producer's writer: reads every
 * dirty record under `dirty/_producer/` and `dirty/<table>/`, applies the
 * caller's fix, validates the event again with the schemas, and sends
 * those that are now clean to their table's stream with their original
 * provenance. Then it writes a marker under `replayed/` naming them, so a
 * later run skips them. A record is known by its event id and a hash of
 * its raw text, so a record quarantined again after a fix stays eligible.
 *
 * The marker is written after Kinesis accepted the records; if that write
 * fails, a second run sends them again, which the event ids deduplicate.
 *
 * @example
 * const summary = await replayDirty({ store, lakeBucket: 'lake', kinesis, dryRun: true });
 * console.log(summary.replayed, summary.stillDirty);
 */
export async function replayDirty(
  options: ReplayDirtyOptions,
): Promise<ReplaySummary> {
  const { store, lakeBucket } = options;
  const log = options.log ?? SILENT_LOG;
  const run = new ReplayRun(options, await replayedIds(store, lakeBucket, log));
  for (const key of await dirtyKeys(store, lakeBucket, options.tables)) {
    const records = await readDirtyRecords(store, lakeBucket, key, log);
    for (const [line, record] of records) await run.replay(key, line, record);
  }
  return run.finish();
}

/** One replay: its writer, what it has seen, and its items. */
class ReplayRun {
  readonly #options: ReplayDirtyOptions;
  readonly #done: ReadonlySet<string>;
  readonly #sent = new Set<string>();
  readonly #items: ReplayItem[] = [];
  readonly #writer: KinesisWriter;
  readonly #now: number;

  constructor(options: ReplayDirtyOptions, done: ReadonlySet<string>) {
    this.#options = options;
    this.#done = done;
    this.#now = (options.now ?? Date.now)();
    this.#writer = new KinesisWriter({
      client: options.kinesis,
      maxAttempts: options.maxAttempts,
      baseDelayMs: options.baseDelayMs,
      log: options.log,
    });
  }

  async replay(key: string, line: number, record: DirtyRecord) {
    const id = replayIdOf(record);
    const item: ReplayItem = {
      key,
      line,
      eventId: record.event_id,
      kindBefore: record.kind,
      reasonsBefore: record.reasons ?? [],
      outcome: ReplayOutcome.AlreadyReplayed,
      table: null,
      reasons: [],
      text: null,
    };
    this.#items.push(item);
    if (this.#done.has(id) || this.#sent.has(id)) return;
    const checked = this.#check(record);
    item.outcome = checked.outcome;
    item.table = checked.table;
    item.reasons = checked.reasons;
    item.text = checked.text;
    if (checked.outcome !== ReplayOutcome.Replayed) return;
    const source = record.source ?? lakeSource(this.#options, key, line);
    const sent = await this.#send(
      checked.table,
      checked.value,
      checked.text,
      source,
    );
    if (sent) this.#sent.add(id);
    else Object.assign(item, tooLarge(item));
  }

  /** Parses, fixes and validates the record's event. */
  #check(record: DirtyRecord) {
    const unfaithful = unfaithfulRaw(record, this.#options.fix !== undefined);
    if (unfaithful !== null) return stillDirty(unfaithful);
    let value: unknown;
    try {
      value = JSON.parse(record.raw);
      if (this.#options.fix) value = this.#options.fix(value, record);
    } catch (error) {
      return stillDirty(
        `The event could not be read or fixed: ${(error as Error).message}`,
      );
    }
    const text = this.#options.fix ? JSON.stringify(value) : record.raw;
    const decoded = decodeEvent(value, { now: this.#now });
    if (isLeft(decoded)) {
      return {
        outcome: ReplayOutcome.StillDirty,
        table: decoded.left.table?.name ?? null,
        reasons: decoded.left.reasons,
        text,
      };
    }
    const table = decoded.right.table.name;
    return { outcome: ReplayOutcome.Replayed, table, reasons: [], text, value };
  }

  async #send(
    table: string,
    value: unknown,
    text: string,
    source: Provenance,
  ): Promise<boolean> {
    const data = Buffer.from(encodeStreamRecord(source, this.#now, text));
    const partitionKey = partitionKeyOf(value, source);
    if (this.#options.dryRun) {
      return (
        data.byteLength + Buffer.byteLength(partitionKey) <= MAX_RECORD_BYTES
      );
    }
    const prefix = this.#options.streamPrefix ?? DEFAULT_RESOURCE_PREFIX;
    const stream = resourceNameFor(table, prefix);
    const added = await this.#writer.add(stream, { data, partitionKey });
    return added === AddOutcome.Queued;
  }

  async finish(): Promise<ReplaySummary> {
    let marker: string | null = null;
    if (!this.#options.dryRun) {
      await this.#writer.flush();
      marker = await this.#writeMarker();
    }
    return summarise(this.#items, marker);
  }

  async #writeMarker(): Promise<string | null> {
    if (this.#sent.size === 0) return null;
    const ids = [...this.#sent].sort();
    const name = createHash('sha256').update(ids.join('\n')).digest('hex');
    const day = new Date(this.#now).toISOString().slice(0, 10);
    const key = `${REPLAYED_PREFIX}/dt=${day}/${name.slice(0, DIRTY_NAME_LENGTH)}.json`;
    const body = JSON.stringify({ replayed_at: this.#now, ids });
    const { store, lakeBucket } = this.#options;
    await store.put(lakeBucket, key, body, 'application/json');
    return key;
  }
}

function stillDirty(message: string) {
  return {
    outcome: ReplayOutcome.StillDirty,
    table: null,
    reasons: [{ path: '', expected: 'a JSON object', actual: 'text', message }],
    text: null,
  };
}

/**
 * Why a record's `raw` cannot stand for the original, or null: a cut
 * `raw` never can; one whose bytes were not UTF-8 (and read as U+FFFD)
 * only goes back through a fix, which decides what the event should say.
 */
function unfaithfulRaw(record: DirtyRecord, fixed: boolean): string | null {
  const { source } = record;
  const where = source
    ? ` (s3://${source.bucket}/${source.key} from byte ${source.offset})`
    : '';
  if (record.raw_truncated === true) {
    const size = record.raw_bytes === undefined ? '' : ` ${record.raw_bytes}`;
    return `The dirty record keeps only the start of the original${size} bytes${where}, so it cannot be replayed from the record.`;
  }
  if (record.raw_base64 !== undefined && !fixed) {
    return `The original bytes${where} are not valid UTF-8 and raw reads them as U+FFFD; replay the record with a fix that says what the event holds.`;
  }
  return null;
}

function tooLarge(item: ReplayItem): Partial<ReplayItem> {
  return {
    outcome: ReplayOutcome.StillDirty,
    reasons: [
      {
        path: '',
        expected: `a Kinesis record of at most ${MAX_RECORD_BYTES} bytes with its partition key`,
        actual: 'more',
        message: `The record for event ${item.eventId} is larger than Kinesis takes.`,
      },
    ],
  };
}

/** Where a record without provenance was found: its dirty object's line. */
function lakeSource(
  options: ReplayDirtyOptions,
  key: string,
  line: number,
): Provenance {
  return {
    bucket: options.lakeBucket,
    key,
    etag: null,
    version_id: null,
    index: line,
    offset: 0,
  };
}

/** A dirty record's identity for markers: event id and raw text hash. */
function replayIdOf(record: DirtyRecord): string {
  const hash = createHash('sha256').update(record.raw).digest('hex');
  return `${record.event_id ?? ''}#${hash.slice(0, 16)}`;
}

async function replayedIds(
  store: ObjectStore,
  bucket: string,
  log: Log,
): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const key of store.list(bucket, `${REPLAYED_PREFIX}/`)) {
    try {
      const marker = JSON.parse(await readObjectText(store, bucket, key));
      for (const id of marker.ids as string[]) ids.add(id);
    } catch (error) {
      log.warn('Ignoring a replay marker that cannot be read', { key, error });
    }
  }
  return ids;
}

async function dirtyKeys(
  store: ObjectStore,
  bucket: string,
  tables: readonly string[] | undefined,
): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(bucket, `${DIRTY_PREFIX}/`)) {
    const table = key.split('/')[1] ?? '';
    if (!key.endsWith('.jsonl')) continue;
    if (tables === undefined || tables.includes(table)) keys.push(key);
  }
  return keys.sort();
}

async function readDirtyRecords(
  store: ObjectStore,
  bucket: string,
  key: string,
  log: Log,
): Promise<[number, DirtyRecord][]> {
  const lines = (await readObjectText(store, bucket, key)).split('\n');
  return lines.flatMap((line, at): [number, DirtyRecord][] => {
    if (line.trim() === '') return [];
    try {
      return [[at, JSON.parse(line) as DirtyRecord]];
    } catch (error) {
      log.warn('Skipping a dirty line that is not JSON', {
        key,
        line: at,
        error,
      });
      return [];
    }
  });
}

function summarise(items: ReplayItem[], marker: string | null): ReplaySummary {
  const count = (outcome: ReplayOutcome) =>
    items.filter((item) => item.outcome === outcome).length;
  const records: Record<string, number> = {};
  for (const item of items) {
    if (item.outcome !== ReplayOutcome.Replayed || item.table === null)
      continue;
    records[item.table] = (records[item.table] ?? 0) + 1;
  }
  return {
    considered: items.length,
    replayed: count(ReplayOutcome.Replayed),
    stillDirty: count(ReplayOutcome.StillDirty),
    alreadyReplayed: count(ReplayOutcome.AlreadyReplayed),
    records,
    items,
    marker,
  };
}
