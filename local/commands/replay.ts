import type { Command } from 'commander';
import { FailureKind } from '../constants.js';
import { ListedKind } from '../dirty/constants.js';
import { CommandArgumentError } from '../errors.js';
import { formatReplayReport } from '../replay/formatReplayReport.js';
import { loadFix } from '../replay/loadFix.js';
import { replayDeployed } from '../replay/replayDeployed.js';
import { replayLocal } from '../replay/replayLocal.js';
import { failureFilter } from './dirty.js';

/** The options `dvault replay` takes. */
export interface ReplayOptions {
  lake?: string;
  bucket?: string;
  prefix?: string;
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
 * Registers `dvault replay --lake DIR | --bucket NAME [--prefix P] [--fix
 * MODULE] [--dry-run] [--table T] [--kind K] [--json]`: puts quarantined
 * events back through the pipeline, a local run's or a deployed stack's
 * (`--bucket`, its lake bucket: the events go onto its Kinesis streams).
 * Every record under `dirty/` and every Firehose `processing-failed`
 * record is parsed, corrected by the `--fix` module's default export
 * `(event, record) => corrected event | undefined`, and validated again. A dry run reports each record before and after and
 * sends nothing. Otherwise the local pipeline starts on the lake, the
 * now-clean events go onto their streams with their original provenance,
 * and the command returns once they are delivered as Parquet; a marker
 * under `replayed/` makes a second replay skip them.
 *
 * @example
 * npx dvault replay --lake .dvault/lake --fix fixes/restoreService.ts --dry-run
 * npx dvault replay --lake .dvault/lake --fix fixes/restoreService.ts --kind unroutable
 * npx dvault replay --bucket dvault-lake-123456789012 --fix fixes/restoreService.ts
 */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'Correct, re-validate and replay dirty records, locally or to a deployed stack.',
    )
    .option('--lake <dir>', 'the lake folder of a local run')
    .option(
      '--bucket <name>',
      "a deployed stack's lake bucket: replay to its streams (AWS credentials and region from the environment)",
    )
    .option(
      '--prefix <prefix>',
      "with --bucket, the stack's resource prefix (dvault-)",
    )
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
  // The SDK's Node-version notice says nothing about this replay.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const target = replayTarget(options);
  const report =
    target.bucket !== undefined
      ? await replayDeployed({
          bucket: target.bucket,
          prefix: options.prefix,
          fix,
          dryRun: options.dryRun,
          filter,
        })
      : await replayLocal({
          lake: target.lake,
          fix,
          dryRun: options.dryRun,
          filter,
        });
  return options.json ? JSON.stringify(report) : formatReplayReport(report);
}

/** Where to replay: a local lake or a deployed stack's bucket, not both. */
function replayTarget(
  options: ReplayOptions,
): { lake: string; bucket?: undefined } | { bucket: string } {
  if ((options.lake === undefined) === (options.bucket === undefined)) {
    throw new CommandArgumentError(
      'Give either --lake DIR (a local run) or --bucket NAME (a deployed stack), not both.',
    );
  }
  if (options.prefix !== undefined && options.bucket === undefined) {
    throw new CommandArgumentError('--prefix goes with --bucket.');
  }
  return options.bucket !== undefined
    ? { bucket: options.bucket }
    : { lake: options.lake as string };
}
