import type {
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { MAX_RESPONSE_BYTES, RecordResult } from './constants.js';
import { ResponseLimitError } from './errors.js';

/** What the handler would like to answer for one record. */
export interface Answer {
  result: RecordResult;
  /** Base64 text: the clean row for `Ok`, the input data otherwise. */
  data: string;
}

/** The response, and the records answered `ProcessingFailed` to fit it. */
export interface FittedResponse {
  response: FirehoseTransformationResult;
  overflowed: string[];
}

const WRAPPER_BYTES = Buffer.byteLength('{"records":[]}');
const ENTRY_BYTES = Buffer.byteLength('{"recordId":,"result":"","data":}');

/**
 * Builds the response in input order, every record answered once, and
 * keeps its JSON text within `limit` bytes.
 *
 * The guarantee rests on a reserve. Answering a record `ProcessingFailed`
 * with its own input data (its "echo") is always allowed, so before each
 * record the echoes of all records still to come are set aside. A wanted
 * answer is taken only if it fits beside that reserve; otherwise the
 * record is echoed as `ProcessingFailed`, which fits by construction, and
 * Firehose keeps it under `errors/`. Earlier records keep their answers.
 *
 * No valid response exists when the echoes alone exceed the limit. That
 * cannot happen behind Lambda, whose 6 MB request limit already holds
 * every echo plus more, so it is reported by throwing.
 *
 * @param answers the wanted answer of each record, in the same order
 * @throws ResponseLimitError when even the echoes exceed `limit`
 */
export function fitResponse(
  records: readonly FirehoseTransformationEventRecord[],
  answers: readonly Answer[],
  limit = MAX_RESPONSE_BYTES,
): FittedResponse {
  const echoes = records.map(echoBytes);
  let reserve = echoes.reduce((sum, bytes) => sum + bytes, 0);
  let total = WRAPPER_BYTES + Math.max(records.length - 1, 0);
  if (total + reserve > limit) throw tooLarge(total + reserve, limit);

  const entries: FirehoseTransformationResultRecord[] = [];
  const overflowed: string[] = [];
  records.forEach((record, index) => {
    reserve -= echoes[index];
    const wanted = answers[index];
    const bytes = entryBytes(record.recordId, wanted.result, wanted.data);
    if (total + bytes + reserve <= limit) {
      entries.push(entry(record.recordId, wanted.result, wanted.data));
      total += bytes;
      return;
    }
    entries.push(echo(record));
    overflowed.push(record.recordId);
    total += echoes[index];
  });
  return { response: { records: entries }, overflowed };
}

// The bytes of a response record's JSON text, without building it.
function entryBytes(
  recordId: string,
  result: RecordResult,
  data: string,
): number {
  return (
    ENTRY_BYTES +
    result.length +
    jsonStringBytes(recordId) +
    jsonStringBytes(data)
  );
}

function echoBytes(record: FirehoseTransformationEventRecord): number {
  return entryBytes(
    record.recordId,
    RecordResult.ProcessingFailed,
    record.data,
  );
}

function echo(
  record: FirehoseTransformationEventRecord,
): FirehoseTransformationResultRecord {
  return entry(record.recordId, RecordResult.ProcessingFailed, record.data);
}

function entry(
  recordId: string,
  result: RecordResult,
  data: string,
): FirehoseTransformationResultRecord {
  return { recordId, result, data };
}

// Printable ASCII other than `"` and `\` is written by JSON.stringify as
// is, one byte per character: base64 always is, so most strings skip the
// slow count.
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function jsonStringBytes(text: string): number {
  return PLAIN_JSON_TEXT.test(text)
    ? text.length + 2
    : Buffer.byteLength(JSON.stringify(text));
}

function tooLarge(bytes: number, limit: number): ResponseLimitError {
  return new ResponseLimitError(
    `Answering every record with its own data takes ${bytes} bytes, over the response limit of ${limit}; the batch cannot be answered.`,
  );
}
