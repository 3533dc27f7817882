import { recordPlace } from '../replay/replayedRecords.js';
import { ListedKind } from './constants.js';
import type { FailureRecord } from './FailureRecord.js';
import type { LakeFailures, UnreadableLine } from './readLakeFailures.js';

/** A failed record as `dvault dirty` lists it. */
export interface ListedRecord extends FailureRecord {
  /** An earlier `dvault replay` put it back on its stream. */
  replayed: boolean;
}

/** How many records of one kind one table has. */
export interface KindCount {
  kind: string;
  table: string;
  records: number;
}

/** What `dvault dirty --json` prints. */
export interface DirtyReport {
  /** Records that did not become clean rows, within the filter. */
  total: number;
  /** Every kind named, zero included. */
  by_kind: Record<string, number>;
  by_table: Record<string, number>;
  /** Kind by table, the human summary's rows, in kind then table order. */
  counts: KindCount[];
  /** How many of them an earlier replay put back. */
  replayed: number;
  /** The first records, up to the limit, in lake order. */
  records: ListedRecord[];
  /** Lines of `dirty/` objects that are not dirty records. */
  unreadable: UnreadableLine[];
}

/**
 * Summarises a lake's failed records: counts by kind, by table and by
 * both, and the first `limit` records with whether each was replayed.
 *
 * @param failures what `readLakeFailures` found
 * @param replayed the places of replayed records (`replayedRecords`)
 * @param limit how many records to keep
 */
export function dirtyReport(
  failures: LakeFailures,
  replayed: ReadonlySet<string>,
  limit: number,
): DirtyReport {
  const { records, unreadable } = failures;
  const isReplayed = (record: FailureRecord) =>
    replayed.has(recordPlace(record.object_key, record.line));
  const byKind = Object.fromEntries(
    Object.values(ListedKind).map((kind): [string, number] => [kind, 0]),
  );
  return {
    total: records.length,
    by_kind: tally(records, (record) => record.kind, byKind),
    by_table: tally(records, (record) => record.table, {}),
    counts: kindCounts(records),
    replayed: records.filter(isReplayed).length,
    records: records
      .slice(0, limit)
      .map((record) => ({ ...record, replayed: isReplayed(record) })),
    unreadable,
  };
}

function tally(
  records: readonly FailureRecord[],
  keyOf: (record: FailureRecord) => string,
  start: Record<string, number>,
): Record<string, number> {
  const counts = { ...start };
  for (const record of records) {
    const key = keyOf(record);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function kindCounts(records: readonly FailureRecord[]): KindCount[] {
  const counts = tally(records, (r) => `${r.kind}\0${r.table}`, {});
  return Object.entries(counts)
    .map(([pair, n]) => {
      const [kind = '', table = ''] = pair.split('\0');
      return { kind, table, records: n };
    })
    .sort((a, b) =>
      a.kind === b.kind
        ? a.table.localeCompare(b.table)
        : a.kind.localeCompare(b.kind),
    );
}
