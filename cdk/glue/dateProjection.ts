import { MIN_TIMESTAMP_MS } from '../../schemas/index.js';
import { DATE_PARTITION, DATE_PARTITION_FORMAT } from '../constants.js';

/** The first day Athena projects: the contract's earliest timestamp. */
export const FIRST_PROJECTED_DAY = new Date(MIN_TIMESTAMP_MS)
  .toISOString()
  .slice(0, 10);

/**
 * Glue table parameters projecting the `dt` partition as one value per day
 * from the contract's first day to today, so Athena needs no crawler and
 * no `MSCK REPAIR` to see a new day's objects.
 */
export function dateProjection(): Record<string, string> {
  const column = `projection.${DATE_PARTITION}`;
  return {
    [`${column}.type`]: 'date',
    [`${column}.format`]: DATE_PARTITION_FORMAT,
    [`${column}.range`]: `${FIRST_PROJECTED_DAY},NOW`,
    [`${column}.interval`]: '1',
    [`${column}.interval.unit`]: 'DAYS',
  };
}
