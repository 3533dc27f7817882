import { COPY_NUMBER_COLUMN } from '../constants.js';

/** What a de-duplicating view reads and how it tells copies apart. */
export interface FirstCopy {
  /** The columns the view answers with, in order. */
  readonly columns: readonly string[];
  /** The Glue table read, as `"<database>"."<table>"`. */
  readonly from: string;
  /** The expressions that are equal for two copies of one record. */
  readonly sameRecord: readonly string[];
  /** The order in which the first copy comes first. */
  readonly firstBy: readonly string[];
  /**
   * Columns answered with an expression over the read table's columns
   * instead of as they are, by name (a cast, say).
   */
  readonly expressions?: Readonly<Record<string, string>>;
}

/**
 * Athena SQL keeping the first copy of each record. Trino has no QUALIFY
 * and no `SELECT * EXCEPT`, so the copies are numbered in a subquery and
 * the outer query names its columns, which leaves the number out.
 *
 * @example
 * firstCopySql({ columns: ['event_id'], from: '"dvault"."t_all"', sameRecord: ['"event_id"'], firstBy: ['"ingested_at"'] });
 */
export function firstCopySql(copy: FirstCopy): string {
  const columns = copy.columns
    .map((name) => {
      const expression = copy.expressions?.[name];
      return expression === undefined
        ? quoted(name)
        : `${expression} AS ${quoted(name)}`;
    })
    .join(', ');
  const numbered = `SELECT *, row_number() OVER (PARTITION BY ${copy.sameRecord.join(', ')} ORDER BY ${copy.firstBy.join(', ')}) AS ${quoted(COPY_NUMBER_COLUMN)} FROM ${copy.from}`;
  return `SELECT ${columns} FROM (${numbered}) WHERE ${quoted(COPY_NUMBER_COLUMN)} = 1`;
}

/** An identifier quoted for Athena, which also makes keywords safe. */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
