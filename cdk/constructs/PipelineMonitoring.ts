import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  METRICS_NAMESPACE,
  ServiceName,
  TABLE_DIMENSION,
  TransformerMetric,
} from '../constants.js';
import { STREAM_RETENTION } from './TablePipeline.js';

/** The period most alarms judge: five minutes. */
export const ALARM_PERIOD = Duration.minutes(5);

/** The period the dirty share is judged over: enough records to mean something. */
export const DIRTY_SHARE_PERIOD = Duration.hours(1);

/** Seconds of delay beyond the buffer interval before freshness alarms. */
export const FRESHNESS_SLACK_SECONDS = 900;

/** Iterator age that alarms: records waiting this long are falling behind. */
export const ITERATOR_AGE_LIMIT = Duration.minutes(15);

/** Consecutive throttled periods before the write-throttle alarm. */
export const THROTTLED_PERIODS = 3;

/** One table as the alarms see it. */
export interface MonitoredTable {
  readonly name: string;
  readonly stream: kinesis.IStream;
  readonly deliveryStreamName: string;
}

/** One Lambda function as the alarms see it. */
export interface MonitoredFunction {
  readonly label: string;
  readonly function: lambda.IFunction;
}

/** What the monitoring watches and whom it tells. */
export interface PipelineMonitoringProps {
  /** Starts every alarm name, like the streams' names. */
  readonly prefix: string;
  readonly dashboardName: string;
  readonly tables: readonly MonitoredTable[];
  readonly functions: readonly MonitoredFunction[];
  readonly failures: sqs.IQueue;
  readonly bufferIntervalSeconds: number;
  readonly dirtyShareThreshold: number;
  readonly alarmEmail: string | undefined;
}

/**
 * Alarms, an encrypted SNS topic they notify (with an optional e-mail
 * subscription) and a dashboard of the same figures: per table, delivery
 * freshness, iterator age, write throttles, the dirty share and the
 * records kept under `errors/`; per
 * function, errors and throttles; and the producer's on-failure queue.
 */
export class PipelineMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  private readonly props: PipelineMonitoringProps;

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    this.props = props;
    this.topic = this.alarmTopic(props.alarmEmail);
    const figures = {
      freshness: props.tables.map((table) => this.freshness(table)),
      iteratorAge: props.tables.map((table) => this.iteratorAge(table)),
      writeThrottles: props.tables.map((table) => this.writeThrottles(table)),
      dirtyShare: props.tables.map((table) => this.dirtyShare(table.name)),
      keptAsErrors: props.tables.map((table) => this.keptAsErrors(table)),
      functions: props.functions.flatMap((fn) => this.functionHealth(fn)),
      failures: [this.failedNotifications()],
    };
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          graph('Delivery freshness (s)', figures.freshness),
          graph('Kinesis iterator age (ms)', figures.iteratorAge),
        ],
        [
          graph('Kinesis write throttles', figures.writeThrottles),
          graph('Dirty share (dirty / all)', figures.dirtyShare),
        ],
        [
          graph('Lambda errors and throttles', figures.functions),
          graph('Failed landing notifications', figures.failures),
        ],
        [graph('Records kept under errors/', figures.keptAsErrors)],
        [
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: this.alarms,
            width: 24,
          }),
        ],
      ],
    });
  }

  private alarmTopic(email: string | undefined): sns.Topic {
    // CloudWatch can publish to an encrypted topic only through a key whose
    // policy lets it; the AWS managed SNS key does not, so the topic has
    // its own key.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the dvault alarm topic.',
      enableKeyRotation: true,
    });
    key.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'dvault pipeline alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (email !== undefined)
      topic.addSubscription(new EmailSubscription(email));
    return topic;
  }

  private freshness(table: MonitoredTable): cloudwatch.IMetric {
    const metric = new cloudwatch.Metric({
      namespace: 'AWS/Firehose',
      metricName: 'DeliveryToS3.DataFreshness',
      dimensionsMap: { DeliveryStreamName: table.deliveryStreamName },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: ALARM_PERIOD,
    });
    this.alarm(`${table.name}-freshness`, metric, {
      threshold: this.props.bufferIntervalSeconds + FRESHNESS_SLACK_SECONDS,
      evaluationPeriods: 3,
      description: `The oldest record of ${table.name} has waited longer than the buffer interval plus ${FRESHNESS_SLACK_SECONDS} s to reach S3: delivery or conversion is failing.`,
    });
    return metric.with({ label: table.name });
  }

  private iteratorAge(table: MonitoredTable): cloudwatch.IMetric {
    const metric = table.stream.metricGetRecordsIteratorAgeMilliseconds({
      statistic: cloudwatch.Stats.MAXIMUM,
      period: ALARM_PERIOD,
    });
    this.alarm(`${table.name}-iterator-age`, metric, {
      threshold: ITERATOR_AGE_LIMIT.toMilliseconds(),
      evaluationPeriods: 3,
      description: `Firehose reads ${table.name}'s stream more than ${ITERATOR_AGE_LIMIT.toMinutes()} minutes behind; records expire after ${STREAM_RETENTION.toHours()} hours.`,
    });
    return metric.with({ label: table.name });
  }

  private writeThrottles(table: MonitoredTable): cloudwatch.IMetric {
    const metric = table.stream.metricWriteProvisionedThroughputExceeded({
      statistic: cloudwatch.Stats.SUM,
      period: ALARM_PERIOD,
    });
    this.alarm(`${table.name}-write-throttles`, metric, {
      threshold: 0,
      evaluationPeriods: THROTTLED_PERIODS,
      description: `Writes to ${table.name}'s stream were throttled for ${THROTTLED_PERIODS} periods in a row: add shards (dvault:shardCounts for this table, dvault:shardCount for all).`,
    });
    return metric.with({ label: table.name });
  }

  private dirtyShare(table: string): cloudwatch.IMetric {
    const count = (metricName: TransformerMetric) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        // Powertools adds the service as a dimension of every metric.
        dimensionsMap: {
          service: ServiceName.Transformer,
          [TABLE_DIMENSION]: table,
        },
        statistic: cloudwatch.Stats.SUM,
        period: DIRTY_SHARE_PERIOD,
      });
    // Ids are unique per table because the dashboard graphs every table's
    // share together; table names are lower_snake_case, valid in ids.
    const clean = `clean_${table}`;
    const dirty = `dirty_${table}`;
    const share = new cloudwatch.MathExpression({
      expression: `${dirty} / (${clean} + ${dirty})`,
      usingMetrics: {
        [clean]: count(TransformerMetric.CleanRecords),
        [dirty]: count(TransformerMetric.DirtyRecords),
      },
      period: DIRTY_SHARE_PERIOD,
      label: table,
    });
    this.alarm(`${table}-dirty-share`, share, {
      threshold: this.props.dirtyShareThreshold,
      evaluationPeriods: 1,
      description: `More than ${this.props.dirtyShareThreshold * 100}% of ${table}'s records in an hour were dirty: see the dirty table in Athena.`,
    });
    return share;
  }

  /**
   * Records Firehose keeps under `errors/` instead of delivering: those the
   * transformer answered `ProcessingFailed` and those record format
   * conversion refused. Freshness cannot see them while good records flow.
   */
  private keptAsErrors(table: MonitoredTable): cloudwatch.IMetric {
    const processing = `processing_${table.name}`;
    const conversion = `conversion_${table.name}`;
    const kept = new cloudwatch.MathExpression({
      expression: `FILL(${processing}, 0) + FILL(${conversion}, 0)`,
      usingMetrics: {
        [processing]: new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: TransformerMetric.FailedRecords,
          dimensionsMap: {
            service: ServiceName.Transformer,
            [TABLE_DIMENSION]: table.name,
          },
          statistic: cloudwatch.Stats.SUM,
          period: ALARM_PERIOD,
        }),
        [conversion]: new cloudwatch.Metric({
          namespace: 'AWS/Firehose',
          metricName: 'FailedConversion.Records',
          dimensionsMap: { DeliveryStreamName: table.deliveryStreamName },
          statistic: cloudwatch.Stats.SUM,
          period: ALARM_PERIOD,
        }),
      },
      period: ALARM_PERIOD,
      label: table.name,
    });
    this.alarm(`${table.name}-errors`, kept, {
      threshold: 0,
      evaluationPeriods: 1,
      description: `Records of ${table.name} were kept under errors/${table.name}/ (the transformer answered ProcessingFailed, or format conversion failed): list them with the Athena view errors, fix the cause, then land their source files again. A whole failed transformer invocation shows in the transformer-errors alarm instead.`,
    });
    return kept;
  }

  private functionHealth(fn: MonitoredFunction): cloudwatch.IMetric[] {
    const options = { statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD };
    const errors = fn.function.metricErrors(options);
    const throttles = fn.function.metricThrottles(options);
    this.alarm(`${fn.label}-errors`, errors, {
      threshold: 0,
      evaluationPeriods: 1,
      description: `The ${fn.label} Lambda failed invocations; its log group has the errors.`,
    });
    this.alarm(`${fn.label}-throttles`, throttles, {
      threshold: 0,
      evaluationPeriods: 1,
      description: `The ${fn.label} Lambda was throttled: raise the account's concurrency or reserve some for it.`,
    });
    return [
      errors.with({ label: `${fn.label} errors` }),
      throttles.with({ label: `${fn.label} throttles` }),
    ];
  }

  private failedNotifications(): cloudwatch.IMetric {
    const metric = this.props.failures.metricApproximateNumberOfMessagesVisible(
      {
        statistic: cloudwatch.Stats.MAXIMUM,
        period: ALARM_PERIOD,
      },
    );
    this.alarm('producer-failures', metric, {
      threshold: 0,
      evaluationPeriods: 1,
      description:
        'Landed files the producer failed on after all retries wait in the on-failure queue: fix the cause, then replay them.',
    });
    return metric.with({ label: 'failed notifications' });
  }

  private alarm(
    name: string,
    metric: cloudwatch.IMetric,
    options: {
      threshold: number;
      evaluationPeriods: number;
      description: string;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, `${name}-alarm`, {
      alarmName: `${this.props.prefix}${name}`,
      alarmDescription: options.description,
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No data means no traffic, which is not a failure.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

function graph(title: string, metrics: cloudwatch.IMetric[]) {
  return new cloudwatch.GraphWidget({ title, left: metrics, width: 12 });
}
