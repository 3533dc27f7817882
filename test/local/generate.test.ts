import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDvaultFiles } from '../../schemas/generate/generateDvaultFiles.js';
import { dvault, REPO_ROOT } from './cliProcess.js';

const SAMPLES = join(REPO_ROOT, 'samples');

describe('dvault generate', () => {
  it('writes files whose validation matches the tally it prints', async () => {
    const out = await mkdtemp(join(tmpdir(), 'dvault-generate-'));

    const generated = JSON.parse(
      (
        await dvault([
          'generate',
          '--events',
          '900',
          '--out',
          out,
          '--seed',
          '5',
          '--dirty-share',
          '0.1',
          '--json',
        ])
      ).stdout,
    );
    const report = JSON.parse(
      (await dvault(['validate', out, '--json'])).stdout,
    );

    expect(report.events).toBe(900);
    for (const [table, rows] of Object.entries(generated.clean)) {
      expect(report.clean[table], table).toBe(rows);
    }
    const kinds: Record<string, number> = {};
    for (const finding of report.dirty)
      kinds[finding.kind] = (kinds[finding.kind] ?? 0) + 1;
    expect(kinds).toEqual(generated.dirty);
  });

  it('still writes the committed samples byte for byte', async () => {
    const committed = (await readdir(SAMPLES))
      .filter((name) => name.startsWith('dvault-'))
      .sort();

    const regenerated = [
      ...generateDvaultFiles({ events: 1200, seed: 2026, dirtyShare: 0.02 }),
    ];

    expect(regenerated.map((file) => file.name).sort()).toEqual(committed);
    for (const file of regenerated) {
      expect(
        file.text === (await readFile(join(SAMPLES, file.name), 'utf8')),
        file.name,
      ).toBe(true);
    }
  });

  it('gives the counts the samples README promises', async () => {
    const report = JSON.parse(
      (await dvault(['validate', SAMPLES, '--json'])).stdout,
    );

    expect(report).toMatchObject({
      files: 6,
      events: 1200,
      clean: {
        summarizer_event: 487,
        summarizer_pred: 34,
        headliner_event: 65,
        headliner_pred: 46,
        ste_event: 342,
        ste_pred: 95,
        image_tagging_event: 69,
        semantic_image_matcher_event: 40,
      },
    });
    expect(report.dirty).toHaveLength(22);
  });

  it('refuses fewer than one event per file', async () => {
    await expect(
      dvault([
        'generate',
        '--events',
        '10',
        '--out',
        tmpdir(),
        '--events-per-file',
        '0',
      ]),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('0 is not at least 1'),
    });
  });
});

describe('dvault schema', () => {
  it('reports no breaking change as JSON too', async () => {
    const { stdout } = await dvault(['schema', '--check', '--json']);

    expect(JSON.parse(stdout)).toEqual({ breaking: [] });
  });

  it('finds no breaking change against the committed snapshot', async () => {
    const { stdout } = await dvault(['schema', '--check']);

    expect(stdout).toContain('No column was removed, renamed or retyped.');
  });

  it('shows a table with its Hive types', async () => {
    const columns = JSON.parse(
      (await dvault(['schema', 'ste_pred', '--json'])).stdout,
    );

    expect(columns.ste_pred).toMatchObject({
      output_scores: 'array<double>',
      context: 'struct<paragraph:int,sentence:int>',
    });
  });
});
