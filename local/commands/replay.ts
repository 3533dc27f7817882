import type { Command } from 'commander';
import { FailureKind } from '../constants.js';
import { ListedKind } from '../dirty/constants.js';
import { CommandArgumentError } from '../errors.js';
import { formatReplayReport } from '../replay/formatReplayReport.js';
import { loadFix } from '../replay/loadFix.js';
import { replayLocal } from '../replay/replayLocal.js';
import { failureFilter } from './dirty.js';

/** The options `dvault replay` takes. */
export interface ReplayOptions {
  lake: string;
  fix?: string;
  dryRun?: boolean;
  table?: string;
  kind?: string;
  json?: boolean;
}

/** The kinds replay takes: all but conversion failures, which keep no event. */
const REPLAYABLE_KINDS = Object.values(ListedKind).filter(
  (kind) => kind !== FailureKind.FormatConversionFailed,
);

const NOT_REPLAYED = `Records under errors/<table>/format-conversion-failed/ keep the transformer's row, not the event, so they are listed by dvault dirty but never replayed: fix the schema, then land their source file again.`;

/** What `dvault replay --help` adds: what is replayed and what is not. */
const REPLAY_HELP = `
Replayed: every record under dirty/, and every Firehose record under
errors/<table>/processing-failed/ (it keeps the producer's Kinesis record,
so the event and its provenance come back whole). Only records that are
clean after the fix are sent; the rest stay where they are.

Not replayed: records under errors/<table>/format-conversion-failed/ keep
the transformer's row, not the event. dvault dirty lists them; fix the
schema, then land their source file again. A fix sees parsed events, so
unparsable bytes stay dirty: correct the landed file and land it again.`;

/**
 * Registers `dvault replay --lake DIR [--fix MODULE] [--dry-run] [--table
 * T] [--kind K] [--json]`: puts quarantined events back through the
 * pipeline. Every record under `dirty/` and every Firehose
 * `processing-failed` record is parsed, corrected by the `--fix` module's
 * default export `(event, record) => corrected event | undefined`, and
 * validated again. A dry run reports each record before and after and
 * sends nothing. Otherwise the local pipeline starts on the lake, the
 * now-clean events go onto their streams with their original provenance,
 * and the command returns once they are delivered as Parquet; a marker
 * under `replayed/` makes a second replay skip them.
 *
 * @example
 * npx dvault replay --lake .dvault/lake --fix fixes/restoreService.ts --dry-run
 * npx dvault replay --lake .dvault/lake --fix fixes/restoreService.ts --kind unroutable
 */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'Correct, re-validate and replay dirty records through the local pipeline.',
    )
    .requiredOption('--lake <dir>', 'the lake folder')
    .option(
      '--fix <module>',
      'a JS/TS module whose default export (event, record) returns the corrected event, or undefined to keep it',
    )
    .option('--dry-run', 'show each record before and after; send nothing')
    .option('--table <table>', 'only records of this table, or _producer')
    .option('--kind <kind>', `only this kind: ${REPLAYABLE_KINDS.join(', ')}`)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', REPLAY_HELP)
    .action(async (options: ReplayOptions) => {
      process.stdout.write(`${await replayCommand(options)}\n`);
    });
}

/** Replays as the options ask and renders the report. */
export async function replayCommand(options: ReplayOptions): Promise<string> {
  if (options.kind === FailureKind.FormatConversionFailed) {
    throw new CommandArgumentError(NOT_REPLAYED);
  }
  const filter = failureFilter(options, REPLAYABLE_KINDS);
  const fix =
    options.fix === undefined ? undefined : await loadFix(options.fix);
  // Local clients talk to loopback only; the SDK's Node-version notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const report = await replayLocal({
    lake: options.lake,
    fix,
    dryRun: options.dryRun,
    filter,
  });
  return options.json ? JSON.stringify(report) : formatReplayReport(report);
}
