import { describe, expect, it } from 'vitest';
import { originalEventText } from '../../transformer/originalEventText.js';
import type { ParsedRecord } from '../../transformer/parseRecordData.js';
import { provenanceFor, streamRecordText } from '../helpers/firehoseEvents.js';

function parsed(text: string): ParsedRecord {
  const value = JSON.parse(text);
  return 'event' in value && 'source' in value
    ? {
        text,
        event: value.event,
        source: value.source,
        ingestedAt: value.ingested_at,
      }
    : { text, event: value, source: null, ingestedAt: null };
}

describe('originalEventText', () => {
  it('cuts the event text out of a stream record, spelling included', () => {
    const event = '{"id":"e-1","score":9.607148240320385E-4,"text":"ça"}';
    const text = streamRecordText(event, { source: provenanceFor(1) });

    expect(originalEventText(parsed(text))).toBe(event);
  });

  it('keeps the whole text of a bare event', () => {
    const event = ' {"id":"e-1","score":1E-5}\n';

    expect(originalEventText(parsed(event))).toBe('{"id":"e-1","score":1E-5}');
  });

  it('serialises the event again when the stream record was written another way', () => {
    const text = `{"event":{"id":"e-1","n":1E2},"ingested_at":5,"source":${JSON.stringify(provenanceFor(0))}}`;

    expect(originalEventText(parsed(text))).toBe('{"id":"e-1","n":100}');
  });

  it('keeps the record text when an event too deep to serialise cannot be cut out', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const text = `{"ingested_at":5,"source":${JSON.stringify(provenanceFor(0))},"event":{"id":"e-1","x":${deep}}}`;

    expect(originalEventText(parsed(` ${text}\n`))).toBe(text);
  });
});
