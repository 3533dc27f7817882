import { describe, expect, it } from 'vitest';
import {
  dirtyTable,
  formatRunSummary,
  runLine,
} from '../../../local/run/formatRunSummary.js';
import type { RunSummary } from '../../../local/run/runLocal.js';

function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    files: 13,
    events: 782,
    clean: { ste_event: 314, summarizer_pred: 15 },
    unknownFields: { ste_event: 2, summarizer_pred: 0 },
    dirty: { unroutable: 2, invalid: 0, processing_failed: 0 },
    skipped: [],
    seconds: 2,
    ...overrides,
  };
}

describe('formatRunSummary', () => {
  it('states files, events, seconds and the rate on one line', () => {
    expect(runLine(summary())).toBe(
      'Landed 13 files, 782 events in 2.0 s (391 events/s).',
    );
  });

  it('gives a rate of zero for a run that took no measurable time', () => {
    expect(runLine(summary({ seconds: 0 }))).toContain('(0 events/s)');
  });

  it('lists rows and rows with unknown fields per table, and the lake to query', () => {
    const lines = formatRunSummary(summary(), '/tmp/lake').split('\n');

    expect(lines).toContainEqual(
      expect.stringMatching(/^ste_event\s+314\s+2$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^summarizer_pred\s+15\s+0$/),
    );
    expect(lines.at(-1)).toContain('--lake /tmp/lake');
  });

  it('shows only the dirty kinds that occurred', () => {
    const table = dirtyTable(summary());

    expect(table).toMatch(/unroutable\s+2/);
    expect(table).not.toContain('invalid');
    expect(table).not.toContain('processing_failed');
  });

  it('says so when no record is dirty', () => {
    expect(dirtyTable(summary({ dirty: { invalid: 0 } }))).toBe(
      'No dirty records.',
    );
  });

  it('says nothing of skipped paths when none were', () => {
    expect(formatRunSummary(summary(), '/tmp/lake')).not.toContain('Skipped');
  });

  it('names the paths passed over by name, the first five of them', () => {
    const skipped = ['a/.x', 'a/README', 'a/b.md', 'a/c.tmp', 'a/d.part', 'e'];

    const text = formatRunSummary(summary({ skipped }), '/tmp/lake');

    expect(text).toContain(
      'Skipped 6 paths by name (hidden, README or Markdown notes, unfinished .tmp or .part writes): a/.x, a/README, a/b.md, a/c.tmp, a/d.part, and 1 more.',
    );
  });

  it('says file, not files, for one landed file', () => {
    expect(runLine(summary({ files: 1 }))).toMatch(/^Landed 1 file, /);
  });
});
