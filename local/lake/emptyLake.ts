import { readdir, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { REPLAYED_PREFIX } from '../../producer/constants.js';
import { DIRTY_FOLDER, ERRORS_FOLDER } from '../dirty/constants.js';
import { CommandArgumentError } from '../errors.js';
import { pathWithin } from '../files/pathWithin.js';

/** The top-level folders a lake holds, and nothing else. */
export const LAKE_FOLDERS: ReadonlySet<string> = new Set([
  'clean',
  DIRTY_FOLDER,
  ERRORS_FOLDER,
  REPLAYED_PREFIX,
]);

/**
 * Empties a lake folder before a fresh run, refusing anything that might
 * not be a lake: a folder holding other entries than a lake's top-level
 * folders, a file, and a folder that holds, or lies within, the folder
 * about to be landed. A folder that does not exist is fine.
 *
 * @example
 * await emptyLake('.dvault/lake', 'samples');
 *
 * @param lake the lake folder
 * @param landed the folder whose files are landed into it
 * @throws CommandArgumentError naming the folder and what it holds
 */
export async function emptyLake(lake: string, landed: string): Promise<void> {
  assertApart(resolve(lake), resolve(landed));
  const info = await stat(lake).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isDirectory()) {
    throw new CommandArgumentError(
      `The lake ${lake} is a file, not a folder; name a new or empty folder.`,
    );
  }
  const strangers = (await readdir(lake)).filter((n) => !LAKE_FOLDERS.has(n));
  if (strangers.length > 0) {
    throw new CommandArgumentError(
      `The lake ${lake} holds ${strangers.slice(0, 3).join(', ')}${strangers.length > 3 ? ', ...' : ''}, which no lake holds, so it is not emptied; name a new or empty folder, or a lake dvault made.`,
    );
  }
  await rm(lake, { recursive: true, force: true });
}

function assertApart(lake: string, landed: string): void {
  if (contains(lake, landed) || contains(landed, lake)) {
    throw new CommandArgumentError(
      `The lake ${lake} and the landed folder ${landed} overlap; the lake is emptied first, so choose one apart from it.`,
    );
  }
}

function contains(folder: string, path: string): boolean {
  return pathWithin(folder, path) !== undefined;
}
