import { describe, expect, it } from 'vitest';
import { progressReporter, runCommand } from '../../../local/commands/run.js';
import type { PipelineProgress } from '../../../local/run/LocalPipeline.js';
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

  it('reports progress only when files, events or rows moved', () => {
    const lines: string[] = [];
    const report = progressReporter((line) => lines.push(line));
    const progress = (files: number, rows: number): PipelineProgress => ({
      files,
      events: files * 10,
      recordsPut: 0,
      recordsRead: 0,
      clean: { ste_event: rows, summarizer_event: 1 },
      unknownFields: {},
      dirty: {},
    });

    report(progress(1, 0), 1.2);
    report(progress(1, 0), 2.1);
    report(progress(2, 9), 3.4);
    report(progress(2, 9), 4.4);

    expect(lines).toEqual([
      'dvault run: 1 s, 1 files, 10 events, 1 rows\n',
      'dvault run: 3 s, 2 files, 20 events, 10 rows\n',
    ]);
  });
});
