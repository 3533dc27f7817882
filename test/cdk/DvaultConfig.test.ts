import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  type DvaultConfig,
  resolveConfig,
} from '../../cdk/DvaultConfig.js';
import { DeploymentConfigError } from '../../cdk/errors.js';
import { TABLES } from '../../schemas/index.js';
import { synthStack } from './synthStack.js';

describe('resolveConfig', () => {
  it('fills every setting left out with its default', () => {
    const config = resolveConfig({ shardCount: 4 });

    expect(config).toEqual({ ...DEFAULT_CONFIG, shardCount: 4 });
  });

  it('treats a setting given as undefined as left out', () => {
    const config = resolveConfig({ prefix: undefined, shardCount: undefined });

    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it.each<[string, Partial<DvaultConfig>, RegExp]>([
    [
      'a buffer below the 64 MiB conversion needs',
      { bufferSizeMiB: 32 },
      /dvault:bufferSizeMiB must be an integer from 64 to 128 \(Parquet conversion needs at least 64 MiB.*found 32\./,
    ],
    [
      'a buffer above the 128 MiB Firehose allows',
      { bufferSizeMiB: 256 },
      /dvault:bufferSizeMiB .* found 256\./,
    ],
    [
      'an interval past 900 seconds',
      { bufferIntervalSeconds: 901 },
      /dvault:bufferIntervalSeconds must be an integer from 0 to 900.*found 901\./,
    ],
    [
      'a fractional shard count',
      { shardCount: 1.5 },
      /dvault:shardCount must be an integer from 1 to 500.*found 1\.5\./,
    ],
    ['no shards', { shardCount: 0 }, /dvault:shardCount .* found 0\./],
    [
      'a table with no shards of its own',
      { shardCounts: { summarizer_pred: 0 } },
      /dvault:shardCounts\.summarizer_pred must be an integer from 1 to 500.*found 0\./,
    ],
    [
      'a table with a fractional shard count',
      { shardCounts: { summarizer_pred: 0.5 } },
      /dvault:shardCounts\.summarizer_pred must be an integer from 1 to 500.*found 0\.5\./,
    ],
    [
      'Lambda memory below 128 MiB',
      { lambdaMemoryMiB: 64 },
      /dvault:lambdaMemoryMiB must be an integer from 128 to 10240.*found 64\./,
    ],
    [
      'a retention of zero days',
      { dirtyRetentionDays: 0 },
      /dvault:dirtyRetentionDays must be an integer from 1 to 3650.*found 0\./,
    ],
    [
      'a dirty share above one',
      { dirtyShareThreshold: 5 },
      /dvault:dirtyShareThreshold must be a number above 0 and at most 1.*found 5\./,
    ],
    [
      'a prefix with capitals',
      { prefix: 'Dvault-' },
      /dvault:prefix must be lowercase letters.*found "Dvault-"\./,
    ],
    [
      'an invalid bucket name',
      { landingBucketName: 'My_Bucket' },
      /dvault:landingBucketName must be a valid S3 bucket name; found "My_Bucket"\./,
    ],
    [
      'a landing prefix with a leading slash',
      { landingPrefix: '/incoming/' },
      /dvault:landingPrefix must be an S3 key prefix without a leading "\/"/,
    ],
    [
      'an alarm e-mail without a domain',
      { alarmEmail: 'data-team' },
      /dvault:alarmEmail must be an e-mail address; found "data-team"\./,
    ],
  ])(
    'rejects %s, naming the key, the range and the value',
    (_case, partial, message) => {
      expect(() => resolveConfig(partial)).toThrow(DeploymentConfigError);
      expect(() => resolveConfig(partial)).toThrow(message);
    },
  );

  it('accepts the bounds of every range', () => {
    const lowest = {
      shardCount: 1,
      shardCounts: { summarizer_pred: 1 },
      bufferSizeMiB: 64,
      bufferIntervalSeconds: 0,
      lambdaMemoryMiB: 128,
      dirtyRetentionDays: 1,
      dirtyShareThreshold: 1,
    };
    const highest = {
      shardCount: 500,
      shardCounts: { summarizer_pred: 500 },
      bufferSizeMiB: 128,
      bufferIntervalSeconds: 900,
      lambdaMemoryMiB: 10240,
      dirtyRetentionDays: 3650,
      dirtyShareThreshold: 0.001,
    };

    expect(resolveConfig(lowest)).toMatchObject(lowest);
    expect(resolveConfig(highest)).toMatchObject(highest);
  });

  it('checks per-table shard counts against the tables given, not the registry', () => {
    const shardCounts = { quizmaker_pred: 3 };

    const config = resolveConfig({ shardCounts }, ['quizmaker_pred']);

    expect(config.shardCounts).toEqual(shardCounts);
    expect(() => resolveConfig({ shardCounts })).toThrow(
      /dvault:shardCounts may only name deployed tables \(summarizer_pred, .*\); found "quizmaker_pred"\./,
    );
  });

  it('keeps only the settings of a stack that passes its whole props', () => {
    const { stack } = synthStack({
      shardCount: 2,
      description: 'not a setting',
      tables: [...TABLES],
    });

    expect(stack.config).toEqual({ ...DEFAULT_CONFIG, shardCount: 2 });
  });

  it('stops the stack from being built with an invalid setting', () => {
    expect(() => synthStack({ bufferSizeMiB: 16 })).toThrow(
      DeploymentConfigError,
    );
  });
});
