import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  FRESHNESS_SLACK_SECONDS,
  ITERATOR_AGE_LIMIT,
} from '../../cdk/constructs/PipelineMonitoring.js';
import { TABLES } from '../../schemas/index.js';
import {
  logicalIdOf,
  pipelineOf,
  resourcesOfType,
  synthStack,
} from './synthStack.js';

interface AlarmProperties {
  AlarmName: string;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: {
    Id: string;
    Expression?: string;
    MetricStat?: {
      Metric: {
        Namespace: string;
        MetricName: string;
        Dimensions: { Name: string; Value: string }[];
      };
      Stat: string;
    };
  }[];
  AlarmActions: unknown[];
}

function alarmsOf(template: ReturnType<typeof synthStack>['template']) {
  const alarms = Object.values(
    resourcesOfType(template, 'AWS::CloudWatch::Alarm'),
  ).map((alarm) => alarm.Properties as unknown as AlarmProperties);
  return {
    alarms,
    named: (name: string) => {
      const alarm = alarms.find((a) => a.AlarmName === name);
      expect(alarm, name).toBeDefined();
      return alarm as AlarmProperties;
    },
  };
}

describe('PipelineMonitoring', () => {
  it('raises five alarms per table, two per function and one for the failure queue', () => {
    const { template } = synthStack();

    const { alarms } = alarmsOf(template);

    const names = alarms.map((alarm) => alarm.AlarmName).sort();
    const expected = [
      ...TABLES.flatMap((table) =>
        [
          'freshness',
          'iterator-age',
          'write-throttles',
          'dirty-share',
          'errors',
        ].map((figure) => `dvault-${table.name}-${figure}`),
      ),
      'dvault-producer-errors',
      'dvault-producer-throttles',
      'dvault-transformer-errors',
      'dvault-transformer-throttles',
      'dvault-producer-failures',
    ].sort();
    expect(names).toEqual(expected);
  });

  it('alarms when delivery lags the buffer interval by more than the slack', () => {
    const { template } = synthStack({ bufferIntervalSeconds: 120 });

    const alarm = alarmsOf(template).named('dvault-ste_pred-freshness');

    expect(alarm).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Statistic: 'Maximum',
      Threshold: 120 + FRESHNESS_SLACK_SECONDS,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: 'dvault-ste_pred' }],
    });
  });

  it('alarms on the iterator age and write throttles of each stream', () => {
    const { stack, template } = synthStack();
    const stream = logicalIdOf(stack, pipelineOf(stack, 'ste_event').stream);
    const { named } = alarmsOf(template);

    expect(named('dvault-ste_event-iterator-age')).toMatchObject({
      Namespace: 'AWS/Kinesis',
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
      Statistic: 'Maximum',
      Threshold: ITERATOR_AGE_LIMIT.toMilliseconds(),
      Dimensions: [{ Name: 'StreamName', Value: { Ref: stream } }],
    });
    expect(named('dvault-ste_event-write-throttles')).toMatchObject({
      Namespace: 'AWS/Kinesis',
      MetricName: 'WriteProvisionedThroughputExceeded',
      Statistic: 'Sum',
      Threshold: 0,
      EvaluationPeriods: 3,
    });
  });

  it("alarms on each table's dirty share computed from the transformer's metrics", () => {
    const { template } = synthStack({ dirtyShareThreshold: 0.1 });

    const alarm = alarmsOf(template).named(
      'dvault-headliner_event-dirty-share',
    );

    expect(alarm.Threshold).toBe(0.1);
    const expression = alarm.Metrics?.find((m) => m.Expression !== undefined);
    expect(expression?.Expression).toBe(
      'dirty_headliner_event / (clean_headliner_event + dirty_headliner_event)',
    );
    const counts = Object.fromEntries(
      (alarm.Metrics ?? [])
        .filter((m) => m.MetricStat !== undefined)
        .map((m) => [m.Id, m.MetricStat]),
    );
    const dimensions = [
      { Name: 'service', Value: 'dvault-transformer' },
      { Name: 'table', Value: 'headliner_event' },
    ];
    expect(counts).toEqual({
      clean_headliner_event: expect.objectContaining({
        Metric: {
          Namespace: 'dvault',
          MetricName: 'CleanRecords',
          Dimensions: dimensions,
        },
        Stat: 'Sum',
      }),
      dirty_headliner_event: expect.objectContaining({
        Metric: {
          Namespace: 'dvault',
          MetricName: 'DirtyRecords',
          Dimensions: dimensions,
        },
        Stat: 'Sum',
      }),
    });
  });

  it("alarms on records kept under errors/: the transformer's failed records plus Firehose's failed conversions", () => {
    const { template } = synthStack();

    const alarm = alarmsOf(template).named('dvault-ste_pred-errors');

    expect(alarm.Threshold).toBe(0);
    expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(alarm.Metrics?.find((m) => m.Expression)?.Expression).toBe(
      'FILL(processing_ste_pred, 0) + FILL(conversion_ste_pred, 0)',
    );
    const counts = Object.fromEntries(
      (alarm.Metrics ?? [])
        .filter((m) => m.MetricStat !== undefined)
        .map((m) => [m.Id, m.MetricStat]),
    );
    expect(counts).toEqual({
      processing_ste_pred: expect.objectContaining({
        Metric: {
          Namespace: 'dvault',
          MetricName: 'FailedRecords',
          Dimensions: [
            { Name: 'service', Value: 'dvault-transformer' },
            { Name: 'table', Value: 'ste_pred' },
          ],
        },
        Stat: 'Sum',
      }),
      conversion_ste_pred: expect.objectContaining({
        Metric: {
          Namespace: 'AWS/Firehose',
          MetricName: 'FailedConversion.Records',
          Dimensions: [
            { Name: 'DeliveryStreamName', Value: 'dvault-ste_pred' },
          ],
        },
        Stat: 'Sum',
      }),
    });
  });

  it('alarms on errors and throttles of both functions and on failed notifications', () => {
    const { stack, template } = synthStack();
    const { named } = alarmsOf(template);
    const producer = logicalIdOf(stack, stack.producer.handler.function);
    const transformer = logicalIdOf(stack, stack.transformer.handler.function);

    expect(named('dvault-producer-errors')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: producer } }],
      Threshold: 0,
    });
    expect(named('dvault-transformer-throttles')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: transformer } }],
    });
    expect(named('dvault-producer-failures')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('notifies a KMS-encrypted topic from every alarm', () => {
    const { stack, template } = synthStack();
    const topic = logicalIdOf(stack, stack.monitoring.topic);

    for (const alarm of alarmsOf(template).alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
    }
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it('subscribes the alarm e-mail only when one is configured', () => {
    const without = synthStack().template;
    const withEmail = synthStack({
      alarmEmail: 'data-team@example.com',
    }).template;

    without.resourceCountIs('AWS::SNS::Subscription', 0);
    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'data-team@example.com',
    });
  });

  it('graphs the alarmed figures on one dashboard', () => {
    const { template } = synthStack();

    const dashboard = Object.values(
      resourcesOfType(template, 'AWS::CloudWatch::Dashboard'),
    );

    expect(dashboard).toHaveLength(1);
    const body = JSON.stringify(dashboard[0].Properties.DashboardBody);
    for (const figure of [
      'DeliveryToS3.DataFreshness',
      'GetRecords.IteratorAgeMilliseconds',
      'WriteProvisionedThroughputExceeded',
      'CleanRecords',
      'DirtyRecords',
      'FailedRecords',
      'FailedConversion.Records',
      'ApproximateNumberOfMessagesVisible',
      'Throttles',
      'Errors',
    ]) {
      expect(body).toContain(figure);
    }
    for (const table of TABLES) {
      expect(body).toContain(`dvault-${table.name}`);
    }
  });
});
