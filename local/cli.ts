import { Command } from 'commander';
import { registerGenerate } from './commands/generate.js';
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

await program.parseAsync();
