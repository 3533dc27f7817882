import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LANDING_BUCKET } from '../constants.js';
import { CommandArgumentError } from '../errors.js';
import { listFolder } from '../files/landedFiles.js';

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
  /** Paths inside the given folders that were passed over by name. */
  skipped: string[];
  /**
   * The folders whose every file is landed: those named and the watched
   * one, not the folder of a file named alone.
   */
  wholeFolders: string[];
  /** The bucket of the watched folder, when there is one. */
  watchBucket?: string;
}

/**
 * Maps the paths given to a run onto landing buckets, as if each file had
 * been put to S3: a folder becomes a bucket whose keys are the paths of
 * its files below it (every file, recursively, in name order); a file
 * becomes the key of its name in a bucket for its folder. The first
 * bucket is `landing`, others `landing-2`, `landing-3`...; symbolic
 * links are followed, and hidden files, notes and unfinished `.tmp` or
 * `.part` files are left out and listed as skipped.
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
  const skipped: string[] = [];
  const wholeFolders = new Set<string>();
  for (const path of paths.map((p) => resolve(p))) {
    const found = await landingsOf(path, bucketOf);
    landings.push(...found.landings);
    skipped.push(...found.skipped);
    if (found.wholeFolder) wholeFolders.add(path);
  }
  if (watchDir !== undefined) wholeFolders.add(resolve(watchDir));
  const watchBucket =
    watchDir === undefined ? undefined : bucketOf(resolve(watchDir));
  const buckets = Object.fromEntries(
    [...roots].map(([folder, bucket]) => [bucket, folder]),
  );
  return {
    buckets,
    landings,
    skipped,
    wholeFolders: [...wholeFolders],
    watchBucket,
  };
}

async function landingsOf(
  path: string,
  bucketOf: (folder: string) => string,
): Promise<{ landings: Landing[]; skipped: string[]; wholeFolder: boolean }> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new CommandArgumentError(`Cannot read ${path}: it does not exist.`, {
      cause,
    });
  });
  if (!info.isDirectory()) {
    const landing = { bucket: bucketOf(dirname(path)), key: basename(path) };
    return { landings: [landing], skipped: [], wholeFolder: false };
  }
  const bucket = bucketOf(path);
  const { keys, skipped } = await listFolder(path);
  return {
    landings: keys.map((key) => ({ bucket, key })),
    skipped: skipped.map((key) => join(path, key)),
    wholeFolder: true,
  };
}
