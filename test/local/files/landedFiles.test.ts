import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandArgumentError } from '../../../local/errors.js';
import {
  isLandable,
  landedFiles,
  listFolder,
} from '../../../local/files/landedFiles.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dvault-files-'));
  await mkdir(join(root, 'in/sub'), { recursive: true });
  await mkdir(join(root, 'elsewhere'));
  for (const path of [
    'in/a',
    'in/sub/b',
    'in/c.tmp',
    'in/d.part',
    'in/notes.md',
    'elsewhere/e',
  ]) {
    await writeFile(join(root, path), '{}');
  }
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('isLandable', () => {
  it.each([
    ['events-1', true],
    ['dvault-prod-stream-1-2022', true],
    ['.hidden', false],
    ['README', false],
    ['readme.txt', false],
    ['NOTES.MD', false],
    ['upload.tmp', false],
    ['upload.PART', false],
  ])('says %s is landable: %s', (name, landable) => {
    expect(isLandable(name)).toBe(landable);
  });
});

describe('listFolder', () => {
  it('lists landable files as sorted keys and the rest as skipped', async () => {
    expect(await listFolder(join(root, 'in'))).toEqual({
      keys: ['a', 'sub/b'],
      skipped: ['c.tmp', 'd.part', 'notes.md'],
    });
  });

  it('follows links to files and to folders', async () => {
    await symlink(join(root, 'elsewhere/e'), join(root, 'in/linked-file'));
    await symlink(join(root, 'elsewhere'), join(root, 'in/linked-folder'));

    const { keys } = await listFolder(join(root, 'in'));

    expect(keys).toEqual(['a', 'linked-file', 'linked-folder/e', 'sub/b']);
  });

  it('walks a link loop once and reports a dangling link as skipped', async () => {
    await symlink(join(root, 'in'), join(root, 'in/sub/loop'));
    await symlink(join(root, 'gone'), join(root, 'in/dangling'));

    expect(await listFolder(join(root, 'in'))).toEqual({
      keys: ['a', 'sub/b'],
      skipped: ['c.tmp', 'd.part', 'dangling', 'notes.md'],
    });
  });
});

describe('landedFiles', () => {
  it('keeps a file named outright whatever its name, and lists folders', async () => {
    const found = await landedFiles([
      join(root, 'in/c.tmp'),
      join(root, 'elsewhere'),
    ]);

    expect(found).toEqual({
      files: [join(root, 'in/c.tmp'), join(root, 'elsewhere/e')],
      skipped: [],
    });
  });

  it('refuses a path that does not exist, naming it', async () => {
    const missing = join(root, 'nope');

    await expect(landedFiles([missing])).rejects.toThrow(
      new CommandArgumentError(
        `Cannot read ${missing}: no such file or folder.`,
      ),
    );
  });
});
