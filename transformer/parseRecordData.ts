import * as E from 'fp-ts/lib/Either.js';
import type { DirtyReason } from '../schemas/DirtyReason.js';
import type { Provenance } from '../schemas/Provenance.js';
import { StreamRecord } from '../schemas/StreamRecord.js';

/** A Firehose record's data, read as the event it carries. */
export interface ParsedRecord {
  /** The record's data as text (the producer's stream record, usually). */
  text: string;
  /** The dvault event, unwrapped from its stream record. */
  event: unknown;
  /** Where the producer read the event, or null for a bare event. */
  source: Provenance | null;
  /** When the producer read it, epoch milliseconds, or null. */
  ingestedAt: number | null;
}

/** Data that could not be read, with the text to keep for people. */
export interface UnreadableData {
  reason: DirtyReason;
  /** The data as UTF-8 text, or as sent when it is not even base64. */
  raw: string;
}

/**
 * Reads a record's base64 data as JSON and unwraps the producer's stream
 * record (`{source, ingested_at, event}`). Data that is JSON but no stream
 * record is taken as a bare event without provenance, so events put on a
 * stream by other tools are still judged by their table's codec.
 *
 * @returns the parsed record, or why the data cannot be read
 */
export function parseRecordData(
  data: string,
): E.Either<UnreadableData, ParsedRecord> {
  const text = Buffer.from(data, 'base64').toString('utf8');
  try {
    return E.right(unwrap(text, JSON.parse(text)));
  } catch (error) {
    return E.left(unparsable(data, text, error));
  }
}

function unwrap(text: string, value: unknown): ParsedRecord {
  if (!StreamRecord.is(value)) {
    return { text, event: value, source: null, ingestedAt: null };
  }
  const { event, source, ingested_at: ingestedAt } = value;
  return { text, event, source, ingestedAt };
}

function unparsable(
  data: string,
  text: string,
  error: unknown,
): UnreadableData {
  if (!isBase64(data)) {
    const reason = {
      path: '',
      expected: 'base64 text',
      actual: `${data.length} characters that are not base64`,
      message: 'The record data is not base64, so it cannot be read.',
    };
    return { reason, raw: data };
  }
  const detail = error instanceof Error ? error.message : String(error);
  const reason = {
    path: '',
    expected: 'JSON text of a stream record or an event',
    actual: `${Buffer.byteLength(text)} bytes that are not JSON (${detail})`,
    message: `The record data is not JSON: ${detail}.`,
  };
  return { reason, raw: text };
}

function isBase64(data: string): boolean {
  return Buffer.from(data, 'base64').toString('base64') === data;
}
