import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import {
  breakingChanges,
  type ColumnSnapshot,
  columnSnapshot,
  TABLES,
} from '../../schemas/index.js';
import { textTable } from '../report/textTable.js';

const SNAPSHOT = fileURLToPath(
  new URL('../../schemas/columns.snapshot.json', import.meta.url),
);

interface SchemaOptions {
  json?: boolean;
  check?: boolean;
  updateSnapshot?: boolean;
}

async function committedSnapshot(): Promise<ColumnSnapshot> {
  return JSON.parse(await readFile(SNAPSHOT, 'utf8'));
}

/**
 * `dvault schema [TABLE...] [--json] [--check] [--update-snapshot]`: shows
 * each table's columns as Glue stores them; `--check` compares them with
 * the committed snapshot and fails on a removed, renamed or retyped column;
 * `--update-snapshot` records the current columns on purpose.
 *
 * @example
 * npx dvault schema ste_pred
 * npx dvault schema --check
 */
export function registerSchema(program: Command) {
  program
    .command('schema')
    .description(
      "Show the tables' columns, or check them against the committed snapshot.",
    )
    .argument('[tables...]', 'tables to show (all when none)')
    .option('--json', 'print the columns as JSON')
    .option(
      '--check',
      'fail when a committed column was removed, renamed or retyped',
    )
    .option(
      '--update-snapshot',
      'write the current columns to schemas/columns.snapshot.json',
    )
    .action(async (names: string[], options: SchemaOptions) => {
      const current = columnSnapshot(TABLES);
      if (options.updateSnapshot) {
        await writeFile(SNAPSHOT, `${JSON.stringify(current, null, 2)}\n`);
        console.log(`Wrote ${SNAPSHOT}.`);
        return;
      }
      if (options.check) {
        const changes = breakingChanges(await committedSnapshot(), current);
        if (changes.length > 0) process.exitCode = 1;
        if (options.json) {
          console.log(JSON.stringify({ breaking: changes }, null, 2));
          return;
        }
        for (const change of changes) console.error(change);
        if (changes.length === 0) {
          console.log('No column was removed, renamed or retyped.');
        }
        return;
      }
      const unknown = names.filter((name) => current[name] === undefined);
      if (unknown.length > 0) {
        console.error(
          `Unknown table ${unknown.join(', ')}; tables: ${Object.keys(current).join(', ')}.`,
        );
        process.exitCode = 2;
        return;
      }
      const chosen = names.length > 0 ? names : Object.keys(current);
      const picked = Object.fromEntries(
        chosen.map((name) => [name, current[name]]),
      );
      if (options.json) {
        console.log(JSON.stringify(picked, null, 2));
        return;
      }
      for (const [table, columns] of Object.entries(picked)) {
        console.log(
          `${table}\n${textTable(['column', 'type'], Object.entries(columns ?? {}))}\n`,
        );
      }
    });
}
