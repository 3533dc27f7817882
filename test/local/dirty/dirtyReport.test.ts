import { describe, expect, it } from 'vitest';
import { dirtyReport } from '../../../local/dirty/dirtyReport.js';
import { recordPlace } from '../../../local/replay/replayedRecords.js';
import { KEY, RECORDS } from './listedRecords.js';

describe('dirtyReport', () => {
  it('counts every kind by name, zero included, and by table', () => {
    const report = dirtyReport(
      { records: RECORDS, unreadable: [] },
      new Set(),
      20,
    );

    expect(report.total).toBe(4);
    expect(report.by_kind).toEqual({
      unparsable: 1,
      unroutable: 2,
      unknown_service: 0,
      invalid: 0,
      misrouted: 0,
      too_large: 1,
      processing_failed: 0,
      format_conversion_failed: 0,
    });
    expect(report.by_table).toEqual({ _producer: 3, ste_event: 1 });
    expect(report.counts).toEqual([
      { kind: 'too_large', table: 'ste_event', records: 1 },
      { kind: 'unparsable', table: '_producer', records: 1 },
      { kind: 'unroutable', table: '_producer', records: 2 },
    ]);
  });

  it('keeps only the first records up to the limit but counts them all', () => {
    const report = dirtyReport(
      { records: RECORDS, unreadable: [] },
      new Set(),
      2,
    );

    expect(report.records.map((r) => r.event_id)).toEqual(['a', 'b']);
    expect(report.total).toBe(4);
  });

  it('marks the records whose place an earlier replay recorded', () => {
    const replayed = new Set([recordPlace(KEY, 1)]);

    const report = dirtyReport(
      { records: RECORDS, unreadable: [] },
      replayed,
      20,
    );

    expect(report.replayed).toBe(1);
    expect(report.records.map((r) => r.replayed)).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });
});
