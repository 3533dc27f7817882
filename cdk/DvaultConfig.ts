import { TABLES } from '../schemas/index.js';
import { ContextKey } from './constants.js';
import { DeploymentConfigError } from './errors.js';

/**
 * The deployment's settings. Each one has a context key in `cdk.json`
 * (`dvault:<name>`) and a default below; `resolveConfig` checks them all.
 */
export interface DvaultConfig {
  /** An existing bucket to read landed files from; unset creates one. */
  readonly landingBucketName: string | undefined;
  /** Only keys under this prefix of the landing bucket are read ('' = all). */
  readonly landingPrefix: string;
  /** Provisioned shards of each table's Kinesis stream. */
  readonly shardCount: number;
  /**
   * Provisioned shards of the named tables' streams, in place of
   * `shardCount`, which the tables left out keep.
   */
  readonly shardCounts: Readonly<Record<string, number>>;
  /** Firehose buffer size before a Parquet object is written, MiB. */
  readonly bufferSizeMiB: number;
  /** Firehose buffer interval before a Parquet object is written, seconds. */
  readonly bufferIntervalSeconds: number;
  /** Memory of both Lambda functions, MiB (CPU grows with it). */
  readonly lambdaMemoryMiB: number;
  /** Days before `dirty/` and `errors/` objects expire. */
  readonly dirtyRetentionDays: number;
  /** Share of dirty records (0..1] in an hour that raises the alarm. */
  readonly dirtyShareThreshold: number;
  /** Where alarm notifications are mailed; unset subscribes nobody. */
  readonly alarmEmail: string | undefined;
  /** Prefix of every stream, delivery stream, database and alarm name. */
  readonly prefix: string;
}

/** The settings used where neither context nor properties give one. */
export const DEFAULT_CONFIG: DvaultConfig = {
  landingBucketName: undefined,
  landingPrefix: '',
  shardCount: 1,
  shardCounts: {},
  bufferSizeMiB: 64,
  bufferIntervalSeconds: 300,
  lambdaMemoryMiB: 512,
  dirtyRetentionDays: 90,
  dirtyShareThreshold: 0.05,
  alarmEmail: undefined,
  prefix: 'dvault-',
};

interface IntegerRange {
  readonly key: ContextKey;
  readonly min: number;
  readonly max: number;
  readonly why: string;
}

const INTEGER_RANGES: Record<
  | 'shardCount'
  | 'bufferSizeMiB'
  | 'bufferIntervalSeconds'
  | 'lambdaMemoryMiB'
  | 'dirtyRetentionDays',
  IntegerRange
> = {
  shardCount: {
    key: ContextKey.ShardCount,
    min: 1,
    max: 500,
    why: 'the default account quota is 500 shards',
  },
  bufferSizeMiB: {
    key: ContextKey.BufferSizeMiB,
    min: 64,
    max: 128,
    why: 'Parquet conversion needs at least 64 MiB and Firehose buffers at most 128 MiB',
  },
  bufferIntervalSeconds: {
    key: ContextKey.BufferIntervalSeconds,
    min: 0,
    max: 900,
    why: 'Firehose buffers for 0 to 900 seconds',
  },
  lambdaMemoryMiB: {
    key: ContextKey.LambdaMemoryMiB,
    min: 128,
    max: 10240,
    why: 'Lambda accepts 128 to 10240 MiB',
  },
  dirtyRetentionDays: {
    key: ContextKey.DirtyRetentionDays,
    min: 1,
    max: 3650,
    why: 'S3 lifecycle expiry needs at least one day; ten years is the cap we allow',
  },
};

const PREFIX_PATTERN = /^[a-z][a-z0-9_-]{0,23}$/;
const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const REGISTRY_TABLE_NAMES = TABLES.map((table) => table.name);

/**
 * Completes partial settings with the defaults and checks every value,
 * throwing a `DeploymentConfigError` that names the context key, the
 * allowed range and the value found.
 *
 * @param partial - The settings given; the rest take their defaults.
 * @param tableNames - The tables deployed, the only ones `shardCounts` may
 *   name; the registry's unless given.
 * @example
 * resolveConfig({ shardCount: 2 }).bufferSizeMiB; // 64
 */
export function resolveConfig(
  partial: Partial<DvaultConfig>,
  tableNames: readonly string[] = REGISTRY_TABLE_NAMES,
): DvaultConfig {
  const config = withDefaults(partial);

  for (const [name, range] of Object.entries(INTEGER_RANGES)) {
    checkInteger(config[name as keyof typeof INTEGER_RANGES], range);
  }
  checkShardCounts(config.shardCounts, tableNames);
  checkShare(config.dirtyShareThreshold);
  checkPattern(ContextKey.Prefix, config.prefix, PREFIX_PATTERN, PREFIX_RULE);
  checkLandingPrefix(config.landingPrefix);
  if (config.landingBucketName !== undefined) {
    checkPattern(
      ContextKey.LandingBucketName,
      config.landingBucketName,
      BUCKET_NAME_PATTERN,
      'a valid S3 bucket name',
    );
  }
  if (config.alarmEmail !== undefined) {
    checkPattern(
      ContextKey.AlarmEmail,
      config.alarmEmail,
      EMAIL_PATTERN,
      'an e-mail address',
    );
  }
  return config;
}

const PREFIX_RULE =
  'lowercase letters, digits, "-" or "_", starting with a letter, at most 24 characters (it starts stream, function and database names)';

// Only the settings' own keys are read: the stack passes its whole props.
function withDefaults(partial: Partial<DvaultConfig>): DvaultConfig {
  const config: Settings = { ...DEFAULT_CONFIG };
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof DvaultConfig)[]) {
    override(config, key, partial[key]);
  }
  return config;
}

type Settings = { -readonly [K in keyof DvaultConfig]: DvaultConfig[K] };

function override<K extends keyof DvaultConfig>(
  config: Settings,
  key: K,
  value: DvaultConfig[K] | undefined,
): void {
  if (value !== undefined) config[key] = value;
}

function checkInteger(
  value: number,
  range: IntegerRange,
  name: string = range.key,
): void {
  if (Number.isInteger(value) && value >= range.min && value <= range.max) {
    return;
  }
  throw new DeploymentConfigError(
    `${name} must be an integer from ${range.min} to ${range.max} (${range.why}); found ${JSON.stringify(value)}.`,
  );
}

// Each count is named by its path, `dvault:shardCounts.<table>`, so the
// message points at the entry to fix.
function checkShardCounts(
  counts: Readonly<Record<string, number>>,
  tableNames: readonly string[],
): void {
  for (const [table, count] of Object.entries(counts)) {
    checkDeployedTable(table, tableNames);
    checkInteger(
      count,
      INTEGER_RANGES.shardCount,
      `${ContextKey.ShardCounts}.${table}`,
    );
  }
}

function checkDeployedTable(
  table: string,
  tableNames: readonly string[],
): void {
  if (tableNames.includes(table)) return;
  throw new DeploymentConfigError(
    `${ContextKey.ShardCounts} may only name deployed tables (${tableNames.join(', ')}); found ${JSON.stringify(table)}.`,
  );
}

function checkShare(value: number): void {
  if (Number.isFinite(value) && value > 0 && value <= 1) return;
  throw new DeploymentConfigError(
    `${ContextKey.DirtyShareThreshold} must be a number above 0 and at most 1 (a share of records); found ${JSON.stringify(value)}.`,
  );
}

function checkPattern(
  key: ContextKey,
  value: string,
  pattern: RegExp,
  expected: string,
): void {
  if (pattern.test(value)) return;
  throw new DeploymentConfigError(
    `${key} must be ${expected}; found ${JSON.stringify(value)}.`,
  );
}

function checkLandingPrefix(value: string): void {
  if (!value.startsWith('/') && value.length <= 1024) return;
  throw new DeploymentConfigError(
    `${ContextKey.LandingPrefix} must be an S3 key prefix without a leading "/" and at most 1024 characters; found ${JSON.stringify(value)}.`,
  );
}
