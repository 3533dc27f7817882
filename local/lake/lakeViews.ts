import { relative, sep } from 'node:path';
import {
  type Column,
  type DirtyRecord,
  duckDbType,
  type TableSpec,
} from '../../schemas/index.js';

/**
 * The columns of a dirty record line, as `dvault-format.md` and
 * `schemas/DirtyRecord.ts` describe it; read with explicit types so an
 * empty or odd file never changes the view's shape. Typed field by field
 * against `DirtyRecord`, so a field added there without a column here
 * fails type checking; the producer's `raw_*` fields read as null
 * elsewhere.
 */
const DIRTY_COLUMNS: { readonly [K in keyof DirtyRecord]-?: string } = {
  event_id: 'VARCHAR',
  kind: 'VARCHAR',
  table: 'VARCHAR',
  reasons:
    'STRUCT("path" VARCHAR, "expected" VARCHAR, "actual" VARCHAR, "message" VARCHAR)[]',
  raw: 'VARCHAR',
  raw_bytes: 'BIGINT',
  raw_truncated: 'BOOLEAN',
  raw_base64: 'VARCHAR',
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
 * - `<table>_all`: every Parquet row of the table, with the `dt` partition
 *   as text;
 * - `<table>`: the same, one row per `event_id` (the earliest ingested),
 *   so redelivered and relanded events count once, `dt` as a date;
 * - `dirty_all`: every quarantined record of `dirty/<table>/dt=.../`, with
 *   its day (text) and file, times in epoch milliseconds as written;
 * - `dirty`: the same, one row per table, kind and event (see
 *   `DIRTY_IDENTITY`), the earliest ingested, so a record quarantined again
 *   on redelivery or relanding counts once; times as timestamps, `dt` as
 *   a date;
 * - `errors`: every record Firehose kept under `errors/`.
 *
 * The views name their files one by one rather than by glob, so DuckDB
 * can be locked to exactly those files afterwards (see `queryLake`). A
 * view without files yet is still made, empty and typed.
 *
 * @param lakeDir the lake folder
 * @param tables the tables to expose
 * @param files the lake's files, as `lakeFiles` lists them
 */
export function lakeViews(
  lakeDir: string,
  tables: readonly TableSpec[],
  files: readonly string[],
): string[] {
  const lake = new LakeLayout(lakeDir, files);
  return [
    ...tables.flatMap((table) => tableViews(lake, table)),
    ...dirtyViews(lake),
    errorsView(lake),
  ];
}

/** Picks the files of one view by their place under the lake. */
class LakeLayout {
  readonly #paths: { file: string; parts: string[] }[];

  constructor(lakeDir: string, files: readonly string[]) {
    this.#paths = files.map((file) => ({
      file,
      parts: relative(lakeDir, file).split(sep),
    }));
  }

  /** The files whose path parts below the lake all pass their checks. */
  files(...checks: ((part: string) => boolean)[]): string[] {
    return this.#paths
      .filter(
        ({ parts }) =>
          parts.length === checks.length &&
          checks.every((check, index) => check(parts[index] as string)),
      )
      .map(({ file }) => file);
  }
}

const is = (name: string) => (part: string) => part === name;
const any = () => true;
const day = (part: string) => part.startsWith('dt=');
const endsWith = (suffix: string) => (part: string) => part.endsWith(suffix);

/**
 * The `dt` partition read as text, as Athena reads it from a Glue table
 * (`_all`); the de-duplicated views give it as a date in both engines,
 * and `dirty` its epoch-millisecond times as timestamps, so the same SQL
 * runs on either side.
 */
const PARTITION_AS_TEXT =
  'hive_partitioning = true, hive_types_autocast = false';

function tableViews(lake: LakeLayout, table: TableSpec): string[] {
  const files = lake.files(
    is('clean'),
    is(table.name),
    any,
    endsWith('.parquet'),
  );
  const source =
    files.length > 0
      ? `SELECT * FROM read_parquet(${list(files)}, ${PARTITION_AS_TEXT}, union_by_name = true)`
      : emptySelect(table.columns, 'CAST(NULL AS VARCHAR) AS dt');
  return [
    `CREATE OR REPLACE VIEW ${ident(`${table.name}_all`)} AS ${source}`,
    `CREATE OR REPLACE VIEW ${ident(table.name)} AS SELECT * REPLACE (CAST(dt AS DATE) AS dt) FROM ${ident(`${table.name}_all`)} QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY ingested_at, source_key, source_index) = 1`,
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

function dirtyViews(lake: LakeLayout): string[] {
  return [
    dirtyAllView(lake),
    `CREATE OR REPLACE VIEW dirty AS SELECT * REPLACE (epoch_ms(ingested_at) AS ingested_at, epoch_ms(processed_at) AS processed_at, CAST(dt AS DATE) AS dt) FROM dirty_all QUALIFY row_number() OVER (PARTITION BY "table", kind, ${DIRTY_IDENTITY} ORDER BY dirty_all.ingested_at NULLS LAST, dirty_all.processed_at, filename) = 1`,
  ];
}

function dirtyAllView(lake: LakeLayout): string {
  const files = lake.files(is('dirty'), any, day, endsWith('.jsonl'));
  const columns = Object.entries(DIRTY_COLUMNS)
    .map(([name, type]) => `${quote(name)}: ${quote(type)}`)
    .join(', ');
  const select = `event_id, kind, "table", reasons, raw, raw_bytes, raw_truncated, raw_base64, source, ingested_at, kinesis, processed_at`;
  const source =
    files.length > 0
      ? `SELECT ${select}, dt, filename FROM read_json(${list(files)}, format = 'newline_delimited', columns = {${columns}}, ${PARTITION_AS_TEXT}, filename = true)`
      : `SELECT ${select}, NULL::VARCHAR AS dt, NULL::VARCHAR AS filename FROM (SELECT ${nullColumns(DIRTY_COLUMNS)}) WHERE false`;
  return `CREATE OR REPLACE VIEW dirty_all AS ${source}`;
}

function nullColumns(columns: Record<string, string>): string {
  return Object.entries(columns)
    .map(([name, type]) => `CAST(NULL AS ${type}) AS ${ident(name)}`)
    .join(', ');
}

/** Firehose's error output types and the keys each writes its error in. */
const ERROR_TYPES = [
  ['processing-failed', 'errorCode', 'errorMessage'],
  ['format-conversion-failed', 'ErrorCode', 'ErrorMessage'],
] as const;

function errorsView(lake: LakeLayout): string {
  const parts = ERROR_TYPES.map(([type, code, message]) => ({
    files: lake.files(is('errors'), any, is(type), any, any),
    type,
    code,
    message,
  }))
    .filter(({ files }) => files.length > 0)
    .map(errorSelect);
  const empty = `SELECT NULL::VARCHAR AS "table", NULL::VARCHAR AS error_type, NULL::VARCHAR AS error_code, NULL::VARCHAR AS error_message, NULL::TIMESTAMP AS arrived_at, NULL::INTEGER AS attempts_made, NULL::VARCHAR AS raw_data, NULL::VARCHAR AS filename WHERE false`;
  return `CREATE OR REPLACE VIEW errors AS ${parts.length > 0 ? parts.join(' UNION ALL ') : empty}`;
}

interface ErrorFiles {
  files: string[];
  type: string;
  code: string;
  message: string;
}

function errorSelect({ files, type, code, message }: ErrorFiles): string {
  const columns = `{${quote(code)}: 'VARCHAR', ${quote(message)}: 'VARCHAR', 'arrivalTimestamp': 'BIGINT', 'attemptsMade': 'INTEGER', 'rawData': 'VARCHAR'}`;
  return `SELECT split_part(filename, '/', -4) AS "table", ${quote(type)} AS error_type, ${ident(code)} AS error_code, ${ident(message)} AS error_message, epoch_ms(arrivalTimestamp) AS arrived_at, attemptsMade AS attempts_made, rawData AS raw_data, filename FROM read_json(${list(files)}, format = 'newline_delimited', columns = ${columns}, filename = true)`;
}

function emptySelect(columns: readonly Column[], ...extra: string[]): string {
  const casts = columns.map(
    (column) =>
      `CAST(NULL AS ${duckDbType(column.type)}) AS ${ident(column.name)}`,
  );
  return `SELECT ${[...casts, ...extra].join(', ')} WHERE false`;
}

function list(files: readonly string[]): string {
  return `[${files.map(quote).join(', ')}]`;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
