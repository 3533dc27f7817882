import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../local/commands/run.js';
import { dvault } from '../../local/cliProcess.js';

describe('dvault run', () => {
  it('asks for files or a folder to watch when given neither', async () => {
    await expect(runCommand([], { lake: '/tmp/unused' })).rejects.toThrow(
      'Give files or folders to land, or --watch a folder.',
    );
  });

  it('refuses a buffer size that is not a positive number, through the real command line', async () => {
    const failure = await dvault([
      'run',
      '.',
      '--lake',
      '/tmp/unused',
      '--buffer-mib',
      '0',
    ]).catch((error: { code: number; stderr: string }) => error);

    expect(failure).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Expected a positive number, got "0".'),
    });
  });
});
