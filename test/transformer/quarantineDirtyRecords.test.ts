import { describe, expect, it } from 'vitest';
import type { DirtyRecord } from '../../schemas/index.js';
import { QuarantineWriteError } from '../../transformer/errors.js';
import {
  type QuarantineEntry,
  quarantineDirtyRecords,
} from '../../transformer/quarantineDirtyRecords.js';
import { TEST_ARRIVAL } from '../helpers/firehoseEvents.js';
import { MemoryObjectStore } from './helpers.js';

function entry(recordId: string, table: string): QuarantineEntry {
  const dirty: DirtyRecord = {
    event_id: `event-${recordId}`,
    kind: 'invalid',
    table,
    reasons: [
      { path: 'id', expected: 'a string', actual: '1', message: 'id: bad.' },
    ],
    raw: '{"id":1}',
    source: null,
    ingested_at: null,
    kinesis: null,
    processed_at: TEST_ARRIVAL,
  };
  return {
    recordId,
    data: Buffer.from(dirty.raw).toString('base64'),
    approximateArrivalTimestamp: TEST_ARRIVAL,
    dirty,
  };
}

describe('quarantineDirtyRecords', () => {
  it('writes each table its own JSON-lines object, records in input order', async () => {
    const store = new MemoryObjectStore();
    const entries = [entry('1', 'a'), entry('2', 'b'), entry('3', 'a')];

    const outcomes = await quarantineDirtyRecords(store, 'lake', entries, 0);

    expect(
      outcomes.map((o) => [o.table, o.entries.map((e) => e.recordId)]),
    ).toEqual([
      ['a', ['1', '3']],
      ['b', ['2']],
    ]);
    expect(store.dirtyRecords('lake', 'dirty/a/')).toEqual([
      entries[0].dirty,
      entries[2].dirty,
    ]);
    expect(outcomes.every((o) => o.error === undefined)).toBe(true);
  });

  it('reports a failed write as an outcome with the store error as cause', async () => {
    const store = new MemoryObjectStore();
    store.failing = ['dirty/b/'];

    const outcomes = await quarantineDirtyRecords(
      store,
      'lake',
      [entry('1', 'a'), entry('2', 'b')],
      0,
    );
    const failed = outcomes.find((o) => o.table === 'b');

    expect(failed?.error).toBeInstanceOf(QuarantineWriteError);
    expect(failed?.error?.message).toContain(`s3://lake/${failed?.key}`);
    expect(String(failed?.error?.cause)).toContain('Access Denied');
    expect(outcomes.find((o) => o.table === 'a')?.error).toBeUndefined();
  });

  it('writes nothing when there is nothing to quarantine', async () => {
    const store = new MemoryObjectStore();

    const outcomes = await quarantineDirtyRecords(store, 'lake', [], 0);

    expect(outcomes).toEqual([]);
    expect(store.puts).toEqual([]);
  });
});
