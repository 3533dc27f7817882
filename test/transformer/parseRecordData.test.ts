import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseRecordData } from '../../transformer/parseRecordData.js';
import { provenanceFor, streamRecordText } from '../helpers/firehoseEvents.js';

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

describe('parseRecordData', () => {
  it('unwraps a stream record into its event, provenance and ingestion time', () => {
    const source = provenanceFor(2);
    const text = streamRecordText({ id: 'e-1' }, { source, ingestedAt: 17 });

    expect(parseRecordData(base64(text))).toEqual(
      E.right({ text, event: { id: 'e-1' }, source, ingestedAt: 17 }),
    );
  });

  it('takes JSON that is no stream record as a bare event without provenance', () => {
    const text = '{"id":"e-1","source":"SHAPE.DVault"}';

    expect(parseRecordData(base64(text))).toEqual(
      E.right({
        text,
        event: { id: 'e-1', source: 'SHAPE.DVault' },
        source: null,
        ingestedAt: null,
      }),
    );
  });

  it('reads non-ASCII text as UTF-8', () => {
    const text = '{"text":"Élan ✓ 日本"}';

    const parsed = parseRecordData(base64(text));

    expect(E.isRight(parsed) && parsed.right.event).toEqual({
      text: 'Élan ✓ 日本',
    });
  });

  it('says why base64 text that is not JSON cannot be read', () => {
    const parsed = parseRecordData(base64('{"id": '));

    expect(parsed).toEqual(
      E.left({
        raw: '{"id": ',
        reason: expect.objectContaining({
          path: '',
          expected: 'JSON text of a stream record or an event',
          actual: expect.stringMatching(/^7 bytes that are not JSON \(/),
        }),
      }),
    );
  });

  it('says that data which is not base64 cannot be read, keeping it as sent', () => {
    const parsed = parseRecordData('not base64 {');

    expect(parsed).toEqual(
      E.left({
        raw: 'not base64 {',
        reason: expect.objectContaining({ expected: 'base64 text' }),
      }),
    );
  });
});
