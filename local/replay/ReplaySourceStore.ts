import { Readable } from 'node:stream';
import { isRight } from 'fp-ts/lib/Either.js';
import { readObjectText } from '../../producer/readObjectText.js';
import type {
  DirtyRecord,
  ObjectStore,
  OpenedObject,
} from '../../schemas/index.js';
import { ErrorOutputType } from '../constants.js';
import { DIRTY_FOLDER, ERRORS_FOLDER } from '../dirty/constants.js';
import { dirtyLineRecord } from '../dirty/dirtyLineRecord.js';
import {
  type ErrorObject,
  errorLineRecord,
  errorObjectOf,
} from '../dirty/errorLineRecord.js';
import { type FailureFilter, matchesFilter } from '../dirty/FailureFilter.js';

const FAILED = ErrorOutputType.ProcessingFailed;

/**
 * The lake as `producer/replayDirty.ts` should see it for a local replay.
 * replayDirty reads `dirty/` only; this adds Firehose's `processing-failed`
 * records, which keep the producer's Kinesis record whole, as if they were
 * dirty objects: `errors/<t>/processing-failed/<rest>` is listed as
 * `dirty/<t>/processing-failed/<rest>.jsonl`, each line read as a dirty
 * record with kind `processing_failed`. It also blanks the lines a filter
 * leaves out, keeping line numbers, since replayDirty filters by folder
 * only. Everything else (replay markers included) passes through.
 *
 * `format-conversion-failed` records are not offered: Firehose keeps the
 * transformer's row there, not the event, so there is nothing to replay.
 *
 * @example
 * const store = new ReplaySourceStore(lake, { kinds: ['unroutable'] });
 * await replayDirty({ store, lakeBucket: 'lake', kinesis, dryRun: true });
 */
export class ReplaySourceStore implements ObjectStore {
  readonly #inner: ObjectStore;
  readonly #filter: FailureFilter;

  /**
   * @param inner the lake's store
   * @param filter the kinds and tables to offer; all by default
   */
  constructor(inner: ObjectStore, filter: FailureFilter = {}) {
    this.#inner = inner;
    this.#filter = filter;
  }

  /**
   * The lake key a key of this store stands for: the error object behind
   * a listed `processing-failed` key, any other key itself.
   */
  static lakeKeyOf(key: string): string {
    const [folder, table, type, ...rest] = key.split('/');
    if (folder !== DIRTY_FOLDER || type !== FAILED) return key;
    const name = rest.join('/').replace(/\.jsonl$/, '');
    return `${ERRORS_FOLDER}/${table}/${FAILED}/${name}`;
  }

  async open(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<OpenedObject> {
    const lakeKey = ReplaySourceStore.lakeKeyOf(key);
    const failed = errorObjectOf(lakeKey);
    if (failed === undefined && !key.startsWith(`${DIRTY_FOLDER}/`)) {
      return this.#inner.open(bucket, key, versionId);
    }
    const lines = (await readObjectText(this.#inner, bucket, lakeKey)).split(
      '\n',
    );
    const folder = key.split('/')[1] ?? '';
    const kept = lines.map((line) =>
      line.trim() === ''
        ? ''
        : failed
          ? this.#errorLine(line, failed)
          : this.#dirtyLine(line, folder),
    );
    return { body: Readable.from([kept.join('\n')]) };
  }

  put(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    contentType?: string,
  ): Promise<void> {
    return this.#inner.put(bucket, key, body, contentType);
  }

  async *list(bucket: string, prefix: string): AsyncIterable<string> {
    yield* this.#inner.list(bucket, prefix);
    if (!`${DIRTY_FOLDER}/`.startsWith(prefix)) return;
    for await (const key of this.#inner.list(bucket, `${ERRORS_FOLDER}/`)) {
      const object = errorObjectOf(key);
      if (object?.type !== FAILED) continue;
      const listed = `${DIRTY_FOLDER}/${key.slice(ERRORS_FOLDER.length + 1)}.jsonl`;
      if (listed.startsWith(prefix)) yield listed;
    }
  }

  /** A dirty line as written, or blank when the filter leaves it out. */
  #dirtyLine(line: string, folder: string): string {
    const read = dirtyLineRecord(line);
    if (!isRight(read)) return line;
    return matchesFilter(read.right, folder, this.#filter) ? line : '';
  }

  /** A `processing-failed` line as a dirty record's line, or blank. */
  #errorLine(line: string, object: ErrorObject): string {
    const failed = errorLineRecord(line, object);
    if (!matchesFilter(failed, object.table, this.#filter)) return '';
    // replayDirty reads the kind only to report it back; a Firehose
    // failure has no dirty kind of its own, so it keeps its failure kind.
    const record = { ...failed, processed_at: failed.processed_at ?? 0 };
    return JSON.stringify(record as DirtyRecord);
  }
}
