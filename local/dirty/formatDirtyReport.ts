import type { Provenance } from '../../schemas/index.js';
import { textTable } from '../report/textTable.js';
import type { DirtyReport, ListedRecord } from './dirtyReport.js';

/**
 * Renders a dirty report for people: a kind-by-table summary, then each
 * listed record with its event id, table, where it was read, where it is
 * kept, and every reason's message.
 *
 * @example
 * formatDirtyReport(dirtyReport(failures, replayed, 20));
 * // kind        table      records
 * // ----------  ---------  -------
 * // unroutable  _producer        2
 * // ...
 *
 * @param report what `dirtyReport` made
 */
export function formatDirtyReport(report: DirtyReport): string {
  if (report.total === 0 && report.unreadable.length === 0) {
    return 'No dirty or failed records: every event read became a clean row.';
  }
  const rows = report.counts.map((c) => [c.kind, c.table, c.records]);
  const lines = [
    textTable(['kind', 'table', 'records'], rows),
    headline(report),
  ];
  for (const record of report.records) lines.push('', ...recordLines(record));
  lines.push(...unreadableLines(report));
  if (report.records.length < report.total) {
    lines.push(
      '',
      `Showing ${report.records.length} of ${report.total}; --limit N shows more, --json prints them as JSON.`,
    );
  }
  return lines.join('\n');
}

function headline(report: DirtyReport): string {
  const noun = report.total === 1 ? 'record' : 'records';
  const replayed =
    report.replayed > 0 ? ` (${report.replayed} replayed since)` : '';
  return `${report.total} ${noun} did not become clean rows${replayed}.`;
}

function recordLines(record: ListedRecord): string[] {
  const replayed = record.replayed ? ', replayed' : '';
  return [
    `${record.kind}  ${record.table}  event ${record.event_id ?? '(no id)'}${replayed}`,
    `  read from ${whereRead(record.source)}`,
    `  kept in ${record.object_key}, line ${record.line + 1}`,
    ...record.reasons.map((reason) => `  - ${reason.message}`),
  ];
}

function whereRead(source: Provenance | null): string {
  if (source === null) return 'an unknown place (no provenance was kept)';
  return `s3://${source.bucket}/${source.key} (event index ${source.index}, byte ${source.offset})`;
}

function unreadableLines(report: DirtyReport): string[] {
  return report.unreadable.flatMap((line) => [
    '',
    `unreadable line ${line.line + 1} of ${line.object_key}`,
    `  - ${line.message}`,
  ]);
}
