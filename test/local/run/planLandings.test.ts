import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planLandings } from '../../../local/run/planLandings.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dvault-plan-'));
  await mkdir(join(root, 'in/2026/.git'), { recursive: true });
  await mkdir(join(root, 'other'));
  for (const path of [
    'in/b',
    'in/2026/a c',
    'in/README.md',
    'in/.hidden',
    'in/2026/.git/x',
    'other/f',
  ]) {
    await writeFile(join(root, path), '{}');
  }
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('planLandings', () => {
  it('makes a folder a bucket whose keys are its files below it, notes and hidden ones left out', async () => {
    const plan = await planLandings([join(root, 'in')]);

    expect(plan).toEqual({
      buckets: { landing: join(root, 'in') },
      landings: [
        { bucket: 'landing', key: '2026/a c' },
        { bucket: 'landing', key: 'b' },
      ],
      skipped: [
        join(root, 'in/.hidden'),
        join(root, 'in/2026/.git'),
        join(root, 'in/README.md'),
      ],
      wholeFolders: [join(root, 'in')],
      watchBucket: undefined,
    });
  });

  it('gives a file a bucket for its folder, and the watched folder one of its own', async () => {
    const plan = await planLandings(
      [join(root, 'other/f'), join(root, 'in/b')],
      join(root, 'inbox'),
    );

    expect(plan).toEqual({
      buckets: {
        landing: join(root, 'other'),
        'landing-2': join(root, 'in'),
        'landing-3': join(root, 'inbox'),
      },
      landings: [
        { bucket: 'landing', key: 'f' },
        { bucket: 'landing-2', key: 'b' },
      ],
      skipped: [],
      wholeFolders: [join(root, 'inbox')],
      watchBucket: 'landing-3',
    });
  });

  it('reuses the bucket of a folder given twice', async () => {
    const plan = await planLandings([join(root, 'in')], join(root, 'in'));

    expect(plan.buckets).toEqual({ landing: join(root, 'in') });
    expect(plan.watchBucket).toBe('landing');
  });
});
