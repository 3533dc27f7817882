import type { Command } from 'commander';
import { landedFiles } from '../files/landedFiles.js';
import { textTable } from '../report/textTable.js';
import { skippedLines } from '../run/formatRunSummary.js';
import {
  type ValidationReport,
  validateFiles,
} from '../validate/validateFiles.js';

interface ValidateOptions {
  json?: boolean;
}

function jsonReport(report: ValidationReport, skipped: string[]) {
  return {
    files: report.files,
    skipped,
    events: report.events,
    clean: report.clean,
    unknown_fields: report.unknown_fields,
    dirty: report.dirty.map(
      ({ event_id, kind, table, file, index, offset, reasons }) => ({
        event_id,
        kind,
        table,
        file,
        index,
        offset,
        reasons,
      }),
    ),
  };
}

function humanReport(report: ValidationReport, skipped: string[]): string {
  const cleanRows = Object.entries(report.clean).map(([table, rows]) => [
    table,
    rows,
    report.unknown_fields[table] ?? 0,
  ]);
  const kinds = new Map<string, number>();
  for (const finding of report.dirty)
    kinds.set(finding.kind, (kinds.get(finding.kind) ?? 0) + 1);
  const lines = [
    `${report.files} files, ${report.events} events: ${report.events - report.dirty.length} clean, ${report.dirty.length} dirty.`,
    '',
    textTable(['table', 'clean events', 'with unknown fields'], cleanRows),
  ];
  if (report.dirty.length > 0) {
    lines.push('', textTable(['dirty kind', 'events'], [...kinds]));
    lines.push('', 'Dirty events:');
    for (const finding of report.dirty) {
      const id = finding.event_id ?? '(no id)';
      lines.push(
        `- ${id} [${finding.kind}] ${finding.file} at byte ${finding.offset}`,
      );
      for (const reason of finding.reasons) lines.push(`    ${reason.message}`);
    }
  }
  lines.push(...skippedLines(skipped));
  return lines.join('\n');
}

function progress(report: ValidationReport, total: number) {
  if (process.stderr.isTTY) {
    process.stderr.write(
      `\rvalidated ${report.files}/${total} files, ${report.events} events`,
    );
  }
}

/**
 * `dvault validate FILE... [--json]`: decodes dvault files against the
 * schemas and reports events per table and every dirty event's reasons.
 *
 * @example
 * npx dvault validate ../shared/samples
 * npx dvault validate landed/file-1 landed/file-2 --json
 */
export function registerValidate(program: Command) {
  program
    .command('validate')
    .description(
      'Check dvault files against the schemas without running the pipeline.',
    )
    .argument('<paths...>', 'dvault files, or folders holding them')
    .option('--json', 'print the report as JSON')
    .action(async (paths: string[], options: ValidateOptions) => {
      const { files, skipped } = await landedFiles(paths);
      const report = await validateFiles(files, (so) =>
        progress(so, files.length),
      );
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(
        options.json
          ? JSON.stringify(jsonReport(report, skipped), null, 2)
          : humanReport(report, skipped),
      );
    });
}
