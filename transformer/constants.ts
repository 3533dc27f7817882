/**
 * The largest response the handler returns, in bytes of its JSON text.
 * Lambda caps a synchronous response at 6 MB; we count 6,000,000 bytes,
 * below both readings of "MB", so no rounding on AWS's side can tip it over.
 */
export const MAX_RESPONSE_BYTES = 6_000_000;

/** The answer Firehose accepts for each record of a transformation batch. */
export const RecordResult = {
  /** Transformed: `data` is the clean row. */
  Ok: 'Ok',
  /** Intentionally not delivered: the record was quarantined first. */
  Dropped: 'Dropped',
  /** Not transformed: Firehose keeps the record under `errors/`. */
  ProcessingFailed: 'ProcessingFailed',
} as const;
export type RecordResult = (typeof RecordResult)[keyof typeof RecordResult];

/** The CloudWatch namespace of every metric the transformer emits. */
export const METRICS_NAMESPACE = 'dvault';

/**
 * The metrics the transformer emits per delivery stream (dimension
 * `table`). Alarms are built on `CleanRecords` and `DirtyRecords`, so
 * these names are part of the deployment's contract.
 */
export const MetricName = {
  /** Records answered `Ok` with a clean row. */
  CleanRecords: 'CleanRecords',
  /** Records found dirty; also emitted with a `kind` dimension. */
  DirtyRecords: 'DirtyRecords',
  /** Clean records whose event carried fields no schema names. */
  UnknownFieldEvents: 'UnknownFieldEvents',
  /** Records answered `ProcessingFailed` (quarantine, size limit or a fault while judging). */
  FailedRecords: 'FailedRecords',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** The metric dimensions the transformer sets. */
export const MetricDimension = {
  Table: 'table',
  Kind: 'kind',
} as const;

/** The top-level folder of quarantined records in the lake. */
export const DIRTY_PREFIX = 'dirty';

/** The content type of a quarantine object: JSON lines. */
export const DIRTY_CONTENT_TYPE = 'application/x-ndjson';

/** How many hex digits of the SHA-256 name a quarantine object. */
export const DIRTY_NAME_LENGTH = 32;

/** Why a record was answered `ProcessingFailed`; a log key's values. */
export const FailureCause = {
  /** Its quarantine object could not be written. */
  QuarantineWrite: 'quarantine_write_failed',
  /** Its clean row would have pushed the response past 6 MB. */
  ResponseLimit: 'response_limit',
  /** Judging it threw: a fault of ours, not of the record. */
  JudgeFailed: 'judge_failed',
} as const;
export type FailureCause = (typeof FailureCause)[keyof typeof FailureCause];
