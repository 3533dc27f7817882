import type { Node } from 'constructs';
import { isRecord } from '../schemas/index.js';
import { ContextKey } from './constants.js';
import type { DvaultConfig } from './DvaultConfig.js';
import { DeploymentConfigError } from './errors.js';

const NUMERIC_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * Reads the deployment settings from CDK context. Values given on the
 * command line (`-c dvault:shardCount=2`) arrive as text, those in
 * `cdk.json` as JSON; both are accepted, and an object such as
 * `dvault:shardCounts` may be given on the command line as JSON text.
 * Unset or empty values stay undefined, so `resolveConfig` fills them with
 * defaults and checks ranges.
 *
 * @example
 * const config = resolveConfig(configFromContext(app.node));
 */
export function configFromContext(node: Node): Partial<DvaultConfig> {
  return {
    landingBucketName: text(node, ContextKey.LandingBucketName),
    landingPrefix: text(node, ContextKey.LandingPrefix),
    shardCount: numeric(node, ContextKey.ShardCount),
    shardCounts: countsByTable(node, ContextKey.ShardCounts),
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
  return toNumber(key, value);
}

function toNumber(name: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) {
    return Number(value);
  }
  throw new DeploymentConfigError(
    `${name} must be a number; found ${JSON.stringify(value)}.`,
  );
}

function countsByTable(
  node: Node,
  key: ContextKey,
): Record<string, number> | undefined {
  const value = tableObject(node, key);
  if (value === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(value).map(([name, entry]) => [
      name,
      toNumber(`${key}.${name}`, entry),
    ]),
  );
}

function tableObject(
  node: Node,
  key: ContextKey,
): Record<string, unknown> | undefined {
  const value: unknown = node.tryGetContext(key);
  if (isUnset(value)) return undefined;
  const parsed = typeof value === 'string' ? parsedJson(key, value) : value;
  if (isRecord(parsed)) return parsed;
  throw new DeploymentConfigError(
    `${key} must be an object of table names to numbers; found ${JSON.stringify(value)}.`,
  );
}

function parsedJson(key: ContextKey, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DeploymentConfigError(
      `${key} must be an object of table names to numbers, as JSON text on the command line; found ${JSON.stringify(text)}.`,
      { cause: error },
    );
  }
}
