import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type DuckDBConnection,
  type DuckDBResultReader,
  DuckDBTypeId,
  StatementType,
} from '@duckdb/node-api';
import { TABLES, type TableSpec } from '../../schemas/index.js';
import { LakeQueryError } from '../errors.js';
import { assertPlainExplain } from './assertPlainExplain.js';
import { lakeFiles } from './lakeFiles.js';
import { lakeViews } from './lakeViews.js';
import { lockToFiles } from './lockToFiles.js';
import { openDuckDb } from './openDuckDb.js';
import { readOnlyStatement } from './readOnlyStatement.js';

/** A query's answer: column names in order, rows as JSON-ready objects. */
export interface LakeQueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

/**
 * Runs one reading SQL statement against the lake, through the views
 * `lakeViews` creates (one per table, `<table>_all`, `dirty`, `dirty_all`,
 * `errors`). Anything but exactly one SELECT-like statement or a plain
 * EXPLAIN is refused with a `CommandArgumentError`, and the database may
 * read the lake's files but write none (see `lockToFiles`). Values come
 * back ready for JSON: whole numbers as numbers (as text beyond 2^53),
 * timestamps as ISO-8601 text, dates as `YYYY-MM-DD`, bytes as base64.
 *
 * @example
 * const { rows } = await queryLake('.dvault/lake', 'SELECT count(*) AS n FROM ste_event');
 *
 * @param lakeDir the lake folder
 * @param sql the statement
 * @param tables the tables to expose; every table by default
 */
export async function queryLake(
  lakeDir: string,
  sql: string,
  tables: readonly TableSpec[] = TABLES,
): Promise<LakeQueryResult> {
  if (!existsSync(lakeDir)) {
    throw new LakeQueryError(`The lake folder ${lakeDir} does not exist.`);
  }
  const lake = resolve(lakeDir);
  const files = lakeFiles(lake);
  const duck = await openDuckDb();
  const connection = await duck.connect();
  try {
    await createViews(connection, lakeViews(lake, tables, files));
    await lockToFiles(connection, files);
    const reader = await runReading(connection, sql, tables);
    const columns = reader.columnNames();
    const dates = reader
      .columnTypes()
      .map((type) => type.typeId === DuckDBTypeId.DATE);
    const rows = reader
      .getRowObjectsJS()
      .map((row) => jsonRow(row, columns, dates));
    return { columns, rows };
  } finally {
    connection.closeSync();
    duck.closeSync();
  }
}

/**
 * Makes the views. DuckDB reads each file's schema here, so a file of the
 * lake that is not Parquet (or not JSON lines) fails now; the error names
 * the file, without the view's SQL, which is ours and not the user's.
 */
async function createViews(
  connection: DuckDBConnection,
  statements: readonly string[],
): Promise<void> {
  for (const statement of statements) {
    await connection.run(statement).catch((cause: unknown) => {
      const [first] = messageOf(cause).split('\n');
      throw new LakeQueryError(
        `A file of the lake cannot be read, so no query can run until it is moved away: ${first}`,
        { cause },
      );
    });
  }
}

async function runReading(
  connection: DuckDBConnection,
  sql: string,
  tables: readonly TableSpec[],
): Promise<DuckDBResultReader> {
  const prepared = await readOnlyStatement(connection, sql);
  try {
    if (prepared.statementType === StatementType.EXPLAIN) {
      await assertPlainExplain(sql, tables);
    }
    return await prepared.runAndReadAll().catch((cause: unknown) => {
      throw new LakeQueryError(`The query failed: ${messageOf(cause)}`, {
        cause,
      });
    });
  } finally {
    prepared.destroySync();
  }
}

function jsonRow(
  row: Record<string, unknown>,
  columns: readonly string[],
  dates: readonly boolean[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((column, index) => {
    const value = row[column];
    out[column] =
      dates[index] && value instanceof Date
        ? value.toISOString().slice(0, 10)
        : jsonValue(value);
  });
  return out;
}

/** Turns a DuckDB JS value into one JSON can hold without loss of meaning. */
export function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) &&
      value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(jsonValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, jsonValue(item)]),
    );
  }
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
