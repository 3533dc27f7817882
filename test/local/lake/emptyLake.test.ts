import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandArgumentError } from '../../../local/errors.js';
import { emptyLake } from '../../../local/lake/emptyLake.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dvault-empty-lake-'));
  await mkdir(join(root, 'samples'));
  await writeFile(join(root, 'samples', 'events'), '{}');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('emptyLake', () => {
  it('removes a lake that holds only lake folders', async () => {
    const lake = join(root, 'lake');
    await mkdir(join(lake, 'clean', 'ste_event'), { recursive: true });
    await mkdir(join(lake, 'dirty'));
    await writeFile(join(lake, 'clean', 'ste_event', 'a.parquet'), 'x');

    await emptyLake(lake, join(root, 'samples'));

    expect(await readdir(root)).toEqual(['samples']);
  });

  it('accepts a lake that does not exist yet', async () => {
    await expect(
      emptyLake(join(root, 'new'), join(root, 'samples')),
    ).resolves.toBeUndefined();
  });

  it('refuses a folder holding anything else, and keeps it whole', async () => {
    const lake = join(root, 'mine');
    await mkdir(join(lake, 'clean'), { recursive: true });
    await writeFile(join(lake, 'notes.txt'), 'precious');

    const emptying = emptyLake(lake, join(root, 'samples'));

    await expect(emptying).rejects.toBeInstanceOf(CommandArgumentError);
    await expect(emptying).rejects.toThrow(
      `The lake ${lake} holds notes.txt, which no lake holds, so it is not emptied`,
    );
    expect((await readdir(lake)).sort()).toEqual(['clean', 'notes.txt']);
  });

  it.each([
    ['the landed folder itself', 'samples'],
    ['a folder holding it', '.'],
    ['a folder inside it', 'samples/lake'],
  ])('refuses %s, removing nothing', async (_, relativeLake) => {
    const lake = join(root, relativeLake);

    await expect(emptyLake(lake, join(root, 'samples'))).rejects.toThrow(
      /overlap; the lake is emptied first/,
    );
    expect(await readdir(join(root, 'samples'))).toEqual(['events']);
  });

  it('refuses a file', async () => {
    const file = join(root, 'samples', 'events');

    await expect(emptyLake(file, join(root, 'other'))).rejects.toThrow(
      `The lake ${file} is a file, not a folder`,
    );
  });
});
