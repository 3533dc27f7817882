import type { Node } from 'constructs';
import { ContextKey } from './constants.js';
import type { DvaultConfig } from './DvaultConfig.js';
import { DeploymentConfigError } from './errors.js';

const NUMERIC_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * Reads the deployment settings from CDK context. Values given on the
 * command line (`-c dvault:shardCount=2`) arrive as text, those in
 * `cdk.json` as JSON; both are accepted. Unset or empty values stay
 * undefined, so `resolveConfig` fills them with defaults and checks ranges.
 *
 * @example
 * const config = resolveConfig(configFromContext(app.node));
 */
export function configFromContext(node: Node): Partial<DvaultConfig> {
  return {
    landingBucketName: text(node, ContextKey.LandingBucketName),
    landingPrefix: text(node, ContextKey.LandingPrefix),
    shardCount: numeric(node, ContextKey.ShardCount),
    bufferSizeMiB: numeric(node, ContextKey.BufferSizeMiB),
    bufferIntervalSeconds: numeric(node, ContextKey.BufferIntervalSeconds),
    lambdaMemoryMiB: numeric(node, ContextKey.LambdaMemoryMiB),
    dirtyRetentionDays: numeric(node, ContextKey.DirtyRetentionDays),
    dirtyShareThreshold: numeric(node, ContextKey.DirtyShareThreshold),
    alarmEmail: text(node, ContextKey.AlarmEmail),
    prefix: text(node, ContextKey.Prefix),
  };
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function text(node: Node, key: ContextKey): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (isUnset(value)) return undefined;
  if (typeof value === 'string') return value;
  throw new DeploymentConfigError(
    `${key} must be text; found ${JSON.stringify(value)}.`,
  );
}

function numeric(node: Node, key: ContextKey): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (isUnset(value)) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) {
    return Number(value);
  }
  throw new DeploymentConfigError(
    `${key} must be a number; found ${JSON.stringify(value)}.`,
  );
}
