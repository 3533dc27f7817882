import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PRODUCER_DIRTY_TABLE } from '../../schemas/index.js';
import {
  HandlerEntry,
  HandlerEnv,
  LakePrefix,
  ServiceName,
} from '../constants.js';
import { acknowledgeWildcard } from '../nag/acknowledgeWildcard.js';
import { DvaultFunction } from './DvaultFunction.js';

/** The producer reads a whole landed file per invocation: up to 128 MB. */
export const PRODUCER_TIMEOUT = Duration.minutes(5);

/** Retries Lambda makes of a failed S3 notification (the most it allows). */
export const PRODUCER_RETRY_ATTEMPTS = 2;

/** How long a notification may wait for a producer before it is failed. */
export const PRODUCER_MAX_EVENT_AGE = Duration.hours(6);

/** What the producer reads from and writes to. */
export interface ProducerFunctionProps {
  readonly landing: s3.IBucket;
  /** Only keys under this prefix notify the producer ('' = every key). */
  readonly landingPrefix: string;
  readonly lake: s3.IBucket;
  /** Every table's stream; the producer routes each event to one. */
  readonly streams: readonly kinesis.IStream[];
  readonly streamPrefix: string;
  readonly memorySize: number;
}

/**
 * The producer Lambda: invoked by `s3:ObjectCreated:*` on the landing
 * bucket, it splits the file into events and puts each on its table's
 * stream, writing what it cannot route under `dirty/_producer/`. A
 * notification that still fails after Lambda's retries lands in the
 * `failures` queue, so no landed file is silently skipped.
 */
export class ProducerFunction extends Construct {
  readonly handler: DvaultFunction;
  /** Notifications the producer failed on, kept 14 days for replay. */
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: ProducerFunctionProps) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the end of the line: it is the producer's on-failure destination, read by people replaying failed files, so it needs no queue behind it.",
    });
    this.handler = new DvaultFunction(this, 'Handler', {
      entry: HandlerEntry.Producer,
      description:
        'Splits landed dvault files into events and puts them on the per-table Kinesis streams.',
      memorySize: props.memorySize,
      timeout: PRODUCER_TIMEOUT,
      environment: {
        [HandlerEnv.LakeBucket]: props.lake.bucketName,
        [HandlerEnv.StreamPrefix]: props.streamPrefix,
        [HandlerEnv.ServiceName]: ServiceName.Producer,
        [HandlerEnv.LogLevel]: 'INFO',
      },
      onFailure: new SqsDestination(this.failures),
      retryAttempts: PRODUCER_RETRY_ATTEMPTS,
      maxEventAge: PRODUCER_MAX_EVENT_AGE,
    });
    this.grantReadLanding(props.landing, props.landingPrefix);
    this.grantWriteDirty(props.lake);
    this.grantPutRecords(props.streams);
    props.landing.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new LambdaDestination(this.handler.function),
      ...(props.landingPrefix === '' ? [] : [{ prefix: props.landingPrefix }]),
    );
    acknowledgeNotificationsHandler(Stack.of(this));
  }

  private grantReadLanding(landing: s3.IBucket, prefix: string): void {
    const objects = landing.arnForObjects(`${prefix}*`);
    this.allow(['s3:GetObject', 's3:GetObjectVersion'], [objects]);
    acknowledgeWildcard(
      this.handler.role,
      objects,
      'The producer reads whichever file lands; keys are not known in advance, and the grant stops at the configured landing prefix.',
    );
  }

  private grantWriteDirty(lake: s3.IBucket): void {
    const objects = lake.arnForObjects(
      `${LakePrefix.Dirty}${PRODUCER_DIRTY_TABLE}/*`,
    );
    this.allow(['s3:PutObject'], [objects]);
    acknowledgeWildcard(
      this.handler.role,
      objects,
      'Dirty object keys are derived from the landed file and the day; the grant is limited to the producer’s own dirty/_producer/ prefix.',
    );
  }

  private grantPutRecords(streams: readonly kinesis.IStream[]): void {
    this.allow(
      [
        'kinesis:PutRecords',
        'kinesis:PutRecord',
        'kinesis:DescribeStreamSummary',
      ],
      streams.map((stream) => stream.streamArn),
    );
  }

  private allow(actions: string[], resources: string[]): void {
    this.handler.role.addToPolicy(
      new iam.PolicyStatement({ actions, resources }),
    );
  }
}

/**
 * `addEventNotification` installs aws-cdk-lib's own custom-resource handler
 * (one per stack, id `BucketNotificationsHandler<uuid>`), whose role uses
 * the AWS managed basic-execution policy. The library offers no way to
 * change that role, so its one finding is acknowledged where it arises.
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('BucketNotificationsHandler'),
  );
  if (handler === undefined) return;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'The S3 notification custom resource of aws-cdk-lib runs once per deployment with only CloudWatch Logs rights from this AWS managed policy; its role cannot be replaced through the library.',
  });
}
