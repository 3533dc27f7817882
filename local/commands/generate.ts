import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import {
  type GenerationTally,
  generateDvaultFiles,
} from '../../schemas/generate/generateDvaultFiles.js';
import { CommandArgumentError } from '../errors.js';
import { textTable } from '../report/textTable.js';

interface GenerateOptions {
  events: number;
  out: string;
  seed: number;
  dirtyShare: number;
  eventsPerFile: number;
  json?: boolean;
}

function wholeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${text} is not a whole number.`);
  }
  return value;
}

function positiveNumber(text: string): number {
  const value = wholeNumber(text);
  if (value < 1) throw new InvalidArgumentError(`${text} is not at least 1.`);
  return value;
}

function share(text: string): number {
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError(`${text} is not a share between 0 and 1.`);
  }
  return value;
}

/**
 * `dvault generate --events N --out DIR [--seed S] [--dirty-share F]`:
 * writes realistic dvault files, the same bytes for the same seed, and
 * says what each table should receive.
 *
 * @example
 * npx dvault generate --events 200000 --out /tmp/dvaults --dirty-share 0.01
 */
export function registerGenerate(program: Command) {
  program
    .command('generate')
    .description('Write realistic dvault files for trials and benchmarks.')
    .requiredOption('--events <n>', 'how many events in all', wholeNumber)
    .requiredOption('--out <dir>', 'the folder to write the files into')
    .option(
      '--seed <n>',
      'the random seed; the same seed gives the same files',
      wholeNumber,
      1,
    )
    .option(
      '--dirty-share <f>',
      'the share of events broken on purpose',
      share,
      0,
    )
    .option('--events-per-file <n>', 'events in each file', positiveNumber, 200)
    .option('--json', 'print the summary as JSON')
    .action(async (options: GenerateOptions) => {
      await mkdir(options.out, { recursive: true }).catch((cause: unknown) => {
        throw new CommandArgumentError(
          `Cannot make the folder ${options.out}.`,
          { cause },
        );
      });
      const tally: GenerationTally = { clean: {}, dirty: {} };
      let files = 0;
      for (const file of generateDvaultFiles(
        {
          events: options.events,
          seed: options.seed,
          dirtyShare: options.dirtyShare,
          eventsPerFile: options.eventsPerFile,
        },
        tally,
      )) {
        await writeFile(join(options.out, file.name), file.text);
        files++;
      }
      const summary = {
        files,
        events: options.events,
        out: options.out,
        ...tally,
      };
      if (options.json) {
        console.log(JSON.stringify(summary, null, 2));
        return;
      }
      console.log(
        `Wrote ${files} files with ${options.events} events to ${options.out}.\n`,
      );
      console.log(
        textTable(
          ['expected', 'events'],
          [
            ...Object.entries(tally.clean).sort(),
            ...Object.entries(tally.dirty)
              .sort()
              .map(([kind, n]) => [`dirty: ${kind}`, n]),
          ],
        ),
      );
    });
}
