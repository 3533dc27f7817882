import type {
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { MAX_RESPONSE_BYTES, RecordResult } from './constants.js';
import { ResponseLimitError } from './errors.js';

/**
 * What the handler would like to answer for one record: `Ok` with the
 * clean row as base64 text, or another result, which always carries the
 * record's own input data.
 */
export type Answer =
  | { result: typeof RecordResult.Ok; data: string }
  | { result: Exclude<RecordResult, typeof RecordResult.Ok> };

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
 * When every wanted answer fits, they are the response. Otherwise the
 * bound rests on a reserve. Answering a record `ProcessingFailed` with
 * its own input data (its "echo") is always allowed, so before each
 * record the echoes of all records still to come are set aside. A wanted
 * answer is taken only if it fits beside that reserve; otherwise the
 * record is echoed as `ProcessingFailed`, which fits by construction, and
 * Firehose keeps it under `errors/`. Earlier records keep their answers.
 *
 * No valid response may exist when the wanted answers do not fit and the
 * echoes alone exceed the limit too. That cannot happen behind Lambda,
 * whose 6 MB request limit already holds every echo plus more, so it is
 * reported by throwing.
 *
 * @param answers the wanted answer of each record, in the same order
 * @throws ResponseLimitError when neither the wanted answers nor the
 *   echoes fit within `limit`
 */
export function fitResponse(
  records: readonly FirehoseTransformationEventRecord[],
  answers: readonly Answer[],
  limit = MAX_RESPONSE_BYTES,
): FittedResponse {
  if (wantedBytes(records, answers) <= limit) {
    const entries = records.map((record, i) => answerEntry(record, answers[i]));
    return { response: { records: entries }, overflowed: [] };
  }
  return fitWithReserve(records, answers, limit);
}

// The exact size of the response of all wanted answers. Ok data is our
// own base64, so only echoed data (dirty records, rare) is scanned.
function wantedBytes(
  records: readonly FirehoseTransformationEventRecord[],
  answers: readonly Answer[],
): number {
  let total = WRAPPER_BYTES + Math.max(records.length - 1, 0);
  records.forEach((record, index) => {
    const answer = answers[index];
    const data =
      answer.result === RecordResult.Ok
        ? answer.data.length + 2
        : jsonStringBytes(record.data);
    total +=
      ENTRY_BYTES +
      answer.result.length +
      jsonStringBytes(record.recordId) +
      data;
  });
  return total;
}

function fitWithReserve(
  records: readonly FirehoseTransformationEventRecord[],
  answers: readonly Answer[],
  limit: number,
): FittedResponse {
  const echoes = records.map(echoBytes);
  let reserve = echoes.reduce((sum, echo) => sum + echo.total, 0);
  let total = WRAPPER_BYTES + Math.max(records.length - 1, 0);
  if (total + reserve > limit) throw tooLarge(total + reserve, limit);

  const entries: FirehoseTransformationResultRecord[] = [];
  const overflowed: string[] = [];
  records.forEach((record, index) => {
    const echo = echoes[index];
    const wanted = answers[index];
    const bytes = answerBytes(wanted, echo);
    reserve -= echo.total;
    if (total + bytes + reserve <= limit) {
      entries.push(answerEntry(record, wanted));
      total += bytes;
      return;
    }
    entries.push(
      answerEntry(record, { result: RecordResult.ProcessingFailed }),
    );
    overflowed.push(record.recordId);
    total += echo.total;
  });
  return { response: { records: entries }, overflowed };
}

/** A record's echo in bytes of JSON text: the whole, and its data's part. */
interface EchoBytes {
  total: number;
  data: number;
}

function echoBytes(record: FirehoseTransformationEventRecord): EchoBytes {
  const data = jsonStringBytes(record.data);
  const total =
    ENTRY_BYTES +
    RecordResult.ProcessingFailed.length +
    jsonStringBytes(record.recordId) +
    data;
  return { total, data };
}

// An answer's bytes from its echo's, without scanning the data again: a
// non-Ok answer differs from the echo only by its result, and Ok data is
// base64, which JSON writes as is, one byte a character.
function answerBytes(answer: Answer, echo: EchoBytes): number {
  const base = echo.total - RecordResult.ProcessingFailed.length;
  if (answer.result !== RecordResult.Ok) return base + answer.result.length;
  return base + answer.result.length - echo.data + answer.data.length + 2;
}

function answerEntry(
  record: FirehoseTransformationEventRecord,
  answer: Answer,
): FirehoseTransformationResultRecord {
  const data = answer.result === RecordResult.Ok ? answer.data : record.data;
  return { recordId: record.recordId, result: answer.result, data };
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
