import { Command } from 'commander';
import { PipelineError } from '../schemas/errors.js';
import { registerDirty } from './commands/dirty.js';
import { registerGenerate } from './commands/generate.js';
import { registerQuery } from './commands/query.js';
import { registerReplay } from './commands/replay.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { registerStart } from './commands/start.js';
import { registerValidate } from './commands/validate.js';

/**
 * The `dvault` command line: one sub-command per job, each in
 * `local/commands/<name>.ts` exporting `register<Name>(program)`.
 *
 * @example
 * npx dvault validate ../shared/samples --json
 */
const program = new Command('dvault')
  .description('Turns dvault files into typed tables, locally or on AWS.')
  .showHelpAfterError();

registerValidate(program);
registerGenerate(program);
registerSchema(program);
registerQuery(program);
registerRun(program);
registerStart(program);
registerDirty(program);
registerReplay(program);

try {
  await program.parseAsync();
} catch (error) {
  // Errors of ours carry a sentence for people; anything else is a bug and
  // keeps its stack.
  if (!(error instanceof PipelineError)) throw error;
  console.error(`dvault: ${error.message}`);
  process.exitCode = 2;
}
