import { Command } from 'commander';

const program = new Command('dvault').description('dvault pipeline');
program.command('hello').action(() => console.log('hi'));
await program.parseAsync();
