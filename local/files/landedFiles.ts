import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CommandArgumentError } from '../errors.js';

/**
 * Whether a file in a folder is a landed dvault file rather than a note
 * kept beside them: hidden files, READMEs and Markdown are passed over.
 */
export function isLandedFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    !lower.startsWith('.') &&
    !lower.startsWith('readme') &&
    !lower.endsWith('.md')
  );
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter((entry) => entry.isFile() && isLandedFileName(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The files named on a command line, with every file under a named folder,
 * as absolute paths in a stable order. A file named outright is kept
 * whatever its name; a path that does not exist is an error naming it.
 *
 * @example
 * await landedFiles(['../shared/samples']); // the 13 sample files, sorted
 */
export async function landedFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((cause: unknown) => {
      throw new CommandArgumentError(
        `Cannot read ${path}: no such file or folder.`,
        { cause },
      );
    });
    if (info.isDirectory()) files.push(...(await filesUnder(path)).sort());
    else files.push(path);
  }
  return [...new Set(files.map((file) => resolve(file)))];
}
