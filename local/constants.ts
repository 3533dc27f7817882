/** The bucket name the local run gives the lake folder. */
export const LAKE_BUCKET = 'lake';

/** The bucket name the local run gives the folder files land in. */
export const LANDING_BUCKET = 'landing';

/** The region every local resource and event claims. */
export const LOCAL_REGION = 'local';

/** The account every local ARN carries. */
export const LOCAL_ACCOUNT = '000000000000';

/**
 * The local delivery buffer's size. Firehose takes 1 to 128 MiB; record
 * format conversion on AWS wants at least 64, but a machine run wants rows
 * within seconds, not after 64 MiB.
 */
export const DEFAULT_BUFFER_MIB = 1;

/**
 * The local delivery buffer's interval. Firehose takes 0 to 900 s and
 * defaults to 300 s; locally a second keeps rows fresh.
 */
export const DEFAULT_BUFFER_SECONDS = 1;

/**
 * Lambda caps a synchronous request and response at 6 MB; both limits are
 * counted as 6,000,000 bytes of JSON text, the stricter reading.
 */
export const MAX_INVOCATION_BYTES = 6_000_000;

/** Kinesis GetRecords returns at most 10,000 records per call. */
export const MAX_GET_RECORDS = 10_000;

/** How long a reader waits after an empty GetRecords before asking again. */
export const DEFAULT_POLL_MS = 200;

/**
 * Firehose retries a failed transformation invocation three times before
 * it gives the batch up to `processing-failed`: four attempts in all.
 */
export const MAX_INVOCATION_ATTEMPTS = 4;

/**
 * How many times a batch's Parquet object is written before the rows are
 * tried apart to find the ones at fault.
 */
export const MAX_WRITE_ATTEMPTS = 3;

/** The pause between two writes of one Parquet object. */
export const WRITE_RETRY_MS = 200;

/**
 * How many times a delivery stream delivers one batch before it gives up
 * and ends the run: a failure no record explains (a lake that cannot be
 * written) does not go away by waiting, and retrying it forever hangs.
 */
export const MAX_DELIVERY_ATTEMPTS = 3;

/** The Glue database the deployed stack names its tables in (prefix `dvault-`). */
export const GLUE_DATABASE = 'dvault';

/**
 * The Glue table a delivery stream converts against: `<table>_all`, under
 * which the deployed stack keeps every row (the view `<table>` keeps one
 * per event), as Firehose names it in a conversion error.
 */
export function glueTableOf(table: string): string {
  return `${table}_all`;
}

/**
 * The clean row's column holding, as JSON text, the fields of an event no
 * column names; null when there were none.
 */
export const UNKNOWN_FIELDS_COLUMN = 'extra';

/** The folders under `errors/<table>/` where Firehose keeps failed records. */
export const ErrorOutputType = {
  ProcessingFailed: 'processing-failed',
  FormatConversionFailed: 'format-conversion-failed',
} as const;
export type ErrorOutputType =
  (typeof ErrorOutputType)[keyof typeof ErrorOutputType];

/**
 * The kinds the run summary counts for Firehose's own error records, next
 * to the dirty kinds the producer and transformer write.
 */
export const FailureKind = {
  ProcessingFailed: 'processing_failed',
  FormatConversionFailed: 'format_conversion_failed',
} as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

/**
 * The error codes and messages Firehose writes into the records it keeps
 * under `processing-failed/` and `format-conversion-failed/`. Codes and
 * messages are Firehose's documented ones (Lambda invocation errors), so a
 * local error record reads like one from AWS.
 */
export const FirehoseError = {
  MissingRecordId: {
    code: 'Lambda.MissingRecordId',
    message:
      'One or more record IDs were not returned. Ensure that the Lambda function returns all received record IDs.',
  },
  DuplicatedRecordId: {
    code: 'Lambda.DuplicatedRecordId',
    message:
      'Multiple records were returned with the same record ID. Ensure that the Lambda function returns unique record IDs for each record.',
  },
  JsonProcessing: {
    code: 'Lambda.JsonProcessingException',
    message:
      'There was an error parsing returned records from the Lambda function. Ensure that the returned records follow the status model required by Firehose.',
  },
  FunctionError: {
    code: 'Lambda.FunctionError',
    message:
      'The Lambda function was successfully invoked but it returned an error result.',
  },
  ProcessingFailedStatus: {
    code: 'Lambda.ProcessingFailedStatus',
    message: 'ProcessingFailed status set for record',
  },
  MalformedData: {
    code: 'DataFormatConversion.MalformedData',
    message: 'The record does not match the table schema.',
  },
} as const;
export type FirehoseError = (typeof FirehoseError)[keyof typeof FirehoseError];
