import type { Command } from 'commander';
import { TABLES } from '../../schemas/index.js';
import { formatTable } from '../formatTable.js';
import { emptyLake } from '../lake/emptyLake.js';
import { queryLake } from '../lake/queryLake.js';
import { dirtyTable, runLine } from '../run/formatRunSummary.js';
import { runLocal } from '../run/runLocal.js';

/** The options `dvault start` takes. */
export interface StartOptions {
  samples: string;
  lake: string;
}

/**
 * Registers `dvault start` (what `npm start` runs): lands the repository's
 * generated `samples/` into a fresh lake under `.dvault/lake` and shows
 * the rows per table, so the tables are there to query at once.
 *
 * @example
 * npm start
 * npx dvault query "SELECT * FROM ste_event LIMIT 5" --lake .dvault/lake
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'Run the bundled samples into .dvault/lake and show the tables.',
    )
    .option('--samples <dir>', 'the files to land', 'samples')
    .option(
      '--lake <dir>',
      'the lake folder, emptied first (only if it holds nothing but a lake)',
      '.dvault/lake',
    )
    .action(async (options: StartOptions) => {
      process.stdout.write(`${await startCommand(options)}\n`);
    });
}

/** Runs the samples into a fresh lake and renders what landed. */
export async function startCommand(options: StartOptions): Promise<string> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await emptyLake(options.lake, options.samples);
  const summary = await runLocal({
    paths: [options.samples],
    lake: options.lake,
  });
  const counts = await queryLake(options.lake, rowsPerTableSql());
  return [
    runLine(summary),
    '',
    `Tables in ${options.lake} (rows, one per event_id):`,
    formatTable(counts.columns, counts.rows),
    '',
    dirtyTable(summary),
    '',
    'Try:',
    `  npx dvault query "SELECT type, count(*) AS n FROM summarizer_event GROUP BY type" --lake ${options.lake}`,
    `  npx dvault query "SELECT kind, reasons FROM dirty" --lake ${options.lake}`,
  ].join('\n');
}

function rowsPerTableSql(): string {
  return TABLES.map(
    (table) =>
      `SELECT '${table.name}' AS "table", count(*) AS "rows" FROM "${table.name}"`,
  )
    .join(' UNION ALL ')
    .concat(' ORDER BY "table"');
}
