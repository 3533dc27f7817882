import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  HandlerEntry,
  HandlerEnv,
  LakePrefix,
  METRICS_NAMESPACE,
  ServiceName,
} from '../constants.js';
import { acknowledgeWildcard } from '../nag/acknowledgeWildcard.js';
import { DvaultFunction } from './DvaultFunction.js';

/**
 * A transformation gets at most 3 MB of records (the processor buffer) and
 * must answer well within Firehose's wait; two minutes leaves ample room.
 */
export const TRANSFORMER_TIMEOUT = Duration.minutes(2);

/** What the transformer writes to. */
export interface TransformerFunctionProps {
  readonly lake: s3.IBucket;
  readonly streamPrefix: string;
  readonly memorySize: number;
}

/**
 * The transformer Lambda, shared by every delivery stream: it finds its
 * table from the event's `deliveryStreamArn`, answers clean rows to
 * Firehose and quarantines dirty events under `dirty/<table>/`, emitting
 * `CleanRecords` and `DirtyRecords` per table in the `dvault` namespace.
 */
export class TransformerFunction extends Construct {
  readonly handler: DvaultFunction;

  constructor(scope: Construct, id: string, props: TransformerFunctionProps) {
    super(scope, id);
    this.handler = new DvaultFunction(this, 'Handler', {
      entry: HandlerEntry.Transformer,
      description:
        'Firehose transformation: decodes each record against its table, answers clean rows, quarantines dirty ones.',
      memorySize: props.memorySize,
      timeout: TRANSFORMER_TIMEOUT,
      environment: {
        [HandlerEnv.LakeBucket]: props.lake.bucketName,
        [HandlerEnv.StreamPrefix]: props.streamPrefix,
        [HandlerEnv.ServiceName]: ServiceName.Transformer,
        [HandlerEnv.MetricsNamespace]: METRICS_NAMESPACE,
        [HandlerEnv.LogLevel]: 'INFO',
      },
    });
    const dirty = props.lake.arnForObjects(`${LakePrefix.Dirty}*`);
    this.handler.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [dirty],
      }),
    );
    acknowledgeWildcard(
      this.handler.role,
      dirty,
      'One transformer serves every table and writes dirty/<table>/dt=<day>/<derived key>; the grant is limited to the dirty/ prefix.',
    );
  }
}
