import type { DirtyRecord } from '../schemas/DirtyRecord.js';
import type { ObjectStore } from '../schemas/ports/ObjectStore.js';
import { DIRTY_CONTENT_TYPE } from './constants.js';
import { dirtyObjectKey, type QuarantinedRecordId } from './dirtyObjectKey.js';
import { QuarantineWriteError } from './errors.js';

/** One dirty record to quarantine, with the Firehose record it came in. */
export interface QuarantineEntry extends QuarantinedRecordId {
  dirty: DirtyRecord;
}

/** What happened to one table's quarantine object. */
export interface QuarantineOutcome {
  table: string;
  key: string;
  entries: readonly QuarantineEntry[];
  /** Present when the write failed; those records were not saved. */
  error?: QuarantineWriteError;
}

/**
 * Writes an invocation's dirty records as JSON lines, one object per
 * table, and reports which writes succeeded. It never rejects: a failed
 * write is an outcome, so the caller can answer those records
 * `ProcessingFailed` and still deliver the rest of the batch.
 *
 * @param bucket the lake bucket the objects go to
 * @param processedAt the invocation's processing time, epoch milliseconds,
 *   used for the date folder only when no record has an arrival time
 */
export async function quarantineDirtyRecords(
  store: ObjectStore,
  bucket: string,
  entries: readonly QuarantineEntry[],
  processedAt: number,
): Promise<QuarantineOutcome[]> {
  const groups = [...groupByTable(entries)];
  return Promise.all(
    groups.map(([table, group]) =>
      writeGroup(store, bucket, table, group, processedAt),
    ),
  );
}

function groupByTable(
  entries: readonly QuarantineEntry[],
): Map<string, QuarantineEntry[]> {
  const groups = new Map<string, QuarantineEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.dirty.table);
    if (group === undefined) groups.set(entry.dirty.table, [entry]);
    else group.push(entry);
  }
  return groups;
}

async function writeGroup(
  store: ObjectStore,
  bucket: string,
  table: string,
  group: readonly QuarantineEntry[],
  processedAt: number,
): Promise<QuarantineOutcome> {
  const key = dirtyObjectKey(table, group, processedAt);
  try {
    await store.put(bucket, key, jsonLines(group), DIRTY_CONTENT_TYPE);
    return { table, key, entries: group };
  } catch (cause) {
    const error = new QuarantineWriteError(
      `Cannot quarantine ${group.length} dirty record(s) of table ${table} to s3://${bucket}/${key}.`,
      { cause },
    );
    return { table, key, entries: group, error };
  }
}

function jsonLines(group: readonly QuarantineEntry[]): string {
  return `${group.map((entry) => JSON.stringify(entry.dirty)).join('\n')}\n`;
}
