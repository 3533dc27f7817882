import { isRight } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import {
  describeValue,
  eventIdOf,
  eventTextOf,
  type KinesisMetadata,
  type Provenance,
  StreamRecord,
} from '../../schemas/index.js';
import { ErrorOutputType, FailureKind } from '../constants.js';
import { ERRORS_FOLDER } from './constants.js';
import type { FailedEvent } from './FailureRecord.js';

/** The fields of a `processing-failed/` line this reader needs. */
const ProcessingFailedLine = t.type(
  {
    errorCode: t.string,
    errorMessage: t.string,
    rawData: t.string,
    attemptEndingTimestamp: t.number,
  },
  'ProcessingFailedLine',
);

/** The fields of a `format-conversion-failed/` line this reader needs. */
const FormatConversionFailedLine = t.type(
  {
    ErrorCode: t.string,
    ErrorMessage: t.string,
    rawData: t.string,
    attemptEndingTimestamp: t.number,
    arrivalTimestamp: t.number,
    sequenceNumber: t.string,
    subSequenceNumber: t.number,
  },
  'FormatConversionFailedLine',
);

/** The table and error output type an `errors/` key names. */
export interface ErrorObject {
  table: string;
  type: ErrorOutputType;
}

/**
 * The table and output type of a Firehose error object's key,
 * `errors/<table>/<processing-failed|format-conversion-failed>/...`, or
 * undefined for any other key.
 */
export function errorObjectOf(key: string): ErrorObject | undefined {
  const [folder, table, type] = key.split('/');
  const types: readonly string[] = Object.values(ErrorOutputType);
  if (folder !== ERRORS_FOLDER || !table || !types.includes(type ?? '')) {
    return undefined;
  }
  return { table, type: type as ErrorOutputType };
}

/**
 * Reads one line of a Firehose error object as a failed event.
 *
 * A `processing-failed` line keeps the Kinesis record as the producer put
 * it, so its event, provenance and id are recovered whole, and the event
 * can be replayed. A `format-conversion-failed` line keeps the row the
 * transformer made, not the event: its id and provenance come from the
 * row's columns and `raw` is the row. A line that is not a Firehose error
 * record is still listed, with a reason saying so.
 *
 * @param text the line
 * @param object the table and output type its key names
 */
export function errorLineRecord(
  text: string,
  object: ErrorObject,
): FailedEvent {
  const line = parsedOrText(text);
  if (object.type === ErrorOutputType.ProcessingFailed) {
    const decoded = ProcessingFailedLine.decode(line);
    return isRight(decoded)
      ? processingFailed(decoded.right, object.table)
      : unreadable(line, object, FailureKind.ProcessingFailed);
  }
  const decoded = FormatConversionFailedLine.decode(line);
  return isRight(decoded)
    ? formatConversionFailed(decoded.right, object.table)
    : unreadable(line, object, FailureKind.FormatConversionFailed);
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function processingFailed(
  line: t.TypeOf<typeof ProcessingFailedLine>,
  table: string,
): FailedEvent {
  const text = Buffer.from(line.rawData, 'base64').toString('utf8');
  const record = streamRecordOf(text);
  return {
    event_id: record ? eventIdOf(record.event, record.source) : null,
    kind: FailureKind.ProcessingFailed,
    table,
    reasons: [
      {
        path: '',
        expected: 'a transformation result for the record',
        actual: line.errorCode,
        message: `Firehose could not transform the record: ${line.errorMessage}`,
      },
    ],
    raw: record ? (eventTextOf(text) ?? JSON.stringify(record.event)) : text,
    source: record?.source ?? null,
    ingested_at: record?.ingested_at ?? null,
    kinesis: null,
    processed_at: line.attemptEndingTimestamp,
  };
}

function streamRecordOf(text: string): StreamRecord | undefined {
  try {
    const decoded = StreamRecord.decode(JSON.parse(text));
    return isRight(decoded) ? decoded.right : undefined;
  } catch {
    return undefined;
  }
}

function formatConversionFailed(
  line: t.TypeOf<typeof FormatConversionFailedLine>,
  table: string,
): FailedEvent {
  const text = Buffer.from(line.rawData, 'base64').toString('utf8').trimEnd();
  const row = rowOf(text);
  return {
    event_id: typeof row.event_id === 'string' ? row.event_id : null,
    kind: FailureKind.FormatConversionFailed,
    table,
    reasons: [
      {
        path: '',
        expected: `a row that fits the columns of table ${table}`,
        actual: line.ErrorCode,
        message: line.ErrorMessage,
      },
    ],
    raw: text,
    source: rowSource(row),
    ingested_at: typeof row.ingested_at === 'number' ? row.ingested_at : null,
    kinesis: conversionMetadata(line),
    processed_at: line.attemptEndingTimestamp,
  };
}

function rowOf(text: string): Record<string, unknown> {
  try {
    const row: unknown = JSON.parse(text);
    return typeof row === 'object' && row !== null && !Array.isArray(row)
      ? (row as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The provenance columns of a row, when it has them. */
function rowSource(row: Record<string, unknown>): Provenance | null {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const number = (value: unknown) => (typeof value === 'number' ? value : 0);
  const bucket = text(row.source_bucket);
  const key = text(row.source_key);
  if (bucket === null || key === null) return null;
  return {
    bucket,
    key,
    etag: text(row.source_etag),
    version_id: text(row.source_version_id),
    index: number(row.source_index),
    offset: number(row.source_offset),
  };
}

function conversionMetadata(
  line: t.TypeOf<typeof FormatConversionFailedLine>,
): KinesisMetadata {
  return {
    shard_id: null,
    partition_key: null,
    sequence_number: line.sequenceNumber,
    subsequence_number: String(line.subSequenceNumber),
    approximate_arrival_timestamp: line.arrivalTimestamp,
    stream_arn: null,
  };
}

function unreadable(
  line: unknown,
  object: ErrorObject,
  kind: FailedEvent['kind'],
): FailedEvent {
  return {
    event_id: null,
    kind,
    table: object.table,
    reasons: [
      {
        path: '',
        expected: `a Firehose ${object.type} error record`,
        actual: describeValue(line),
        message: `The line is not a Firehose ${object.type} error record, so its event cannot be recovered.`,
      },
    ],
    raw: typeof line === 'string' ? line : (JSON.stringify(line) ?? ''),
    source: null,
    ingested_at: null,
    kinesis: null,
    processed_at: null,
  };
}
