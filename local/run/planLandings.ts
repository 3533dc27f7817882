import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { LANDING_BUCKET } from '../constants.js';
import { CommandArgumentError } from '../errors.js';
import { isLandedFileName } from '../files/landedFiles.js';

/** One file to land: the bucket and key that stand for it. */
export interface Landing {
  bucket: string;
  key: string;
}

/** The landing buckets a run needs, and the files to land first. */
export interface LandingPlan {
  /** Bucket name to the folder it stands for. */
  buckets: Record<string, string>;
  landings: Landing[];
  /** The bucket of the watched folder, when there is one. */
  watchBucket?: string;
}

/**
 * Maps the paths given to a run onto landing buckets, as if each file had
 * been put to S3: a folder becomes a bucket whose keys are the paths of
 * its files below it (every file, recursively, in name order); a file
 * becomes the key of its name in a bucket for its folder. The first
 * bucket is `landing`, others `landing-2`, `landing-3`...; hidden files
 * and unfinished `.tmp` files are left out.
 *
 * @param paths files and folders from the command line
 * @param watchDir the folder to watch, which gets a bucket too
 */
export async function planLandings(
  paths: readonly string[],
  watchDir?: string,
): Promise<LandingPlan> {
  const roots = new Map<string, string>();
  const bucketOf = (folder: string) => {
    const existing = roots.get(folder);
    if (existing !== undefined) return existing;
    const bucket =
      roots.size === 0 ? LANDING_BUCKET : `${LANDING_BUCKET}-${roots.size + 1}`;
    roots.set(folder, bucket);
    return bucket;
  };
  const landings: Landing[] = [];
  for (const path of paths.map((p) => resolve(p))) {
    landings.push(...(await landingsOf(path, bucketOf)));
  }
  const watchBucket =
    watchDir === undefined ? undefined : bucketOf(resolve(watchDir));
  const buckets = Object.fromEntries(
    [...roots].map(([folder, bucket]) => [bucket, folder]),
  );
  return { buckets, landings, watchBucket };
}

async function landingsOf(
  path: string,
  bucketOf: (folder: string) => string,
): Promise<Landing[]> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new CommandArgumentError(`Cannot read ${path}: it does not exist.`, {
      cause,
    });
  });
  if (!info.isDirectory()) {
    return [{ bucket: bucketOf(dirname(path)), key: basename(path) }];
  }
  const bucket = bucketOf(path);
  return (await filesUnder(path)).map((key) => ({ bucket, key }));
}

/** Every landable file under a folder, as keys relative to it, sorted. */
export async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'),
    )
    .filter((key) => key.split('/').every(isLandable))
    .sort();
}

/**
 * Hidden files and folders, notes kept beside the files (READMEs,
 * Markdown) and unfinished writes are not landed.
 */
export function isLandable(name: string): boolean {
  return (
    isLandedFileName(name) && !name.endsWith('.tmp') && !name.endsWith('.part')
  );
}
