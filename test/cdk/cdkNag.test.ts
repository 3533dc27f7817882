import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../schemas/index.js';
import { acknowledgementsIn, nagFindings, synthStack } from './synthStack.js';

describe('cdk-nag AwsSolutions checks', () => {
  it('leave no finding unacknowledged with the default settings', () => {
    const { app } = synthStack();

    expect(nagFindings(app)).toEqual([]);
  });

  it('leave no finding unacknowledged with an imported bucket, a prefix and an alarm e-mail', () => {
    const { app } = synthStack({
      landingBucketName: 'acme-dvault-landing',
      landingPrefix: 'incoming/',
      alarmEmail: 'data-team@example.com',
      prefix: 'acme-',
    });

    expect(nagFindings(app)).toEqual([]);
  });

  it('report a resource that breaks a rule, so a pass means something', () => {
    const { app, stack } = synthStack();

    new sqs.Queue(stack, 'PlainQueue', {
      encryption: sqs.QueueEncryption.UNENCRYPTED,
    });

    expect(nagFindings(app)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-SQS2 at Dvault/PlainQueue/Resource',
        'AwsSolutions-SQS4 at Dvault/PlainQueue/Resource',
      ]),
    );
  });

  it('acknowledge findings only on the constructs concerned, each with its reason', () => {
    const { app } = synthStack();

    const acknowledgements = acknowledgementsIn(app);

    for (const acknowledgement of acknowledgements) {
      expect(acknowledgement.path.split('/').length).toBeGreaterThan(1);
      expect(acknowledgement.reason.length).toBeGreaterThan(40);
      expect(acknowledgement.reason).toMatch(/\.$/);
    }
    const rules = acknowledgements.map(({ id }) => id.replace(/\[.*$/, ''));
    const count = (rule: string) => rules.filter((r) => r === rule).length;
    expect(count('AwsSolutions-S1')).toBe(1);
    expect(count('AwsSolutions-SQS3')).toBe(1);
    expect(count('AwsSolutions-IAM4')).toBe(1);
    expect(count('AwsSolutions-KDF1')).toBe(TABLES.length);
    // Two object prefixes per delivery role, two for the producer (landing
    // read, dirty/_producer write), one for the transformer (dirty write).
    expect(count('AwsSolutions-IAM5')).toBe(2 * TABLES.length + 3);
    // Nothing else is acknowledged: S1, SQS3, IAM4, KDF1s and IAM5s only.
    expect(rules).toHaveLength(3 + TABLES.length + 2 * TABLES.length + 3);
  });

  it('acknowledge wildcards by exact resource, never a blanket Resource::*', () => {
    const { app } = synthStack();

    const wildcards = acknowledgementsIn(app).filter(({ id }) =>
      id.startsWith('AwsSolutions-IAM5'),
    );

    expect(wildcards.map(({ id }) => id)).not.toContain(
      'AwsSolutions-IAM5[Resource::*]',
    );
    expect(
      wildcards.filter(({ path }) => path.endsWith('Producer/Handler/Role')),
    ).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(
          /^AwsSolutions-IAM5\[Resource::<BucketsLanding\w+\.Arn>\/\*\]$/,
        ),
      }),
      expect.objectContaining({
        id: expect.stringMatching(
          /^AwsSolutions-IAM5\[Resource::<BucketsLake\w+\.Arn>\/dirty\/_producer\/\*\]$/,
        ),
      }),
    ]);
  });

  it('synthesizes without CDK errors or warnings', () => {
    const { stack } = synthStack();

    const annotations = Annotations.fromStack(stack);

    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });
});
