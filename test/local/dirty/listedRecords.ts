import type { FailureRecord } from '../../../local/dirty/FailureRecord.js';
import { dirtyLine } from './lakeObjects.js';

/** The dirty object the listed records below lie in. */
export const KEY = 'dirty/_producer/dt=2026-03-02/a.jsonl';

function listed(
  fields: Parameters<typeof dirtyLine>[0],
  line: number,
): FailureRecord {
  return { ...dirtyLine(fields), object_key: KEY, line };
}

/** Four producer-side records of three kinds, as `readLakeFailures` lists them. */
export const RECORDS: FailureRecord[] = [
  listed(
    {
      event_id: 'a',
      kind: 'unroutable',
      table: '_producer',
      raw: '{}',
      path: 'detail.evaluation.service',
    },
    0,
  ),
  listed(
    { event_id: 'b', kind: 'unroutable', table: '_producer', raw: '{}' },
    1,
  ),
  listed(
    { event_id: 'c', kind: 'too_large', table: 'ste_event', raw: '{}' },
    2,
  ),
  listed(
    {
      event_id: null,
      kind: 'unparsable',
      table: '_producer',
      raw: '#',
      index: 3,
    },
    3,
  ),
];
