import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Context, S3Event } from 'aws-lambda';
import {
  DEFAULT_RESOURCE_PREFIX,
  type Log,
  type ObjectStore,
  SILENT_LOG,
} from '../schemas/index.js';
import { FileFailureError } from './errors.js';
import { KinesisWriter } from './KinesisWriter.js';
import { type LandedObject, landedObjects } from './landedObjects.js';
import { type FileSummary, produceFile } from './produceFile.js';

/** What the producer handler is built from. */
export interface ProducerDeps {
  kinesis: KinesisClient;
  /** Where landed files are read and dirty records written. */
  store: ObjectStore;
  /** The bucket `dirty/_producer/` objects go to. */
  lakeBucket: string;
  /** Stream names are the prefix and the table; `dvault-` unless set. */
  streamPrefix?: string;
  log?: Log;
  /** The clock, epoch ms; tests pass a fixed one. */
  now?: () => number;
  /** Sends of one record before the handler gives up on the file. */
  maxAttempts?: number;
  /** The first retry's backoff ceiling, ms. */
  baseDelayMs?: number;
}

/**
 * What one invocation did, summed over its files: every piece read (an
 * event, or a stretch of bytes that is not one) was either sent or
 * quarantined, so `events` is `sent + quarantined`.
 */
export interface ProducerSummary {
  files: number;
  /** Pieces read from the files, each counted once. */
  events: number;
  /** Records Kinesis accepted. */
  sent: number;
  /** Records put on a stream, by table. */
  records: Record<string, number>;
  /** Records quarantined by the producer. */
  quarantined: number;
  /** The same, by dirty kind. */
  dirty: Record<string, number>;
}

/** The handler for S3 `ObjectCreated` notifications of landed files. */
export type ProducerHandler = (
  event: S3Event,
  context?: Context,
) => Promise<ProducerSummary>;

/**
 * Builds the producer handler: for every landed file a notification names,
 * split it into events, put each on its table's Kinesis stream, and
 * quarantine what cannot go under `dirty/_producer/`. Every file is tried;
 * if any failed (a record Kinesis kept refusing, an unreadable file, a
 * dirty write that failed) the handler rejects after the others are done,
 * so the platform retries the notification. Success is never reported
 * with a record unsent.
 *
 * @example
 * const handler = createProducerHandler({ kinesis, store, lakeBucket: 'lake' });
 * const summary = await handler(s3Event);
 * console.log(summary.records.ste_event);
 */
export function createProducerHandler(deps: ProducerDeps): ProducerHandler {
  const log = deps.log ?? SILENT_LOG;
  const now = deps.now ?? Date.now;
  return async (event) => {
    const objects = landedObjects(event, log);
    const writer = new KinesisWriter({
      client: deps.kinesis,
      maxAttempts: deps.maxAttempts,
      baseDelayMs: deps.baseDelayMs,
      log,
    });
    const fileDeps = {
      store: deps.store,
      writer,
      lakeBucket: deps.lakeBucket,
      streamPrefix: deps.streamPrefix ?? DEFAULT_RESOURCE_PREFIX,
      log,
      now,
    };
    const outcomes = [];
    for (const object of objects) {
      outcomes.push(
        await settle(object, () =>
          object.keyError === undefined
            ? produceFile(object, fileDeps)
            : Promise.reject(object.keyError),
        ),
      );
    }
    return summarise(outcomes, log);
  };
}

type Outcome =
  | { object: LandedObject; summary: FileSummary }
  | { object: LandedObject; error: unknown };

async function settle(
  object: LandedObject,
  work: () => Promise<FileSummary>,
): Promise<Outcome> {
  try {
    return { object, summary: await work() };
  } catch (error) {
    return { object, error };
  }
}

function summarise(outcomes: Outcome[], log: Log): ProducerSummary {
  const total: ProducerSummary = {
    files: 0,
    events: 0,
    sent: 0,
    records: {},
    quarantined: 0,
    dirty: {},
  };
  const failures: { object: LandedObject; error: unknown }[] = [];
  for (const outcome of outcomes) {
    if ('error' in outcome) {
      log.error('Could not produce a landed file', {
        bucket: outcome.object.bucket,
        key: outcome.object.key,
        error: outcome.error,
      });
      failures.push(outcome);
      continue;
    }
    logFile(outcome.object, outcome.summary, log);
    addTo(total, outcome.summary);
  }
  if (failures.length > 0) throw fileFailure(failures, outcomes.length);
  return total;
}

/**
 * One log line per file with its counts: `events` read, `sent` and
 * `quarantined`, which add up to it, then both split by table and by kind.
 */
function logFile(object: LandedObject, summary: FileSummary, log: Log) {
  log.info('Produced a landed file', {
    bucket: object.bucket,
    key: object.key,
    etag: summary.etag,
    version_id: summary.versionId,
    events: summary.events,
    sent: summary.sent,
    quarantined: summary.quarantined,
    records: summary.records,
    dirty: summary.dirty,
    dirty_keys: summary.dirtyKeys,
  });
}

function addTo(total: ProducerSummary, file: FileSummary) {
  total.files++;
  total.events += file.events;
  total.sent += file.sent;
  total.quarantined += file.quarantined;
  for (const [table, count] of Object.entries(file.records)) {
    total.records[table] = (total.records[table] ?? 0) + count;
  }
  for (const [kind, count] of Object.entries(file.dirty)) {
    total.dirty[kind] = (total.dirty[kind] ?? 0) + count;
  }
}

function fileFailure(
  failures: { object: LandedObject; error: unknown }[],
  files: number,
): FileFailureError {
  const named = failures
    .map(({ object, error }) => {
      const reason = error instanceof Error ? error.message : String(error);
      return `s3://${object.bucket}/${object.key} (${reason})`;
    })
    .join('; ');
  const cause =
    failures.length === 1
      ? failures[0]?.error
      : new AggregateError(failures.map((failure) => failure.error));
  return new FileFailureError(
    `${failures.length} of ${files} landed file(s) could not be produced and will be retried: ${named}`,
    { cause },
  );
}
