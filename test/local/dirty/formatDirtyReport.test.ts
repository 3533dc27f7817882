import { describe, expect, it } from 'vitest';
import { dirtyReport } from '../../../local/dirty/dirtyReport.js';
import { formatDirtyReport } from '../../../local/dirty/formatDirtyReport.js';
import { recordPlace } from '../../../local/replay/replayedRecords.js';
import { KEY, RECORDS } from './listedRecords.js';

describe('formatDirtyReport', () => {
  it('shows the kind-by-table summary, then each record with its origin and reasons', () => {
    const text = formatDirtyReport(
      dirtyReport(
        { records: RECORDS, unreadable: [] },
        new Set([recordPlace(KEY, 1)]),
        2,
      ),
    );

    expect(text.split('\n')).toEqual([
      'kind        table      records',
      '----------  ---------  -------',
      'too_large   ste_event        1',
      'unparsable  _producer        1',
      'unroutable  _producer        2',
      '4 records did not become clean rows (1 replayed since).',
      '',
      'unroutable  _producer  event a',
      '  read from s3://landing/in/broken.json (event index 0, byte 0)',
      `  kept in ${KEY}, line 1`,
      '  - detail.evaluation.service: expected what the contract says, found something else.',
      '',
      'unroutable  _producer  event b, replayed',
      '  read from s3://landing/in/broken.json (event index 0, byte 0)',
      `  kept in ${KEY}, line 2`,
      '  - the event: expected what the contract says, found something else.',
      '',
      'Showing 2 of 4; --limit N shows more, --json prints them as JSON.',
    ]);
  });

  it('says so when nothing failed', () => {
    const text = formatDirtyReport(
      dirtyReport({ records: [], unreadable: [] }, new Set(), 20),
    );

    expect(text).toBe(
      'No dirty or failed records: every event read became a clean row.',
    );
  });

  it('names a record without provenance or id, and an unreadable line', () => {
    const record = { ...RECORDS[3]!, source: null };
    const text = formatDirtyReport(
      dirtyReport(
        {
          records: [record],
          unreadable: [
            { object_key: KEY, line: 4, message: 'The line is not JSON.' },
          ],
        },
        new Set(),
        20,
      ),
    );

    expect(text).toContain(
      'unparsable  _producer  event (no id)\n  read from an unknown place (no provenance was kept)',
    );
    expect(text).toContain(
      `unreadable line 5 of ${KEY}\n  - The line is not JSON.`,
    );
  });
});
