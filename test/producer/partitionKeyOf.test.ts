import { describe, expect, it } from 'vitest';
import { partitionKeyOf } from '../../producer/partitionKeyOf.js';
import type { Provenance } from '../../schemas/index.js';
import { EVENTS } from '../helpers/dvaultEvents.js';

type Json = Record<string, unknown>;

const SOURCE: Provenance = {
  bucket: 'dvault-landing',
  key: 'in/f',
  etag: 'e1',
  version_id: null,
  index: 3,
  offset: 120,
};

function withShape(shapeId: unknown): Json {
  const event = EVENTS.ste_event();
  const detail = event.detail as Json;
  (detail.evaluation as Json).shape_id = shapeId;
  delete detail.partitionKey;
  return event;
}

describe('partitionKeyOf', () => {
  it('keys an event by its shape id', () => {
    expect(partitionKeyOf(withShape('shape-7'), SOURCE)).toBe('shape-7');
  });

  it.each([
    ['empty', ''],
    ['not a string', 42],
  ])('falls back to the event id when the shape id is %s', (_, shapeId) => {
    const event = { ...withShape(shapeId), id: 'ev-9' };

    expect(partitionKeyOf(event, SOURCE)).toBe('ev-9');
  });

  it('falls back to a hash of the provenance without any id', () => {
    const key = partitionKeyOf({ hello: 'world' }, SOURCE);

    expect(key).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(partitionKeyOf({ other: true }, SOURCE)).toBe(key);
  });

  it('cuts a key longer than 256 characters to 256', () => {
    const key = partitionKeyOf(withShape('s'.repeat(300)), SOURCE);

    expect(key).toBe('s'.repeat(256));
  });

  it('never leaves half a surrogate pair at the cut', () => {
    const key = partitionKeyOf(withShape(`${'s'.repeat(255)}😀tail`), SOURCE);

    expect(key).toBe('s'.repeat(255));
  });
});
