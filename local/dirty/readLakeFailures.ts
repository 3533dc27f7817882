import { isLeft } from 'fp-ts/lib/Either.js';
import { readObjectText } from '../../producer/readObjectText.js';
import type { ObjectStore } from '../../schemas/index.js';
import { DIRTY_FOLDER, ERRORS_FOLDER } from './constants.js';
import { dirtyLineRecord } from './dirtyLineRecord.js';
import { errorLineRecord, errorObjectOf } from './errorLineRecord.js';
import { type FailureFilter, matchesFilter } from './FailureFilter.js';
import type { FailureRecord } from './FailureRecord.js';

/** A line of a `dirty/` object that is not a dirty record. */
export interface UnreadableLine {
  object_key: string;
  line: number;
  message: string;
}

/** Everything in the lake that did not become a clean row. */
export interface LakeFailures {
  /** In object key order, then line order. */
  records: FailureRecord[];
  unreadable: UnreadableLine[];
}

/**
 * Reads every record that did not become a clean row from the lake: the
 * dirty JSON lines under `dirty/<table>/` (producer and transformer) and
 * the error lines under `errors/<table>/` (Firehose), the latter decoded
 * to their event where the record kept it.
 *
 * @example
 * const { records } = await readLakeFailures(store, 'lake', { kinds: ['unroutable'] });
 *
 * @param store the lake's object store
 * @param bucket the lake's bucket in it
 * @param filter the kinds and tables wanted; all by default
 */
export async function readLakeFailures(
  store: ObjectStore,
  bucket: string,
  filter: FailureFilter = {},
): Promise<LakeFailures> {
  const found: LakeFailures = { records: [], unreadable: [] };
  for (const key of await sortedKeys(store, bucket, `${DIRTY_FOLDER}/`)) {
    if (!key.endsWith('.jsonl')) continue;
    const lines = await linesOf(store, bucket, key);
    readDirtyLines(key, lines, filter, found);
  }
  for (const key of await sortedKeys(store, bucket, `${ERRORS_FOLDER}/`)) {
    const object = errorObjectOf(key);
    if (object === undefined) continue;
    for (const [line, text] of await linesOf(store, bucket, key)) {
      const record = errorLineRecord(text, object);
      if (!matchesFilter(record, object.table, filter)) continue;
      found.records.push({ ...record, object_key: key, line });
    }
  }
  return found;
}

function readDirtyLines(
  key: string,
  lines: readonly [number, string][],
  filter: FailureFilter,
  found: LakeFailures,
) {
  const folder = key.split('/')[1] ?? '';
  for (const [line, text] of lines) {
    const read = dirtyLineRecord(text);
    if (isLeft(read)) {
      found.unreadable.push({ object_key: key, line, message: read.left });
    } else if (matchesFilter(read.right, folder, filter)) {
      found.records.push({ ...read.right, object_key: key, line });
    }
  }
}

async function sortedKeys(
  store: ObjectStore,
  bucket: string,
  prefix: string,
): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(bucket, prefix)) keys.push(key);
  return keys.sort();
}

/** The object's non-blank lines with their numbers, from 0. */
async function linesOf(
  store: ObjectStore,
  bucket: string,
  key: string,
): Promise<[number, string][]> {
  const text = await readObjectText(store, bucket, key);
  return text
    .split('\n')
    .map((line, at): [number, string] => [at, line])
    .filter(([, line]) => line.trim() !== '');
}
