import { stat } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import {
  DirectoryObjectStore,
  PRODUCER_DIRTY_TABLE,
  TABLES,
} from '../../schemas/index.js';
import { LAKE_BUCKET } from '../constants.js';
import { DEFAULT_LISTED_RECORDS, ListedKind } from '../dirty/constants.js';
import { dirtyReport } from '../dirty/dirtyReport.js';
import type { FailureFilter } from '../dirty/FailureFilter.js';
import { formatDirtyReport } from '../dirty/formatDirtyReport.js';
import { readLakeFailures } from '../dirty/readLakeFailures.js';
import { CommandArgumentError } from '../errors.js';
import { replayedRecords } from '../replay/replayedRecords.js';

/** The options `dvault dirty` takes. */
export interface DirtyOptions {
  lake: string;
  kind?: string;
  table?: string;
  limit?: number;
  json?: boolean;
}

/**
 * Registers `dvault dirty --lake DIR [--kind K] [--table T] [--limit N]
 * [--json]`: lists and explains everything in the lake that did not
 * become a clean row. That is the producer's and transformer's dirty
 * records (`dirty/<table or _producer>/`: unparsable, unroutable,
 * unknown_service, invalid, misrouted, too_large) and the records Firehose
 * kept under `errors/<table>/` (processing_failed,
 * format_conversion_failed), with whether a replay put each back.
 *
 * @example
 * npx dvault dirty --lake .dvault/lake
 * npx dvault dirty --lake .dvault/lake --kind unroutable --limit 5 --json
 */
export function registerDirty(program: Command): void {
  program
    .command('dirty')
    .description(
      'List and explain what did not become a clean row: dirty records and Firehose errors.',
    )
    .requiredOption('--lake <dir>', 'the lake folder')
    .option('--kind <kind>', `only this kind: ${kinds().join(', ')}`)
    .option(
      '--table <table>',
      `only records of this table, or ${PRODUCER_DIRTY_TABLE}`,
    )
    .option(
      '--limit <n>',
      `records to explain (${DEFAULT_LISTED_RECORDS}); the counts cover all`,
      wholeNumber,
    )
    .option(
      '--json',
      'print { total, by_kind, by_table, counts, replayed, unreadable, records }',
    )
    .action(async (options: DirtyOptions) => {
      process.stdout.write(`${await dirtyCommand(options)}\n`);
    });
}

/** Reads the lake's failed records and renders them as the options ask. */
export async function dirtyCommand(options: DirtyOptions): Promise<string> {
  const filter = failureFilter(options, kinds());
  await assertLake(options.lake);
  // Knowing what was replayed builds a (never sending) Kinesis client; the
  // SDK's Node-version notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const store = new DirectoryObjectStore({ [LAKE_BUCKET]: options.lake });
  const [failures, replayed] = await Promise.all([
    readLakeFailures(store, LAKE_BUCKET, filter),
    replayedRecords(store, LAKE_BUCKET),
  ]);
  const report = dirtyReport(
    failures,
    replayed,
    options.limit ?? DEFAULT_LISTED_RECORDS,
  );
  return options.json ? JSON.stringify(report) : formatDirtyReport(report);
}

/**
 * The filter a `--kind` and `--table` ask for, refusing names that
 * nothing in the lake could carry.
 *
 * @param options the command's options
 * @param allowed the kinds the command takes
 */
export function failureFilter(
  options: { kind?: string; table?: string },
  allowed: readonly string[],
): FailureFilter {
  const tables = [PRODUCER_DIRTY_TABLE, ...TABLES.map((t) => t.name)];
  if (options.kind !== undefined && !allowed.includes(options.kind)) {
    throw new CommandArgumentError(
      `Unknown kind ${JSON.stringify(options.kind)}; expected one of ${allowed.join(', ')}.`,
    );
  }
  if (options.table !== undefined && !tables.includes(options.table)) {
    throw new CommandArgumentError(
      `Unknown table ${JSON.stringify(options.table)}; expected one of ${tables.join(', ')}.`,
    );
  }
  return {
    kinds: options.kind === undefined ? undefined : [options.kind],
    tables: options.table === undefined ? undefined : [options.table],
  };
}

async function assertLake(lake: string): Promise<void> {
  const info = await stat(lake).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CommandArgumentError(
      `The lake folder ${lake} does not exist; dvault run writes one.`,
    );
  }
}

function kinds(): string[] {
  return Object.values(ListedKind);
}

function wholeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(
      `Expected a whole number, got ${JSON.stringify(text)}.`,
    );
  }
  return value;
}
