import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { configFromContext } from '../../cdk/configFromContext.js';
import { ContextKey } from '../../cdk/constants.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../cdk/DvaultConfig.js';
import { DeploymentConfigError } from '../../cdk/errors.js';
import { CDK_JSON_CONTEXT } from './synthStack.js';

function contextOf(context: Record<string, unknown>) {
  return configFromContext(new App({ context }).node);
}

describe('configFromContext', () => {
  it('reads the defaults documented in cdk.json as the code defaults', () => {
    const config = resolveConfig(contextOf(CDK_JSON_CONTEXT));

    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it('documents a default in cdk.json for every context key', () => {
    const documented = Object.keys(CDK_JSON_CONTEXT).filter((key) =>
      key.startsWith('dvault:'),
    );

    expect(documented.sort()).toEqual(Object.values(ContextKey).sort());
  });

  it('parses numbers given as text on the command line', () => {
    const config = contextOf({
      [ContextKey.ShardCount]: '4',
      [ContextKey.BufferSizeMiB]: '128',
      [ContextKey.DirtyShareThreshold]: '0.2',
    });

    expect(config).toMatchObject({
      shardCount: 4,
      bufferSizeMiB: 128,
      dirtyShareThreshold: 0.2,
    });
  });

  it('reads per-table shard counts from an object or its JSON text', () => {
    const counts = { summarizer_pred: 4, ste_event: '2' };

    const fromObject = contextOf({ [ContextKey.ShardCounts]: counts });
    const fromText = contextOf({
      [ContextKey.ShardCounts]: JSON.stringify(counts),
    });

    const expected = { summarizer_pred: 4, ste_event: 2 };
    expect(fromObject.shardCounts).toEqual(expected);
    expect(fromText.shardCounts).toEqual(expected);
  });

  it('leaves empty and absent values to the defaults', () => {
    const config = contextOf({
      [ContextKey.LandingBucketName]: '',
      [ContextKey.AlarmEmail]: null,
    });

    expect(resolveConfig(config)).toEqual(DEFAULT_CONFIG);
  });

  it('keeps text settings as given', () => {
    const config = contextOf({
      [ContextKey.LandingBucketName]: 'acme-landing',
      [ContextKey.LandingPrefix]: 'incoming/',
      [ContextKey.AlarmEmail]: 'data-team@example.com',
      [ContextKey.Prefix]: 'acme-',
    });

    expect(config).toMatchObject({
      landingBucketName: 'acme-landing',
      landingPrefix: 'incoming/',
      alarmEmail: 'data-team@example.com',
      prefix: 'acme-',
    });
  });

  it.each([
    [
      ContextKey.ShardCount,
      'two',
      /dvault:shardCount must be a number; found "two"\./,
    ],
    [
      ContextKey.BufferIntervalSeconds,
      true,
      /dvault:bufferIntervalSeconds must be a number; found true\./,
    ],
    [ContextKey.Prefix, 7, /dvault:prefix must be text; found 7\./],
    [
      ContextKey.ShardCounts,
      [4],
      /dvault:shardCounts must be an object of table names to numbers; found \[4\]\./,
    ],
    [
      ContextKey.ShardCounts,
      'summarizer_pred=4',
      /dvault:shardCounts must be an object of table names to numbers, as JSON text on the command line; found "summarizer_pred=4"\./,
    ],
    [
      ContextKey.ShardCounts,
      { summarizer_pred: 'four' },
      /dvault:shardCounts\.summarizer_pred must be a number; found "four"\./,
    ],
  ])('rejects %s set to %j', (key, value, message) => {
    expect(() => contextOf({ [key]: value })).toThrow(DeploymentConfigError);
    expect(() => contextOf({ [key]: value })).toThrow(message);
  });
});
