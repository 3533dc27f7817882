import { formatTable } from '../formatTable.js';
import type { RunSummary } from './runLocal.js';

/**
 * The end-of-run report for people: files, events, time and rate, rows
 * written per table with those carrying unknown fields, and the dirty
 * kinds that occurred.
 *
 * @param summary what the run did
 * @param lake the lake folder, named so the reader knows where to look
 */
export function formatRunSummary(summary: RunSummary, lake: string): string {
  const tables = Object.entries(summary.clean).map(([table, rows]) => ({
    table,
    rows,
    'unknown fields': summary.unknownFields[table] ?? 0,
  }));
  return [
    runLine(summary),
    '',
    formatTable(['table', 'rows', 'unknown fields'], tables),
    '',
    dirtyTable(summary),
    ...skippedLines(summary.skipped),
    '',
    `Lake: ${lake}   Query it: npx dvault query "SELECT * FROM dirty" --lake ${lake}`,
  ].join('\n');
}

/** How many paths were passed over by name, and the first of them. */
export function skippedLines(skipped: readonly string[]): string[] {
  if (skipped.length === 0) return [];
  const shown = skipped.slice(0, 5).join(', ');
  const more = skipped.length > 5 ? `, and ${skipped.length - 5} more` : '';
  return [
    '',
    `Skipped ${skipped.length} ${skipped.length === 1 ? 'path' : 'paths'} by name (hidden, README or Markdown notes, unfinished .tmp or .part writes): ${shown}${more}.`,
  ];
}

/** One line: files, events, seconds and events per second. */
export function runLine(summary: RunSummary): string {
  const rate =
    summary.seconds > 0 ? Math.round(summary.events / summary.seconds) : 0;
  return `Landed ${summary.files} ${summary.files === 1 ? 'file' : 'files'}, ${summary.events} events in ${summary.seconds.toFixed(1)} s (${rate} events/s).`;
}

/** The dirty kinds that occurred and their records, or a line saying none. */
export function dirtyTable(summary: RunSummary): string {
  const dirty = Object.entries(summary.dirty)
    .filter(([, records]) => records > 0)
    .map(([kind, records]) => ({ 'dirty kind': kind, records }));
  return dirty.length > 0
    ? formatTable(['dirty kind', 'records'], dirty)
    : 'No dirty records.';
}
