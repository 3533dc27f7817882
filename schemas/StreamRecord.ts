import * as t from 'io-ts';
import { Provenance } from './Provenance.js';

/**
 * One Kinesis record as the producer writes it: the event, untouched, with
 * its provenance and the time the producer read it (epoch milliseconds).
 */
export const StreamRecord = t.type(
  {
    source: Provenance,
    ingested_at: t.number,
    event: t.unknown,
  },
  'StreamRecord',
);
export type StreamRecord = t.TypeOf<typeof StreamRecord>;

/**
 * Builds a record's JSON text around the event's own bytes, so the event
 * reaches the transformer exactly as it was written, without a re-encoding.
 *
 * @param source where the event was read
 * @param ingestedAt when the producer read it, epoch milliseconds
 * @param eventText the event's JSON text as it stood in the file
 */
export function encodeStreamRecord(
  source: Provenance,
  ingestedAt: number,
  eventText: string,
): string {
  return `{"source":${JSON.stringify(source)},"ingested_at":${ingestedAt},"event":${eventText}}`;
}

const EVENT_FIELD = ',"event":';

/**
 * The event's own text inside a record built by `encodeStreamRecord`, or
 * undefined for any other text. Keys inside the provenance are JSON strings
 * whose quotes are escaped, so the first `,"event":` is the field itself.
 */
export function eventTextOf(recordText: string): string | undefined {
  if (!recordText.startsWith('{"source":') || !recordText.endsWith('}')) {
    return undefined;
  }
  const at = recordText.indexOf(EVENT_FIELD);
  return at < 0 ? undefined : recordText.slice(at + EVENT_FIELD.length, -1);
}
