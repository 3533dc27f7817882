import type { Command } from 'commander';
import { formatTable } from '../formatTable.js';
import { queryLake } from '../lake/queryLake.js';

/** The options `dvault query` takes. */
export interface QueryOptions {
  lake: string;
  json?: boolean;
}

/**
 * Registers `dvault query "SQL" --lake DIR [--json]`: runs SQL with DuckDB
 * over the lake. Each table is a view with one row per `event_id`;
 * `<table>_all` keeps every delivered row; `dirty` holds quarantined
 * records, one per event, `dirty_all` every quarantined copy, and `errors`
 * what the local Firehose could not deliver. The SQL must be one reading
 * statement (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE or a
 * plain EXPLAIN); anything else is refused, and no query can write a file.
 *
 * @example
 * npx dvault query "SELECT count(*) AS n FROM ste_event" --lake .dvault/lake
 * npx dvault query "SELECT kind, count(*) AS n FROM dirty GROUP BY kind" --lake .dvault/lake --json
 */
export function registerQuery(program: Command): void {
  program
    .command('query')
    .description(
      'Query the lake with SQL (DuckDB): one view per table, plus dirty and errors (_all views keep duplicates).',
    )
    .argument(
      '<sql>',
      'one read-only statement: SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN',
    )
    .requiredOption('--lake <dir>', 'the lake folder')
    .option('--json', 'print the rows as a JSON array')
    .action(async (sql: string, options: QueryOptions) => {
      process.stdout.write(`${await runQuery(sql, options)}\n`);
    });
}

/** Runs the query and renders its answer as the options ask. */
export async function runQuery(
  sql: string,
  options: QueryOptions,
): Promise<string> {
  const { columns, rows } = await queryLake(options.lake, sql);
  if (options.json) return JSON.stringify(rows);
  const count = `(${rows.length} row${rows.length === 1 ? '' : 's'})`;
  return `${formatTable(columns, rows)}\n${count}`;
}
