import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ReplayOutcome } from '../../producer/constants.js';
import {
  type ReplayDirtyOptions,
  type ReplaySummary,
  replayDirty,
} from '../../producer/replayDirty.js';
import {
  DirectoryObjectStore,
  type DirtyReason,
  type Log,
  SILENT_LOG,
} from '../../schemas/index.js';
import { LAKE_BUCKET } from '../constants.js';
import type { FailureFilter } from '../dirty/FailureFilter.js';
import { CommandArgumentError } from '../errors.js';
import { LocalPipeline, type PipelineProgress } from '../run/LocalPipeline.js';
import type { ReplayFix } from './loadFix.js';
import { offlineKinesis } from './offlineKinesis.js';
import { ReplaySourceStore } from './ReplaySourceStore.js';

/** What one local replay does. */
export interface ReplayLocalOptions {
  /** The lake folder a run wrote. */
  lake: string;
  fix?: ReplayFix;
  /** Validate and report only: nothing is sent or recorded. */
  dryRun?: boolean;
  /** The kinds and tables to replay; all by default. */
  filter?: FailureFilter;
  log?: Log;
}

/** What replay did, or would do, with one failed record. */
export interface ReplayedRecord {
  event_id: string | null;
  /** The lake object holding the record, and its line there. */
  object_key: string;
  line: number;
  /** The kind it was kept as: a dirty kind, or `processing_failed`. */
  kind_before: string;
  /** Why it was kept: the reasons its dirty record carries. */
  reasons_before: DirtyReason[];
  outcome: ReplayOutcome;
  /** The table it goes to once clean, or was meant for while dirty. */
  table: string | null;
  /** Why it is still dirty; empty otherwise. */
  reasons: DirtyReason[];
}

/** What a replay did, as `dvault replay --json` prints it. */
export interface ReplayReport {
  dry_run: boolean;
  considered: number;
  replayed: number;
  still_dirty: number;
  already_replayed: number;
  /** Records put back (or that a dry run would put back), per table. */
  records: Record<string, number>;
  /** Rows delivered to `clean/` meanwhile, per table; null in a dry run. */
  delivered: Record<string, number> | null;
  /** Records the delivery kept as dirty or failed, per kind; null in a dry run. */
  dirty_again: Record<string, number> | null;
  /** The replay marker written under `replayed/`, if any. */
  marker: string | null;
  items: ReplayedRecord[];
  seconds: number;
}

/**
 * Replays a lake's failed records on this machine. Every record is first
 * checked without sending (replayDirty's dry run, through
 * `ReplaySourceStore`, so Firehose `processing-failed` records count
 * too). A dry run stops there. Otherwise, when any record is now clean,
 * the local pipeline starts against the same lake, replayDirty puts the
 * clean ones on their streams with their original provenance and marks
 * them replayed, and the replay returns once the delivery streams have
 * written them to the lake as Parquet.
 *
 * @example
 * const report = await replayLocal({ lake: '.dvault/lake', fix, dryRun: true });
 */
export async function replayLocal(
  options: ReplayLocalOptions,
): Promise<ReplayReport> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const lake = await existingLake(options.lake);
  const store = new ReplaySourceStore(
    new DirectoryObjectStore({ [LAKE_BUCKET]: lake }),
    options.filter,
  );
  const preview = await checkOnly(store, options);
  if (options.dryRun) return replayReport(preview, true, null, seconds());
  if (preview.replayed === 0) {
    return replayReport(preview, false, emptyProgress(), seconds());
  }
  const { summary, progress } = await replayThroughPipeline(
    lake,
    store,
    options,
  );
  return replayReport(summary, false, progress, seconds());
}

async function existingLake(dir: string): Promise<string> {
  const lake = resolve(dir);
  const info = await stat(lake).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CommandArgumentError(
      `The lake folder ${dir} does not exist; dvault run writes one.`,
    );
  }
  return lake;
}

function replayOptions(
  store: ReplaySourceStore,
  options: ReplayLocalOptions,
): Omit<ReplayDirtyOptions, 'kinesis'> {
  return {
    store,
    lakeBucket: LAKE_BUCKET,
    fix: options.fix,
    log: options.log ?? SILENT_LOG,
  };
}

async function checkOnly(
  store: ReplaySourceStore,
  options: ReplayLocalOptions,
): Promise<ReplaySummary> {
  const kinesis = offlineKinesis();
  try {
    return await replayDirty({
      ...replayOptions(store, options),
      kinesis,
      dryRun: true,
    });
  } finally {
    kinesis.destroy();
  }
}

async function replayThroughPipeline(
  lake: string,
  store: ReplaySourceStore,
  options: ReplayLocalOptions,
) {
  const pipeline = await LocalPipeline.start({
    lakeDir: lake,
    landing: {},
    log: options.log ?? SILENT_LOG,
  });
  try {
    const summary = await replayDirty({
      ...replayOptions(store, options),
      kinesis: pipeline.kinesis,
    });
    await pipeline.drain();
    return { summary, progress: pipeline.progress() };
  } finally {
    await pipeline.close();
  }
}

function emptyProgress(): PipelineProgress {
  return {
    files: 0,
    events: 0,
    recordsPut: 0,
    recordsRead: 0,
    clean: {},
    unknownFields: {},
    dirty: {},
  };
}

/**
 * The report of a replay: its summary, and what the local delivery
 * streams did meanwhile (null in a dry run, or when the records went to
 * deployed streams that deliver on their own time).
 */
export function replayReport(
  summary: ReplaySummary,
  dryRun: boolean,
  progress: PipelineProgress | null,
  seconds: number,
): ReplayReport {
  return {
    dry_run: dryRun,
    considered: summary.considered,
    replayed: summary.replayed,
    still_dirty: summary.stillDirty,
    already_replayed: summary.alreadyReplayed,
    records: summary.records,
    delivered: progress && nonZero(progress.clean),
    dirty_again: progress && nonZero(progress.dirty),
    marker: summary.marker,
    items: summary.items.map((item) => ({
      event_id: item.eventId,
      object_key: ReplaySourceStore.lakeKeyOf(item.key),
      line: item.line,
      kind_before: item.kindBefore,
      reasons_before: item.reasonsBefore,
      outcome: item.outcome,
      table: item.table,
      reasons: item.reasons,
    })),
    seconds: Math.round(seconds * 1000) / 1000,
  };
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
