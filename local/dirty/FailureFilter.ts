import type { FailedEvent } from './FailureRecord.js';

/** Which failed records a command looks at; every one unless narrowed. */
export interface FailureFilter {
  /** Only these kinds (`unroutable`, `processing_failed`...). */
  kinds?: readonly string[];
  /**
   * Only records meant for these tables, or kept in these folders
   * (`_producer`, `ste_event`...): a record too large for its stream is
   * meant for its table but kept under `dirty/_producer/`.
   */
  tables?: readonly string[];
}

/**
 * True when a failed record passes the filter.
 *
 * @param record the record
 * @param folder the table folder its object lies in (`dirty/<folder>/...`)
 * @param filter the kinds and tables asked for
 */
export function matchesFilter(
  record: Pick<FailedEvent, 'kind' | 'table'>,
  folder: string,
  filter: FailureFilter,
): boolean {
  const { kinds, tables } = filter;
  if (kinds !== undefined && !kinds.includes(record.kind)) return false;
  if (tables === undefined) return true;
  return tables.includes(record.table) || tables.includes(folder);
}
