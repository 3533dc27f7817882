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

type Result = 'Ok' | 'Dropped' | 'ProcessingFailed';

/** One answer of the response, its data decoded. */
interface Answer {
  recordId: string;
  result: Result;
  data: Buffer | undefined;
}

const RESULTS: ReadonlySet<unknown> = new Set([
  'Ok',
  'Dropped',
  'ProcessingFailed',
]);

/** Record ids and results that JSON writes without escapes. */
const PLAIN_TEXT = /^[\w.-]*$/;

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
  if (responseBytes(response) > maxBytes) {
    return failAll(invocation.records, FirehoseError.FunctionError);
  }
  const answers = answersOf(response);
  if (answers === undefined) {
    return failAll(invocation.records, FirehoseError.JsonProcessing);
  }
  const byId = new Map(answers.map((answer) => [answer.recordId, answer]));
  if (byId.size < answers.length) {
    return failAll(invocation.records, FirehoseError.DuplicatedRecordId);
  }
  const records = invocation.records;
  if (
    byId.size !== records.length ||
    !records.every((r) => byId.has(r.recordId))
  ) {
    return failAll(records, FirehoseError.MissingRecordId);
  }
  return records.map((record) =>
    outcomeOf(record, byId.get(record.recordId) as Answer),
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

/**
 * The size of the response's JSON text. Entries of the usual shape (plain
 * ids, a result, string data) are counted without serialising megabytes;
 * anything else is serialised.
 */
function responseBytes(response: unknown): number {
  const records = (response as { records?: unknown } | null)?.records;
  if (!Array.isArray(records) || !records.every(isPlainEntry)) {
    const text = JSON.stringify(response);
    return text === undefined ? 0 : Buffer.byteLength(text);
  }
  let bytes = '{"records":[]}'.length + Math.max(0, records.length - 1);
  for (const { recordId, result, data } of records) {
    bytes +=
      '{"recordId":"","result":""}'.length + recordId.length + result.length;
    if (data !== undefined) bytes += ',"data":""'.length + data.length;
  }
  return bytes;
}

function isPlainEntry(
  value: unknown,
): value is { recordId: string; result: string; data?: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { recordId, result, data, ...rest } = value as Record<string, unknown>;
  return (
    Object.keys(rest).length === 0 &&
    typeof recordId === 'string' &&
    typeof result === 'string' &&
    PLAIN_TEXT.test(recordId) &&
    PLAIN_TEXT.test(result) &&
    (data === undefined || (typeof data === 'string' && !data.includes('"')))
  );
}

/** The response's answers, or undefined when one breaks the status model. */
function answersOf(response: unknown): Answer[] | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const records = (response as { records?: unknown }).records;
  if (!Array.isArray(records)) return undefined;
  const answers: Answer[] = [];
  for (const entry of records) {
    const answer = answerOf(entry);
    if (answer === undefined) return undefined;
    answers.push(answer);
  }
  return answers;
}

function answerOf(entry: unknown): Answer | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { recordId, result, data } = entry as Record<string, unknown>;
  if (typeof recordId !== 'string' || !RESULTS.has(result)) return undefined;
  if (data === undefined) {
    return result === 'Ok'
      ? undefined
      : { recordId, result: result as Result, data };
  }
  const decoded = typeof data === 'string' ? decodeBase64(data) : undefined;
  return decoded === undefined
    ? undefined
    : { recordId, result: result as Result, data: decoded };
}

/**
 * Decodes canonical base64, or answers undefined. Node's decoder skips
 * characters outside the alphabet (and reads the URL-safe one), so text is
 * valid when it has neither `-` nor `_` and decodes to the length its own
 * length promises: far cheaper than a pattern over megabytes.
 */
function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || text.includes('-') || text.includes('_')) {
    return undefined;
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const decoded = Buffer.from(text, 'base64');
  return decoded.length === (text.length / 4) * 3 - padding
    ? decoded
    : undefined;
}

function outcomeOf(record: DeliveryRecord, answer: Answer): RecordOutcome {
  switch (answer.result) {
    case 'Ok':
      return { result: 'Ok', record, data: answer.data as Buffer };
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
