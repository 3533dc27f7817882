import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CommandArgumentError } from '../errors.js';

/**
 * Whether a file or folder name is landed: hidden names, notes kept beside
 * the files (READMEs, Markdown) and unfinished writes (`.tmp`, `.part`,
 * renamed into place when complete) are passed over.
 */
export function isLandable(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    !lower.startsWith('.') &&
    !lower.startsWith('readme') &&
    !lower.endsWith('.md') &&
    !lower.endsWith('.tmp') &&
    !lower.endsWith('.part')
  );
}

/** The files found under a folder: landed keys, and the paths passed over. */
export interface FolderListing {
  /** Landable files, as `/`-separated keys relative to the folder, sorted. */
  keys: string[];
  /** Files and folders passed over by name, relative to the folder, sorted. */
  skipped: string[];
}

/**
 * Lists a folder recursively as S3 would hold it after an upload of it:
 * symbolic links are followed (to files and to folders, each real folder
 * walked once, so a link loop ends), and names that `isLandable` refuses
 * are reported as skipped rather than silently dropped.
 *
 * @example
 * const { keys, skipped } = await listFolder('samples');
 */
export async function listFolder(folder: string): Promise<FolderListing> {
  const listing: FolderListing = { keys: [], skipped: [] };
  await walk(folder, '', new Set([await realpath(folder)]), listing);
  listing.keys.sort();
  listing.skipped.sort();
  return listing;
}

async function walk(
  folder: string,
  prefix: string,
  seen: Set<string>,
  listing: FolderListing,
): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries) {
    const key = `${prefix}${entry.name}`;
    if (!isLandable(entry.name)) {
      listing.skipped.push(key);
      continue;
    }
    const path = join(folder, entry.name);
    const target = entry.isSymbolicLink()
      ? await stat(path).catch(() => undefined)
      : entry;
    if (target?.isFile()) listing.keys.push(key);
    else if (target?.isDirectory()) {
      const real = await realpath(path);
      if (seen.has(real)) continue;
      seen.add(real);
      await walk(path, `${key}/`, seen, listing);
    } else if (entry.isSymbolicLink()) listing.skipped.push(key);
  }
}

/** What the paths of a command line hold. */
export interface LandedFiles {
  /** Absolute paths, in a stable order, each once. */
  files: string[];
  /** Paths passed over inside the named folders. */
  skipped: string[];
}

/**
 * The files named on a command line, with every landable file under a
 * named folder (see `listFolder`). A file named outright is kept whatever
 * its name; a path that does not exist is an error naming it.
 *
 * @example
 * const { files } = await landedFiles(['../shared/samples']); // 13 files
 */
export async function landedFiles(
  paths: readonly string[],
): Promise<LandedFiles> {
  const files: string[] = [];
  const skipped: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((cause: unknown) => {
      throw new CommandArgumentError(
        `Cannot read ${path}: no such file or folder.`,
        { cause },
      );
    });
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const listing = await listFolder(path);
    files.push(...listing.keys.map((key) => join(path, key)));
    skipped.push(...listing.skipped.map((key) => join(path, key)));
  }
  return {
    files: [...new Set(files.map((file) => resolve(file)))],
    skipped,
  };
}
