import { type Command, InvalidArgumentError } from 'commander';
import { CommandArgumentError } from '../errors.js';
import { formatRunSummary } from '../run/formatRunSummary.js';
import type { PipelineProgress } from '../run/LocalPipeline.js';
import { type RunSummary, runLocal } from '../run/runLocal.js';

/** The options `dvault run` takes. */
export interface RunCommandOptions {
  lake: string;
  watch?: string;
  json?: boolean;
  bufferMib?: number;
  bufferSeconds?: number;
}

/**
 * Registers `dvault run [PATH...] --lake DIR [--watch DIR] [--json]`: the
 * whole pipeline on this machine. Each file (or every file under a folder)
 * is landed as if put to S3; the run ends once every event is in the lake,
 * or, with `--watch`, keeps landing files dropped into that folder until
 * interrupted (Ctrl-C), then delivers what it holds and reports.
 *
 * @example
 * npx dvault run samples --lake .dvault/lake
 * npx dvault run --watch inbox --lake .dvault/lake --buffer-seconds 1
 */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'Run the pipeline locally: land files, deliver them to a Parquet lake.',
    )
    .argument('[paths...]', 'files or folders to land')
    .requiredOption('--lake <dir>', 'the lake folder (created when missing)')
    .option(
      '--watch <dir>',
      'keep landing files dropped into this folder (created when missing)',
    )
    .option('--json', 'print the summary as JSON')
    .option('--buffer-mib <n>', 'delivery buffer size, MiB (1)', positiveNumber)
    .option(
      '--buffer-seconds <n>',
      'delivery buffer interval, seconds (1)',
      positiveNumber,
    )
    .action(async (paths: string[], options: RunCommandOptions) => {
      process.stdout.write(`${await runCommand(paths, options)}\n`);
    });
}

/** Runs and renders the summary as the options ask. */
export async function runCommand(
  paths: readonly string[],
  options: RunCommandOptions,
): Promise<string> {
  if (paths.length === 0 && options.watch === undefined) {
    throw new CommandArgumentError(
      'Give files or folders to land, or --watch a folder.',
    );
  }
  // Local clients talk to loopback only; the SDK's Node-version notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  try {
    const summary = await runLocal({
      paths,
      lake: options.lake,
      watch: options.watch,
      bufferMib: options.bufferMib,
      bufferSeconds: options.bufferSeconds,
      signal: stop.signal,
      onProgress: progressReporter(),
    });
    return options.json
      ? JSON.stringify(jsonSummary(summary))
      : formatRunSummary(summary, options.lake);
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
  }
}

/**
 * The summary as `--json` prints it: keys in snake_case, as every other
 * command's JSON (`unknown_fields`, as `dvault validate --json` says).
 */
export function jsonSummary(summary: RunSummary) {
  const { files, events, clean, unknownFields, dirty, skipped, seconds } =
    summary;
  return {
    files,
    events,
    clean,
    unknown_fields: unknownFields,
    dirty,
    skipped,
    seconds,
  };
}

/**
 * Reports progress (on stderr by default) about once a second, only when
 * something moved: a long run shows it is alive, an idle watch stays quiet.
 *
 * @param write where each line goes
 */
export function progressReporter(
  write: (line: string) => void = (line) => process.stderr.write(line),
) {
  let last = '';
  return (progress: PipelineProgress, seconds: number) => {
    const rows = Object.values(progress.clean).reduce((a, b) => a + b, 0);
    const line = `${progress.files} files, ${progress.events} events, ${rows} rows`;
    if (line === last) return;
    last = line;
    write(`dvault run: ${seconds.toFixed(0)} s, ${line}\n`);
  };
}

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(
      `Expected a positive number, got ${JSON.stringify(text)}.`,
    );
  }
  return value;
}
