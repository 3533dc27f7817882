import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { replayDirty } from '../../producer/replayDirty.js';
import {
  DEFAULT_RESOURCE_PREFIX,
  type Log,
  S3ObjectStore,
  SILENT_LOG,
} from '../../schemas/index.js';
import type { FailureFilter } from '../dirty/FailureFilter.js';
import type { ReplayFix } from './loadFix.js';
import { ReplaySourceStore } from './ReplaySourceStore.js';
import { type ReplayReport, replayReport } from './replayLocal.js';

/** What one replay against a deployed stack does. */
export interface ReplayDeployedOptions {
  /** The stack's lake bucket, holding `dirty/`, `errors/` and `replayed/`. */
  bucket: string;
  /** The stack's resource prefix: streams are `<prefix><table>`. */
  prefix?: string;
  fix?: ReplayFix;
  /** Validate and report only: nothing is sent or recorded. */
  dryRun?: boolean;
  /** The kinds and tables to replay; all by default. */
  filter?: FailureFilter;
  /** Clients for the calls; made from the default AWS configuration. */
  s3?: S3Client;
  kinesis?: KinesisClient;
  log?: Log;
}

/**
 * Replays the failed records of a deployed stack: reads `dirty/` and
 * Firehose's `processing-failed` records from its lake bucket, applies
 * the fix, validates each event again, and puts the clean ones on the
 * stack's Kinesis streams with their original provenance, as the local
 * replay does; Firehose then delivers them within its buffer interval. A
 * marker under `replayed/` in the bucket makes a second replay skip them.
 * Credentials and region come from the environment, as for any AWS CLI.
 *
 * @example
 * const report = await replayDeployed({ bucket: 'dvault-lake-123', dryRun: true });
 */
export async function replayDeployed(
  options: ReplayDeployedOptions,
): Promise<ReplayReport> {
  const started = performance.now();
  const store = new ReplaySourceStore(
    new S3ObjectStore(options.s3 ?? new S3Client({})),
    options.filter,
  );
  const kinesis = options.kinesis ?? new KinesisClient({});
  const summary = await replayDirty({
    store,
    lakeBucket: options.bucket,
    kinesis,
    streamPrefix: options.prefix ?? DEFAULT_RESOURCE_PREFIX,
    fix: options.fix,
    dryRun: options.dryRun,
    log: options.log ?? SILENT_LOG,
  });
  const seconds = (performance.now() - started) / 1000;
  return replayReport(summary, options.dryRun === true, null, seconds);
}
