import { isLeft } from 'fp-ts/lib/Either.js';
import {
  encodeStreamRecord,
  type Log,
  type ObjectStore,
  type Provenance,
  resourceNameFor,
  routeEvent,
} from '../schemas/index.js';
import { AddOutcome, PieceKind, StretchCause } from './constants.js';
import type { SplitEvent, SplitPiece } from './EventScanner.js';
import { SourceReadError } from './errors.js';
import type { KinesisWriter } from './KinesisWriter.js';
import type { LandedObject } from './landedObjects.js';
import { type LandedFile, ProducerQuarantine } from './ProducerQuarantine.js';
import { partitionKeyOf } from './partitionKeyOf.js';
import { splitEvents } from './splitEvents.js';

/**
 * What the producer did with one landed file. Every piece read ends in
 * exactly one place, so `events` is always `sent + quarantined`.
 */
export interface FileSummary {
  /** The version read: its entity tag and version id, when known. */
  etag: string | null;
  versionId: string | null;
  /**
   * Pieces read from the file: its JSON objects and its stretches of bytes
   * that are not one, each counted once.
   */
  events: number;
  /** Records Kinesis accepted. */
  sent: number;
  /** Records put on a stream, by table. */
  records: Record<string, number>;
  /** Records quarantined under `dirty/_producer/`. */
  quarantined: number;
  /** The same, by dirty kind. */
  dirty: Record<string, number>;
  /** The dirty objects written. */
  dirtyKeys: readonly string[];
}

/** What producing a file needs. */
export interface ProduceFileDeps {
  store: ObjectStore;
  writer: KinesisWriter;
  lakeBucket: string;
  streamPrefix: string;
  log: Log;
  now: () => number;
}

/**
 * Reads one landed file through the object store and sends every event in
 * it to its table's stream, quarantining what cannot go. Resolves only
 * once every record was accepted by Kinesis and every dirty record was
 * written; rejects otherwise, so the file is retried.
 *
 * @param object the file, as a notification named it
 * @param deps the store, the writer and where things go
 */
export async function produceFile(
  object: LandedObject,
  deps: ProduceFileDeps,
): Promise<FileSummary> {
  const opened = await deps.store
    .open(object.bucket, object.key, object.versionId ?? undefined)
    .catch((cause: unknown) => {
      throw new SourceReadError(
        `Cannot read landed file s3://${object.bucket}/${object.key}.`,
        { cause },
      );
    });
  const file: LandedFile = {
    bucket: object.bucket,
    key: object.key,
    etag: opened.etag ?? object.etag,
    version_id: opened.versionId ?? object.versionId,
  };
  const run = new FileRun(file, object, deps);
  for await (const piece of splitEvents(opened.body)) await run.take(piece);
  return run.finish();
}

/** One file's progress: its quarantine, its counts, its ingestion time. */
class FileRun {
  readonly #quarantine: ProducerQuarantine;
  readonly #deps: ProduceFileDeps;
  readonly #file: LandedFile;
  readonly #ingestedAt: number;
  readonly #records: Record<string, number> = {};
  #read = 0;

  constructor(file: LandedFile, object: LandedObject, deps: ProduceFileDeps) {
    this.#deps = deps;
    this.#file = file;
    this.#ingestedAt = deps.now();
    this.#quarantine = new ProducerQuarantine({
      store: deps.store,
      lakeBucket: deps.lakeBucket,
      file,
      ingestedAt: this.#ingestedAt,
      // The notification's time survives retries; the clock does not.
      day: utcDay(object.eventTime ?? this.#ingestedAt),
      now: deps.now,
    });
  }

  /** Counts a piece read and sends or quarantines it. */
  async take(piece: SplitPiece) {
    this.#read++;
    const source = { ...this.#file, index: piece.index, offset: piece.offset };
    if (piece.kind === PieceKind.Event) {
      await this.#send(piece, source);
    } else if (piece.cause === StretchCause.Oversized) {
      await this.#quarantine.oversized(piece, source);
    } else {
      await this.#quarantine.unparsable(piece, source);
    }
  }

  /** Routes an event and queues its record, or quarantines it. */
  async #send(event: SplitEvent, source: Provenance) {
    const routed = routeEvent(event.value);
    if (isLeft(routed)) {
      await this.#quarantine.unroutable(event, source, routed.left);
      return;
    }
    const table = routed.right.name;
    const data = Buffer.from(
      encodeStreamRecord(source, this.#ingestedAt, event.text),
    );
    const partitionKey = partitionKeyOf(event.value, source);
    const stream = resourceNameFor(table, this.#deps.streamPrefix);
    const outcome = await this.#deps.writer.add(stream, { data, partitionKey });
    if (outcome === AddOutcome.TooLarge) {
      const bytes = data.byteLength + Buffer.byteLength(partitionKey);
      await this.#quarantine.tooLarge(event, source, table, bytes);
      return;
    }
    this.#records[table] = (this.#records[table] ?? 0) + 1;
  }

  /** Delivers what is queued and writes the quarantine. */
  async finish(): Promise<FileSummary> {
    await this.#deps.writer.flush();
    await this.#quarantine.flush();
    const dirty = this.#quarantine.counts;
    return {
      etag: this.#file.etag,
      versionId: this.#file.version_id,
      events: this.#read,
      sent: sum(this.#records),
      records: this.#records,
      quarantined: sum(dirty),
      dirty,
      dirtyKeys: this.#quarantine.keys,
    };
  }
}

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
