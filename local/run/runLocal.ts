import { mkdir, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import {
  DirtyKind,
  type Log,
  SILENT_LOG,
  TABLES,
} from '../../schemas/index.js';
import {
  DEFAULT_BUFFER_MIB,
  DEFAULT_BUFFER_SECONDS,
  FailureKind,
} from '../constants.js';
import { CommandArgumentError, type DeliveryStreamError } from '../errors.js';
import { isLandable } from '../files/landedFiles.js';
import { pathWithin } from '../files/pathWithin.js';
import { LandingWatcher } from './LandingWatcher.js';
import { LocalPipeline, type PipelineProgress } from './LocalPipeline.js';
import { type Landing, planLandings } from './planLandings.js';

/** How many files the producer reads at once. */
const LANDING_CONCURRENCY = 4;

/** What one local run does. */
export interface RunOptions {
  /** Files and folders to land. */
  paths: readonly string[];
  /** The lake folder; created when missing. */
  lake: string;
  /** A folder to keep watching; the run then ends only on `signal`. */
  watch?: string;
  bufferMib?: number;
  bufferSeconds?: number;
  /** Ends a watching run. */
  signal?: AbortSignal;
  /** Called once the given paths are landed and any watching has begun. */
  onReady?: () => void;
  /** Called about once a second while the run goes on. */
  onProgress?: (progress: PipelineProgress, seconds: number) => void;
  log?: Log;
}

/** What a run did, as `dvault run --json` prints it. */
export interface RunSummary {
  files: number;
  events: number;
  /** Rows written per table, every table named. */
  clean: Record<string, number>;
  /**
   * Of those rows, the ones whose event carried fields the contract does
   * not name (kept in `extra`), every table named.
   */
  unknownFields: Record<string, number>;
  /** Dirty and failed records per kind, every kind named. */
  dirty: Record<string, number>;
  /**
   * Paths inside the given folders passed over by name (hidden, notes,
   * unfinished `.tmp` or `.part` writes), so nothing is left out unseen.
   */
  skipped: string[];
  seconds: number;
}

/**
 * Runs the pipeline on one machine: lands every given file, and with
 * `watch` every file dropped into that folder until `signal` aborts; then
 * waits until every record put is in the lake and stops.
 *
 * @example
 * const summary = await runLocal({ paths: ['samples'], lake: '.dvault/lake' });
 */
export async function runLocal(options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const plan = await planLandings(options.paths, options.watch);
  assertLakeApart(resolve(options.lake), plan.wholeFolders);
  await makeFolder(options.lake, 'lake');
  if (options.watch !== undefined) await makeFolder(options.watch, 'watched');
  const gaveUp = withResolvers<DeliveryStreamError>();
  const pipeline = await LocalPipeline.start({
    lakeDir: resolve(options.lake),
    landing: plan.buckets,
    bufferBytes: (options.bufferMib ?? DEFAULT_BUFFER_MIB) * 1024 * 1024,
    bufferMs: (options.bufferSeconds ?? DEFAULT_BUFFER_SECONDS) * 1000,
    log: options.log ?? SILENT_LOG,
    onFailure: gaveUp.resolve,
  });
  const ticker = setInterval(
    () => options.onProgress?.(pipeline.progress(), seconds()),
    1000,
  );
  try {
    await landAll(pipeline, plan.landings);
    if (options.watch !== undefined && plan.watchBucket !== undefined) {
      await watchUntilAborted(
        pipeline,
        options.watch,
        plan.watchBucket,
        options,
        gaveUp.promise,
      );
    }
    await pipeline.drain();
    return summarize(
      pipeline.progress(),
      plan.skipped,
      seconds(),
      options.log ?? SILENT_LOG,
    );
  } finally {
    clearInterval(ticker);
    await pipeline.close();
  }
}

async function landAll(pipeline: LocalPipeline, landings: readonly Landing[]) {
  let next = 0;
  const worker = async () => {
    while (next < landings.length) {
      const { bucket, key } = landings[next++] as Landing;
      await pipeline.land(bucket, key);
    }
  };
  await Promise.all(Array.from({ length: LANDING_CONCURRENCY }, worker));
}

/**
 * Lands files dropped into `dir` until the signal aborts, or until a
 * delivery stream gives up: then the run ends with its error rather than
 * watching on while nothing reaches the lake.
 */
async function watchUntilAborted(
  pipeline: LocalPipeline,
  dir: string,
  bucket: string,
  options: RunOptions,
  gaveUp: Promise<DeliveryStreamError>,
) {
  const watcher = new LandingWatcher({
    dir,
    land: (key) => pipeline.land(bucket, key),
    log: options.log,
  });
  await watcher.start();
  options.onReady?.();
  const aborted = new Promise<undefined>((resolve) => {
    if (options.signal === undefined || options.signal.aborted)
      return resolve(undefined);
    options.signal.addEventListener('abort', () => resolve(undefined), {
      once: true,
    });
  });
  const failure = await Promise.race([aborted, gaveUp]);
  await watcher.stop();
  if (failure !== undefined) throw failure;
}

/** Makes a folder the run needs, refusing a file in its place. */
async function makeFolder(path: string, role: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) {
    throw new CommandArgumentError(
      `The ${role} folder ${path} is a file; name a folder (it is created when missing).`,
    );
  }
  await mkdir(path, { recursive: true });
}

function withResolvers<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/**
 * A lake inside a landed folder would be landed too, its own output fed
 * back in (forever, when watched); a hidden one (`.dvault/lake`) is not.
 */
function assertLakeApart(lake: string, folders: readonly string[]) {
  for (const folder of folders) {
    const inside = pathWithin(folder, lake);
    if (inside === undefined) continue;
    if (inside.split(sep).every(isLandable)) {
      throw new CommandArgumentError(
        `The lake ${lake} lies inside ${folder}, whose files are landed; choose a lake elsewhere.`,
      );
    }
  }
}

function summarize(
  progress: PipelineProgress,
  skipped: string[],
  seconds: number,
  log: Log,
): RunSummary {
  if (progress.recordsRead !== progress.recordsPut) {
    log.warn(
      'The delivery streams read a different number of records than were put.',
      {
        records_put: progress.recordsPut,
        records_read: progress.recordsRead,
      },
    );
  }
  const perTable = (counts: Record<string, number>) =>
    Object.fromEntries(TABLES.map((t) => [t.name, counts[t.name] ?? 0]));
  const kinds = [...Object.values(DirtyKind), ...Object.values(FailureKind)];
  const dirty = Object.fromEntries(
    kinds.map((kind) => [kind, progress.dirty[kind] ?? 0]),
  );
  for (const [kind, n] of Object.entries(progress.dirty)) dirty[kind] = n;
  return {
    files: progress.files,
    events: progress.events,
    clean: perTable(progress.clean),
    unknownFields: perTable(progress.unknownFields),
    dirty,
    skipped,
    seconds: Math.round(seconds * 1000) / 1000,
  };
}
