import { describe, expect, it } from 'vitest';
import { formatReplayReport } from '../../../local/replay/formatReplayReport.js';
import type { ReplayReport } from '../../../local/replay/replayLocal.js';

const KEY = 'dirty/_producer/dt=2026-03-02/a.jsonl';

function report(overrides: Partial<ReplayReport>): ReplayReport {
  return {
    dry_run: true,
    considered: 3,
    replayed: 1,
    still_dirty: 1,
    already_replayed: 1,
    records: { ste_event: 1 },
    delivered: null,
    dirty_again: null,
    marker: null,
    items: [
      {
        event_id: 'ev-1',
        object_key: KEY,
        line: 0,
        kind_before: 'unroutable',
        reasons_before: [
          {
            path: 'detail.evaluation',
            expected: 'a service or a prediction_id naming one',
            actual: 'neither',
            message:
              'detail.evaluation: expected a service or a prediction_id naming one, found neither.',
          },
        ],
        outcome: 'replayed',
        table: 'ste_event',
        reasons: [],
      },
      {
        event_id: 'ev-2',
        object_key: KEY,
        line: 1,
        kind_before: 'unknown_service',
        reasons_before: [],
        outcome: 'still_dirty',
        table: null,
        reasons: [
          {
            path: 'detail.evaluation.service',
            expected: 'a service with a schema module',
            actual: '"mindReader"',
            message:
              'detail.evaluation.service: expected a service with a schema module, found "mindReader".',
          },
        ],
      },
      {
        event_id: null,
        object_key: KEY,
        line: 2,
        kind_before: 'unroutable',
        reasons_before: [],
        outcome: 'already_replayed',
        table: null,
        reasons: [],
      },
    ],
    seconds: 0.1,
    ...overrides,
  };
}

describe('formatReplayReport', () => {
  it('shows each record before and after, and the totals, in a dry run', () => {
    expect(formatReplayReport(report({})).split('\n')).toEqual([
      'Dry run: nothing was sent or recorded.',
      '',
      `unroutable  event ev-1  (${KEY}, line 1)`,
      '  was:',
      '  - detail.evaluation: expected a service or a prediction_id naming one, found neither.',
      '  now clean: ste_event',
      '',
      `unknown_service  event ev-2  (${KEY}, line 2)`,
      '  still dirty:',
      '  - detail.evaluation.service: expected a service with a schema module, found "mindReader".',
      '',
      `unroutable  event (no id)  (${KEY}, line 3)`,
      '  already replayed by an earlier run',
      '',
      '3 considered: 1 now clean (ste_event 1), 1 still dirty, 1 already replayed.',
    ]);
  });

  it('adds what was delivered, kept dirty again and recorded after a replay', () => {
    const text = formatReplayReport(
      report({
        dry_run: false,
        delivered: { ste_event: 1 },
        dirty_again: { invalid: 1 },
        marker: 'replayed/dt=2026-03-02/m.json',
      }),
    );

    expect(text.split('\n').slice(3, 5)).toEqual(['  replayed: ste_event', '']);
    expect(text.split('\n').slice(-4)).toEqual([
      '3 considered: 1 replayed (ste_event 1), 1 still dirty, 1 already replayed.',
      'Delivered 1 row to the lake (ste_event 1).',
      'Kept as dirty or failed again: invalid 1.',
      'Recorded in replayed/dt=2026-03-02/m.json.',
    ]);
  });

  it('names the table a still-dirty record was meant for', () => {
    const still = report({}).items[1]!;
    const text = formatReplayReport(
      report({ items: [{ ...still, table: 'ste_event' }] }),
    );

    expect(text).toContain('  still dirty (table ste_event):');
  });

  it('says a record is still dirty for the same reasons instead of listing them twice', () => {
    const still = report({}).items[1]!;
    const text = formatReplayReport(
      report({ items: [{ ...still, reasons_before: still.reasons }] }),
    );

    expect(text.split('\n').slice(2, 6)).toEqual([
      `unknown_service  event ev-2  (${KEY}, line 2)`,
      '  was:',
      '  - detail.evaluation.service: expected a service with a schema module, found "mindReader".',
      '  still dirty, for the same reasons',
    ]);
  });
});
