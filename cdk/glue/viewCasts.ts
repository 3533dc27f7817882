import { DATE_PARTITION } from '../constants.js';
import { quoted } from './firstCopySql.js';

/**
 * `dt` as a date: the partition's `yyyy-MM-dd` text read as a day, as the
 * views give it in both engines.
 */
export function dayOfPartition(): string {
  return `CAST(${quoted(DATE_PARTITION)} AS date)`;
}

/**
 * A column of epoch milliseconds (a JSON table's times) as a
 * `timestamp(3)`, the type Athena reads Parquet timestamps as.
 *
 * @param column the column's name, quoted here
 */
export function timestampOfMillis(column: string): string {
  return `date_add('millisecond', ${quoted(column)}, TIMESTAMP '1970-01-01 00:00:00.000')`;
}
