import { ReplayOutcome } from '../../producer/constants.js';
import type { ReplayedRecord, ReplayReport } from './replayLocal.js';

/**
 * Renders a replay for people: each record with what it was (its kind
 * and reasons) and what it is now (clean and for which table, still dirty
 * and why, unless for the same reasons, or replayed before), then the
 * totals, and for a real replay what was delivered.
 *
 * @example
 * formatReplayReport(await replayLocal({ lake, dryRun: true }));
 * // unroutable  event ev-1  (dirty/_producer/dt=2026-05-01/3f2a.jsonl, line 1)
 * //   was:
 * //   - the event: expected a service or a prediction_id naming one, ...
 * //   now clean: ste_event
 * // ...
 *
 * @param report what `replayLocal` returned
 */
export function formatReplayReport(report: ReplayReport): string {
  const lines: string[] = [];
  if (report.dry_run) {
    lines.push('Dry run: nothing was sent or recorded.', '');
  }
  for (const item of report.items) lines.push(...itemLines(item, report), '');
  lines.push(totals(report));
  if (report.delivered !== null) lines.push(...deliveryLines(report));
  else if (!report.dry_run) lines.push(...sentLines(report));
  return lines.join('\n');
}

function itemLines(item: ReplayedRecord, report: ReplayReport): string[] {
  const head = [
    `${item.kind_before}  event ${item.event_id ?? '(no id)'}  (${item.object_key}, line ${item.line + 1})`,
    ...(item.reasons_before.length > 0 ? ['  was:'] : []),
    ...item.reasons_before.map((reason) => `  - ${reason.message}`),
  ];
  return [...head, ...outcomeLines(item, report)];
}

function outcomeLines(item: ReplayedRecord, report: ReplayReport): string[] {
  switch (item.outcome) {
    case ReplayOutcome.Replayed:
      return [`  ${report.dry_run ? 'now clean' : 'replayed'}: ${item.table}`];
    case ReplayOutcome.AlreadyReplayed:
      return ['  already replayed by an earlier run'];
    default:
      return stillDirtyLines(item);
  }
}

function stillDirtyLines(item: ReplayedRecord): string[] {
  const table = item.table === null ? '' : ` (table ${item.table})`;
  if (sameReasons(item)) return [`  still dirty${table}, for the same reasons`];
  return [
    `  still dirty${table}:`,
    ...item.reasons.map((reason) => `  - ${reason.message}`),
  ];
}

function sameReasons(item: ReplayedRecord): boolean {
  const messages = (reasons: readonly { message: string }[]) =>
    reasons.map((reason) => reason.message).join('\n');
  return (
    item.reasons_before.length > 0 &&
    messages(item.reasons) === messages(item.reasons_before)
  );
}

function totals(report: ReplayReport): string {
  const verb = report.dry_run ? 'now clean' : 'replayed';
  const tables = counts(report.records);
  return `${report.considered} considered: ${report.replayed} ${verb}${tables === '' ? '' : ` (${tables})`}, ${report.still_dirty} still dirty, ${report.already_replayed} already replayed.`;
}

function deliveryLines(report: ReplayReport): string[] {
  const delivered = report.delivered ?? {};
  const rows = Object.values(delivered).reduce((a, b) => a + b, 0);
  const lines = [
    `Delivered ${rows} row${rows === 1 ? '' : 's'} to the lake${rows > 0 ? ` (${counts(delivered)})` : ''}.`,
  ];
  const again = counts(report.dirty_again ?? {});
  if (again !== '') lines.push(`Kept as dirty or failed again: ${again}.`);
  if (report.marker !== null) lines.push(`Recorded in ${report.marker}.`);
  return lines;
}

/** After a replay to deployed streams, which deliver on their own time. */
function sentLines(report: ReplayReport): string[] {
  const lines =
    report.replayed > 0
      ? [
          `Sent ${report.replayed} record${report.replayed === 1 ? '' : 's'} to the deployed streams; Firehose delivers them within its buffer interval.`,
        ]
      : [];
  if (report.marker !== null) lines.push(`Recorded in ${report.marker}.`);
  return lines;
}

function counts(byName: Record<string, number>): string {
  return Object.entries(byName)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}
