import { resolve } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * The context keys the app reads. `cdk.json` holds their defaults; override
 * one with `npx cdk synth -c dvault:shardCount=2`.
 */
export const ContextKey = {
  LandingBucketName: 'dvault:landingBucketName',
  LandingPrefix: 'dvault:landingPrefix',
  ShardCount: 'dvault:shardCount',
  ShardCounts: 'dvault:shardCounts',
  BufferSizeMiB: 'dvault:bufferSizeMiB',
  BufferIntervalSeconds: 'dvault:bufferIntervalSeconds',
  LambdaMemoryMiB: 'dvault:lambdaMemoryMiB',
  DirtyRetentionDays: 'dvault:dirtyRetentionDays',
  DirtyShareThreshold: 'dvault:dirtyShareThreshold',
  AlarmEmail: 'dvault:alarmEmail',
  Prefix: 'dvault:prefix',
} as const;
export type ContextKey = (typeof ContextKey)[keyof typeof ContextKey];

/** The top-level key prefixes of the lake bucket. */
export const LakePrefix = {
  Clean: 'clean/',
  Dirty: 'dirty/',
  Errors: 'errors/',
  AthenaResults: 'athena-results/',
} as const;
export type LakePrefix = (typeof LakePrefix)[keyof typeof LakePrefix];

/** The environment variables the handlers read their settings from. */
export const HandlerEnv = {
  LakeBucket: 'DVAULT_LAKE_BUCKET',
  StreamPrefix: 'DVAULT_STREAM_PREFIX',
  ServiceName: 'POWERTOOLS_SERVICE_NAME',
  MetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  LogLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;
export type HandlerEnv = (typeof HandlerEnv)[keyof typeof HandlerEnv];

/**
 * The Powertools service name of each handler. Powertools Metrics adds it
 * as the `service` dimension of every metric, so the alarms on the
 * transformer's metrics must name it too.
 */
export const ServiceName = {
  Producer: 'dvault-producer',
  Transformer: 'dvault-transformer',
} as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];

/** The CloudWatch namespace of the transformer's EMF metrics. */
export const METRICS_NAMESPACE = 'dvault';

/** The transformer's per-table record counts, dimensioned by `table`. */
export const TransformerMetric = {
  CleanRecords: 'CleanRecords',
  DirtyRecords: 'DirtyRecords',
  /** Records answered `ProcessingFailed`: Firehose keeps them under `errors/`. */
  FailedRecords: 'FailedRecords',
} as const;
export type TransformerMetric =
  (typeof TransformerMetric)[keyof typeof TransformerMetric];

/** The metric dimension carrying the table a count belongs to. */
export const TABLE_DIMENSION = 'table';

/** The repository root: bundling entries and the lock file live there. */
export const REPO_ROOT = resolve(import.meta.dirname, '..');

/** The handler entry files, relative to the repository root. */
export const HandlerEntry = {
  Producer: 'producer/handler.ts',
  Transformer: 'transformer/handler.ts',
} as const;
export type HandlerEntry = (typeof HandlerEntry)[keyof typeof HandlerEntry];

/** The Hive classes Glue tables name for their storage formats. */
export const HiveClass = {
  ParquetSerDe: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  ParquetInputFormat:
    'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  ParquetOutputFormat:
    'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  OpenXJsonSerDe: 'org.openx.data.jsonserde.JsonSerDe',
  TextInputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  TextOutputFormat:
    'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
} as const;
export type HiveClass = (typeof HiveClass)[keyof typeof HiveClass];

/** The date partition column of every table, and its Java date format. */
export const DATE_PARTITION = 'dt';
export const DATE_PARTITION_FORMAT = 'yyyy-MM-dd';

/** The extension of the Parquet objects Firehose writes under `clean/`. */
export const PARQUET_EXTENSION = '.parquet';

/**
 * The dirty table's partition naming the table a record was meant for. It
 * is not called `table` because every dirty record already has a `table`
 * field, and a partition may not share its name with a column.
 */
export const DIRTY_TABLE_PARTITION = 'dirty_table';

/**
 * The suffix of a Glue table that holds every delivered row. Delivery is at
 * least once, so each registry table `<table>` is an Athena view keeping
 * one row per event over the Glue table `<table>_all`, which Firehose
 * converts against; `dirty` and `dirty_all` likewise. These are the names
 * the local DuckDB views have, so a query runs unchanged on either side,
 * and the bare name, the one people reach for, gives the de-duplicated
 * rows. Glue cannot rename a table, so on a stack deployed before the
 * views the old `<table>` tables must go before the views can take their
 * names (see the README); the data stays in S3.
 */
export const ALL_ROWS_SUFFIX = '_all';

/** The view over `dirty/` keeping one record per event, beside the tables. */
export const DIRTY_VIEW = 'dirty';

/** The Glue table over `dirty/`, every record. */
export const DIRTY_GLUE_TABLE = `${DIRTY_VIEW}${ALL_ROWS_SUFFIX}`;

/** The view over `errors/`, named and shaped as the local `errors` view. */
export const ERRORS_VIEW = 'errors';

/** The Glue table over `errors/`: every record Firehose kept, as it wrote it. */
export const ERRORS_GLUE_TABLE = `${ERRORS_VIEW}${ALL_ROWS_SUFFIX}`;

/** The errors table's partition naming the table a record was meant for. */
export const ERRORS_TABLE_PARTITION = 'errors_table';

/** The errors table's partition naming Firehose's error output type. */
export const ERROR_TYPE_PARTITION = 'error_type';

/**
 * The `!{firehose:error-output-type}` values a delivery stream of this
 * stack can write: its transformer's failures and its conversion's.
 */
export const FIREHOSE_ERROR_TYPES = [
  'processing-failed',
  'format-conversion-failed',
] as const;

/** The window column the de-duplicating views number each event's copies in. */
export const COPY_NUMBER_COLUMN = 'dvault_copy';

/** How long the handlers' and delivery streams' logs are kept. */
export const LOG_RETENTION = RetentionDays.THREE_MONTHS;
