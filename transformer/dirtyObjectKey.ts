import { createHash } from 'node:crypto';
import { DIRTY_NAME_LENGTH, DIRTY_PREFIX } from './constants.js';

/** What names a quarantine object: the Firehose records it holds. */
export interface QuarantinedRecordId {
  recordId: string;
  /** The record's data exactly as Firehose sent it (base64). */
  data: string;
  /** Firehose's arrival time of the record, epoch milliseconds. */
  approximateArrivalTimestamp: number;
}

/**
 * The key of the quarantine object for one table's dirty records of one
 * invocation: `dirty/<table>/dt=YYYY-MM-DD/<hash>.jsonl`.
 *
 * Everything in it comes from the records, never from the clock, so a
 * retried invocation rewrites the same object instead of adding a copy:
 * the hash covers each record's id and data in order, and the date is the
 * earliest arrival time (Firehose keeps it across retries), falling back
 * to `fallbackTime` only when no record carries a usable one.
 */
export function dirtyObjectKey(
  table: string,
  records: readonly QuarantinedRecordId[],
  fallbackTime: number,
): string {
  const day = utcDay(earliestArrival(records) ?? fallbackTime);
  return `${DIRTY_PREFIX}/${table}/dt=${day}/${nameOf(records)}.jsonl`;
}

function nameOf(records: readonly QuarantinedRecordId[]): string {
  const hash = createHash('sha256');
  for (const record of records) {
    hash.update(record.recordId).update('\0').update(record.data).update('\n');
  }
  return hash.digest('hex').slice(0, DIRTY_NAME_LENGTH);
}

function earliestArrival(
  records: readonly QuarantinedRecordId[],
): number | undefined {
  let earliest: number | undefined;
  for (const { approximateArrivalTimestamp: time } of records) {
    if (!isDateTime(time)) continue;
    if (earliest === undefined || time < earliest) earliest = time;
  }
  return earliest;
}

// Dates hold ±8.64e15 ms; beyond that toISOString throws.
function isDateTime(time: unknown): time is number {
  return typeof time === 'number' && Math.abs(time) <= 8.64e15;
}

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
