import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Column,
  duckDbType,
  type TableSpec,
} from '../../schemas/index.js';

/**
 * The columns of a dirty record line, as `dvault-format.md` and
 * `schemas/DirtyRecord.ts` describe it; read with explicit types so an
 * empty or odd file never changes the view's shape.
 */
const DIRTY_COLUMNS: Record<string, string> = {
  event_id: 'VARCHAR',
  kind: 'VARCHAR',
  table: 'VARCHAR',
  reasons:
    'STRUCT("path" VARCHAR, "expected" VARCHAR, "actual" VARCHAR, "message" VARCHAR)[]',
  raw: 'VARCHAR',
  source:
    'STRUCT("bucket" VARCHAR, "key" VARCHAR, "etag" VARCHAR, "version_id" VARCHAR, "index" BIGINT, "offset" BIGINT)',
  ingested_at: 'BIGINT',
  kinesis:
    'STRUCT("shard_id" VARCHAR, "partition_key" VARCHAR, "sequence_number" VARCHAR, "subsequence_number" VARCHAR, "approximate_arrival_timestamp" BIGINT, "stream_arn" VARCHAR)',
  processed_at: 'BIGINT',
};

/**
 * The SQL that creates the lake's views, one statement per element:
 *
 * - `<table>_all`: every Parquet row of the table, with the `dt` partition;
 * - `<table>`: the same, one row per `event_id` (the earliest ingested),
 *   so redelivered and relanded events count once;
 * - `dirty_all`: every quarantined record of `dirty/<table>/dt=.../`, with
 *   its day and file;
 * - `dirty`: the same, one row per table, kind and event (see
 *   `DIRTY_IDENTITY`), the earliest ingested, so a record quarantined again
 *   on redelivery or relanding counts once;
 * - `errors`: every record Firehose kept under `errors/`.
 *
 * A table without files yet still gets both views, empty and typed.
 *
 * @param lakeDir the lake folder
 * @param tables the tables to expose
 */
export function lakeViews(
  lakeDir: string,
  tables: readonly TableSpec[],
): string[] {
  return [
    ...tables.flatMap((table) => tableViews(lakeDir, table)),
    ...dirtyViews(lakeDir),
    errorsView(lakeDir),
  ];
}

function tableViews(lakeDir: string, table: TableSpec): string[] {
  const folder = join(lakeDir, 'clean', table.name);
  const source = hasFiles(folder, '.parquet')
    ? `SELECT * FROM read_parquet(${quote(join(folder, '*', '*.parquet'))}, hive_partitioning = true, union_by_name = true)`
    : emptySelect(table.columns, 'CAST(NULL AS DATE) AS dt');
  return [
    `CREATE OR REPLACE VIEW ${ident(`${table.name}_all`)} AS ${source}`,
    `CREATE OR REPLACE VIEW ${ident(table.name)} AS SELECT * FROM ${ident(`${table.name}_all`)} QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY ingested_at, source_key, source_index) = 1`,
  ];
}

/**
 * What makes two dirty records the same within a table and kind: the
 * event's id (the producer gives every piece one, unparsable stretches a
 * hash of their file and place); without one the place it was read from,
 * then the Kinesis record it came in, then its raw text.
 */
const DIRTY_IDENTITY = `CASE
  WHEN event_id IS NOT NULL THEN 'event:' || event_id
  WHEN source IS NOT NULL THEN 'source:' || concat_ws('/', coalesce(source.bucket, ''), coalesce(source.key, ''), coalesce(source.etag, source.version_id, ''), coalesce(source.offset::VARCHAR, ''))
  WHEN kinesis IS NOT NULL THEN 'kinesis:' || concat_ws('/', coalesce(kinesis.stream_arn, ''), coalesce(kinesis.shard_id, ''), coalesce(kinesis.sequence_number, ''), coalesce(kinesis.subsequence_number, ''))
  ELSE 'raw:' || md5(raw)
END`;

function dirtyViews(lakeDir: string): string[] {
  return [
    dirtyAllView(lakeDir),
    `CREATE OR REPLACE VIEW dirty AS SELECT * FROM dirty_all QUALIFY row_number() OVER (PARTITION BY "table", kind, ${DIRTY_IDENTITY} ORDER BY ingested_at NULLS LAST, processed_at, filename) = 1`,
  ];
}

function dirtyAllView(lakeDir: string): string {
  const folder = join(lakeDir, 'dirty');
  const columns = Object.entries(DIRTY_COLUMNS)
    .map(([name, type]) => `${quote(name)}: ${quote(type)}`)
    .join(', ');
  const select = `event_id, kind, "table", reasons, raw, source, epoch_ms(ingested_at) AS ingested_at, kinesis, epoch_ms(processed_at) AS processed_at`;
  const glob = join(folder, '*', 'dt=*', '*.jsonl');
  const source = hasFiles(folder, '.jsonl')
    ? `SELECT ${select}, dt, filename FROM read_json(${quote(glob)}, format = 'newline_delimited', columns = {${columns}}, hive_partitioning = true, filename = true)`
    : `SELECT ${select}, NULL::DATE AS dt, NULL::VARCHAR AS filename FROM (SELECT ${nullColumns(DIRTY_COLUMNS)}) WHERE false`;
  return `CREATE OR REPLACE VIEW dirty_all AS ${source}`;
}

function nullColumns(columns: Record<string, string>): string {
  return Object.entries(columns)
    .map(([name, type]) => `CAST(NULL AS ${type}) AS ${ident(name)}`)
    .join(', ');
}

function errorsView(lakeDir: string): string {
  const folder = join(lakeDir, 'errors');
  const parts = [
    ['processing-failed', 'errorCode', 'errorMessage'],
    ['format-conversion-failed', 'ErrorCode', 'ErrorMessage'],
  ]
    .filter(([type]) => hasFiles(folder, '', `/${type}/`))
    .map(([type, code, message]) =>
      errorSelect(folder, type as string, code as string, message as string),
    );
  const empty = `SELECT NULL::VARCHAR AS "table", NULL::VARCHAR AS error_type, NULL::VARCHAR AS error_code, NULL::VARCHAR AS error_message, NULL::TIMESTAMP AS arrived_at, NULL::INTEGER AS attempts_made, NULL::VARCHAR AS raw_data, NULL::VARCHAR AS filename WHERE false`;
  return `CREATE OR REPLACE VIEW errors AS ${parts.length > 0 ? parts.join(' UNION ALL ') : empty}`;
}

function errorSelect(
  folder: string,
  type: string,
  code: string,
  message: string,
) {
  const glob = join(folder, '*', type, '*', '*');
  const columns = `{${quote(code)}: 'VARCHAR', ${quote(message)}: 'VARCHAR', 'arrivalTimestamp': 'BIGINT', 'attemptsMade': 'INTEGER', 'rawData': 'VARCHAR'}`;
  return `SELECT split_part(filename, '/', -4) AS "table", ${quote(type)} AS error_type, ${ident(code)} AS error_code, ${ident(message)} AS error_message, epoch_ms(arrivalTimestamp) AS arrived_at, attemptsMade AS attempts_made, rawData AS raw_data, filename FROM read_json(${quote(glob)}, format = 'newline_delimited', columns = ${columns}, filename = true)`;
}

function emptySelect(columns: readonly Column[], ...extra: string[]): string {
  const casts = columns.map(
    (column) =>
      `CAST(NULL AS ${duckDbType(column.type)}) AS ${ident(column.name)}`,
  );
  return `SELECT ${[...casts, ...extra].join(', ')} WHERE false`;
}

/** True when a file with the suffix lies anywhere under the folder. */
function hasFiles(folder: string, suffix: string, contains = ''): boolean {
  if (!existsSync(folder)) return false;
  return readdirSync(folder, { recursive: true, withFileTypes: true }).some(
    (entry) =>
      entry.isFile() &&
      entry.name.endsWith(suffix) &&
      !entry.name.endsWith('.tmp') &&
      join(entry.parentPath, '/').includes(contains),
  );
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
