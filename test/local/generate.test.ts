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
        summarizer_event: 503,
        summarizer_pred: 35,
        headliner_event: 71,
        headliner_pred: 39,
        ste_event: 356,
        ste_pred: 79,
        image_tagging_event: 56,
        semantic_image_matcher_event: 39,
      },
    });
    expect(report.dirty).toHaveLength(22);
  });

  it('makes evaluations cite predictions it made, as the real files do', () => {
    const events = [
      ...generateDvaultFiles({ events: 2000, seed: 7, dirtyShare: 0 }),
    ].flatMap((file) =>
      JSON.parse(`[${file.text.replaceAll('}{"version"', '},{"version"')}]`),
    );
    const bodies = events.map(
      (e) => e.detail.prediction ?? e.detail.evaluation,
    );
    const predictionIds = new Set(
      events
        .filter((e) => e.detail.prediction)
        .map((e) => e.detail.prediction.id),
    );
    const cited = (service: string) => {
      const citing = bodies.filter((b) =>
        String(b.prediction_id ?? '').endsWith(`#${service}`),
      );
      return {
        all: citing.length,
        found: citing.filter((b) => predictionIds.has(b.prediction_id)).length,
        keyedByShape: citing.filter(
          (b) => b.prediction_id === `${b.shape_id}#${service}`,
        ).length,
      };
    };

    const summarizer = cited('summarizer');
    const ste = cited('ste');

    expect(summarizer.keyedByShape).toBe(summarizer.all);
    expect(summarizer.found / summarizer.all).toBeGreaterThan(0.5);
    expect(ste.keyedByShape).toBe(0);
    expect(ste.found / ste.all).toBeGreaterThan(0.5);
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
