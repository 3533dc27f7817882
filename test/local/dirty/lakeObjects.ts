import { isRight } from 'fp-ts/lib/Either.js';
import {
  ErrorOutputType,
  FirehoseError,
  LAKE_BUCKET,
} from '../../../local/constants.js';
import { conformRow } from '../../../local/firehose/conformRow.js';
import { errorRecords } from '../../../local/firehose/errorRecords.js';
import { lakeKeys } from '../../../local/firehose/lakeKeys.js';
import {
  type DirectoryObjectStore,
  type DirtyRecord,
  decodeEvent,
  encodeStreamRecord,
  type Provenance,
  tableNamed,
} from '../../../schemas/index.js';
import { ARRIVAL, deliveryRecords } from '../helpers/deliveryRecords.js';

/**
 * Factories of lake objects as the pipeline writes them: dirty lines as
 * the producer and transformer write them, and Firehose error objects
 * built by the local Firehose's own `errorRecords` and `lakeKeys`, so
 * listing and replay tests read the real layouts without running the
 * whole pipeline.
 */

/** When the producer read every event here: 2026-03-02T10:15:00Z. */
export const INGESTED_AT = Date.UTC(2026, 2, 2, 10, 15, 0);

/** The day folder of every object here. */
export const DAY = '2026-03-02';

/** Where the event at `index` of a landed file was read. */
export function sourceAt(index: number, key = 'in/broken.json'): Provenance {
  return {
    bucket: 'landing',
    key,
    etag: 'a1b2c3',
    version_id: null,
    index,
    offset: index * 1000,
  };
}

/** A dirty line of the given kind, with one reason naming `path`. */
export function dirtyLine(
  fields: Pick<DirtyRecord, 'event_id' | 'kind' | 'table' | 'raw'> & {
    path?: string;
    index?: number;
  },
): DirtyRecord {
  const path = fields.path ?? '';
  return {
    event_id: fields.event_id,
    kind: fields.kind,
    table: fields.table,
    reasons: [
      {
        path,
        expected: 'what the contract says',
        actual: 'something else',
        message: `${path || 'the event'}: expected what the contract says, found something else.`,
      },
    ],
    raw: fields.raw,
    source: sourceAt(fields.index ?? 0),
    ingested_at: INGESTED_AT,
    kinesis: null,
    processed_at: INGESTED_AT + 500,
  };
}

/** Writes dirty lines to `dirty/<folder>/dt=DAY/<name>.jsonl`. */
export async function writeDirty(
  store: DirectoryObjectStore,
  folder: string,
  name: string,
  records: readonly DirtyRecord[],
): Promise<string> {
  const key = `dirty/${folder}/dt=${DAY}/${name}.jsonl`;
  const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
  await store.put(LAKE_BUCKET, key, text);
  return key;
}

/** A Kinesis record's data as the producer puts it for an event. */
export function streamRecordText(event: unknown, source: Provenance): string {
  return encodeStreamRecord(source, INGESTED_AT, JSON.stringify(event));
}

/**
 * Writes a `processing-failed` object holding these Kinesis record
 * texts, as the local Firehose does when the transformer breaks its
 * contract (here: a missing record id).
 */
export async function writeProcessingFailed(
  store: DirectoryObjectStore,
  table: string,
  texts: readonly string[],
): Promise<string> {
  const lines = deliveryRecords(texts).map((record) =>
    errorRecords.processingFailed(record, {
      errorCode: FirehoseError.MissingRecordId.code,
      errorMessage: FirehoseError.MissingRecordId.message,
      attemptsMade: 4,
      endedMs: ARRIVAL + 2000,
    }),
  );
  return writeErrorLines(store, table, ErrorOutputType.ProcessingFailed, lines);
}

/**
 * The transformer's row for a clean event, with one column changed so
 * that record format conversion refuses it.
 */
export function brokenRow(
  event: unknown,
  source: Provenance,
  change: Record<string, unknown>,
): string {
  const decoded = decodeEvent(event, { source, ingestedAt: INGESTED_AT });
  if (!isRight(decoded)) throw new Error('The event must be clean.');
  return JSON.stringify({ ...decoded.right.row, ...change });
}

/**
 * Writes a `format-conversion-failed` object for these transformed rows,
 * with the reason the local conversion gives for each.
 */
export async function writeFormatConversionFailed(
  store: DirectoryObjectStore,
  table: string,
  rows: readonly string[],
): Promise<string> {
  const columns = tableNamed(table)?.columns ?? [];
  const lines = deliveryRecords(rows).map((record, index) => {
    const text = rows[index] as string;
    const conformed = conformRow(text, columns);
    const reason = conformed.ok ? '' : conformed.reason;
    return errorRecords.formatConversionFailed(
      record,
      Buffer.from(`${text}\n`),
      table,
      {
        errorCode: FirehoseError.MalformedData.code,
        errorMessage: `${FirehoseError.MalformedData.message} ${reason}`,
        attemptsMade: 1,
        endedMs: ARRIVAL + 2000,
      },
    );
  });
  return writeErrorLines(
    store,
    table,
    ErrorOutputType.FormatConversionFailed,
    lines,
  );
}

async function writeErrorLines(
  store: DirectoryObjectStore,
  table: string,
  type: ErrorOutputType,
  lines: readonly unknown[],
): Promise<string> {
  const name = lakeKeys.objectName(`dvault-${table}`, ARRIVAL + 2000);
  const key = lakeKeys.error(table, type, ARRIVAL, name);
  const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
  await store.put(LAKE_BUCKET, key, text);
  return key;
}
