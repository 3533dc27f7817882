import { describe, expect, it } from 'vitest';
import { dirtyObjectKey } from '../../transformer/dirtyObjectKey.js';

const ARRIVAL = Date.UTC(2026, 2, 2, 23, 59, 59);

function record(recordId: string, data = 'e30=', arrival = ARRIVAL) {
  return { recordId, data, approximateArrivalTimestamp: arrival };
}

describe('dirtyObjectKey', () => {
  it('places the object under the table and the UTC day of the earliest arrival', () => {
    const key = dirtyObjectKey(
      'ste_event',
      [record('2', 'e30=', ARRIVAL + 2_000), record('1')],
      0,
    );

    expect(key).toMatch(
      /^dirty\/ste_event\/dt=2026-03-02\/[0-9a-f]{32}\.jsonl$/,
    );
  });

  it('gives the same key for the same records', () => {
    const records = [record('1'), record('2')];

    expect(dirtyObjectKey('t', records, 0)).toBe(
      dirtyObjectKey('t', structuredClone(records), 99),
    );
  });

  it.each([
    ['another record id', [record('1'), record('3')]],
    ['other data', [record('1'), record('2', 'e30K')]],
    ['another order', [record('2'), record('1')]],
    ['one record fewer', [record('1')]],
  ])('gives another name for %s', (_, records) => {
    const name = (key: string) => key.split('/').pop();

    expect(name(dirtyObjectKey('t', records, 0))).not.toBe(
      name(dirtyObjectKey('t', [record('1'), record('2')], 0)),
    );
  });

  it('does not confuse an id ending where data begins', () => {
    const a = dirtyObjectKey('t', [record('1', '2e30=')], 0);
    const b = dirtyObjectKey('t', [record('12', 'e30=')], 0);

    expect(a).not.toBe(b);
  });

  it('falls back to the given time when no arrival time is usable', () => {
    const key = dirtyObjectKey(
      't',
      [record('1', 'e30=', Number.NaN), record('2', 'e30=', 1e20)],
      Date.UTC(2025, 0, 31, 12),
    );

    expect(key).toContain('/dt=2025-01-31/');
  });
});
