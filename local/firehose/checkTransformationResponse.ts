import { FirehoseError, MAX_INVOCATION_BYTES } from '../constants.js';
import type { Invocation } from './buildInvocations.js';
import type { DeliveryRecord } from './DeliveryRecord.js';

/** What became of one record after its transformation. */
export type RecordOutcome =
  | { result: 'Ok'; record: DeliveryRecord; data: Buffer }
  | { result: 'Dropped'; record: DeliveryRecord }
  | {
      result: 'ProcessingFailed';
      record: DeliveryRecord;
      error: FirehoseError;
    };

interface ResponseEntry {
  recordId: string;
  result: 'Ok' | 'Dropped' | 'ProcessingFailed';
  data?: string;
}

const RESULTS: ReadonlySet<unknown> = new Set([
  'Ok',
  'Dropped',
  'ProcessingFailed',
]);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Holds a transformer's answer to Firehose's contract. A response that
 * breaks it (over the size limit, not `{ records: [...] }`, an entry
 * without a recordId, with an unknown result or an `Ok` without base64
 * data, a recordId twice, or one missing) fails every record of the
 * invocation with the error Firehose reports for that breach. Otherwise
 * each record gets its own result, and `ProcessingFailed` ones carry
 * Firehose's error for that status.
 *
 * @param invocation the event sent and the records it was built from
 * @param response what the transformer returned
 * @param maxBytes the largest response, 6 MB unless a test says otherwise
 */
export function checkTransformationResponse(
  invocation: Invocation,
  response: unknown,
  maxBytes = MAX_INVOCATION_BYTES,
): RecordOutcome[] {
  const breach = breachOf(invocation.records, response, maxBytes);
  if (breach !== undefined) {
    return failAll(invocation.records, breach);
  }
  const entries = new Map(
    (response as { records: ResponseEntry[] }).records.map((entry) => [
      entry.recordId,
      entry,
    ]),
  );
  return invocation.records.map((record) =>
    outcomeOf(record, entries.get(record.recordId) as ResponseEntry),
  );
}

/** Fails every record with one error, as Firehose does for a whole batch. */
export function failAll(
  records: readonly DeliveryRecord[],
  error: FirehoseError,
): RecordOutcome[] {
  return records.map((record) => ({
    result: 'ProcessingFailed',
    record,
    error,
  }));
}

function breachOf(
  records: readonly DeliveryRecord[],
  response: unknown,
  maxBytes: number,
): FirehoseError | undefined {
  const text = JSON.stringify(response);
  if (text !== undefined && Buffer.byteLength(text) > maxBytes) {
    return FirehoseError.FunctionError;
  }
  const entries = entriesOf(response);
  if (entries === undefined) return FirehoseError.JsonProcessing;
  const returned = new Set(entries.map((entry) => entry.recordId));
  if (returned.size < entries.length) return FirehoseError.DuplicatedRecordId;
  const sent = new Set(records.map((record) => record.recordId));
  const same =
    returned.size === sent.size && [...sent].every((id) => returned.has(id));
  return same ? undefined : FirehoseError.MissingRecordId;
}

function entriesOf(response: unknown): ResponseEntry[] | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const records = (response as { records?: unknown }).records;
  if (!Array.isArray(records)) return undefined;
  return records.every(isEntry) ? records : undefined;
}

function isEntry(value: unknown): value is ResponseEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { recordId, result, data } = value as Record<string, unknown>;
  if (typeof recordId !== 'string' || !RESULTS.has(result)) return false;
  if (data === undefined) return result !== 'Ok';
  return typeof data === 'string' && isBase64(data);
}

function isBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64.test(text);
}

function outcomeOf(
  record: DeliveryRecord,
  entry: ResponseEntry,
): RecordOutcome {
  switch (entry.result) {
    case 'Ok':
      return {
        result: 'Ok',
        record,
        data: Buffer.from(entry.data ?? '', 'base64'),
      };
    case 'Dropped':
      return { result: 'Dropped', record };
    case 'ProcessingFailed':
      return {
        result: 'ProcessingFailed',
        record,
        error: FirehoseError.ProcessingFailedStatus,
      };
  }
}
