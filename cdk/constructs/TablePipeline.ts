import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { resourceNameFor, type TableSpec } from '../../schemas/index.js';
import {
  ALL_ROWS_SUFFIX,
  DATE_PARTITION,
  DATE_PARTITION_FORMAT,
  LakePrefix,
  PARQUET_EXTENSION,
} from '../constants.js';
import { cleanTableInput } from '../glue/cleanTableInput.js';
import { cleanViewInput } from '../glue/cleanViewInput.js';
import { acknowledgeWildcard } from '../nag/acknowledgeWildcard.js';

/**
 * The transformer's input buffer. 1 MiB of records makes a request of about
 * 1.4 MB (base64) and an answer of about 2 MB, far below the 6 MB Lambda
 * payload limit; Firehose accepts 0.2 to 3 MiB.
 */
export const PROCESSOR_BUFFER_MIB = 1;

/** The longest the transformer's input buffer waits (Firehose default). */
export const PROCESSOR_BUFFER_SECONDS = 60;

/** Retries of a failed transformer invocation before `processing-failed`. */
export const PROCESSOR_RETRIES = 3;

/** How long a record stays readable on its stream (the free retention). */
export const STREAM_RETENTION = Duration.hours(24);

/** Where a table's pipeline reads, converts and writes. */
export interface TablePipelineProps {
  readonly table: TableSpec;
  readonly prefix: string;
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  readonly lake: s3.IBucket;
  readonly transformer: lambda.IFunction;
  readonly deliveryLogs: logs.ILogGroup;
  readonly shardCount: number;
  readonly bufferSizeMiB: number;
  readonly bufferIntervalSeconds: number;
}

/**
 * Everything one registry table needs on AWS: its Kinesis stream, its Glue
 * table `<table>_all` (the Parquet schema, from the schemas' derivation),
 * the Athena view `<table>` over it with one row per event, and its
 * Firehose delivery stream, which reads the stream, has the transformer
 * clean each record, converts JSON to Parquet against the Glue table and
 * writes `clean/<table>/dt=<day>/`. The delivery role may touch only this
 * table's stream, Glue table and lake prefixes.
 */
export class TablePipeline extends Construct {
  /** The registry table this pipeline serves. */
  readonly tableName: string;
  /** The stream and delivery stream name (`dvault-<table>`). */
  readonly resourceName: string;
  readonly stream: kinesis.Stream;
  /** The Glue table of every delivered row, `<table>_all`. */
  readonly glueTableName: string;
  readonly glueTable: glue.CfnTable;
  /** The Athena view `<table>`, one row per event. */
  readonly view: glue.CfnTable;
  readonly deliveryRole: iam.Role;
  readonly deliveryStream: firehose.CfnDeliveryStream;

  constructor(scope: Construct, id: string, props: TablePipelineProps) {
    super(scope, id);
    this.tableName = props.table.name;
    this.resourceName = resourceNameFor(props.table.name, props.prefix);
    this.glueTableName = `${props.table.name}${ALL_ROWS_SUFFIX}`;
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: this.resourceName,
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount: props.shardCount,
      // The AWS managed key: encrypted at rest without a key to pay for,
      // and usable by any role of the account that may use the stream.
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: STREAM_RETENTION,
    });
    // Not the `GlueTable` id of the days the table had the bare name: Glue
    // cannot rename a table, so `<table>_all` is a new resource.
    this.glueTable = new glue.CfnTable(this, 'AllRowsTable', {
      catalogId: Stack.of(this).account,
      databaseName: props.databaseName,
      tableInput: cleanTableInput(props.table, props.lake.bucketName),
    });
    this.glueTable.node.addDependency(props.database);
    this.view = new glue.CfnTable(this, 'View', {
      catalogId: Stack.of(this).account,
      databaseName: props.databaseName,
      tableInput: cleanViewInput(props.table, props.databaseName),
    });
    this.view.node.addDependency(this.glueTable);
    this.deliveryRole = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
      externalIds: [Stack.of(this).account],
    });
    const logStream = new logs.LogStream(this, 'DeliveryLogStream', {
      logGroup: props.deliveryLogs,
      logStreamName: props.table.name,
    });
    const policy = this.deliveryPolicy(props, logStream);
    this.deliveryStream = this.createDeliveryStream(props, logStream);
    // Firehose checks its role when the stream is created: the policy first.
    // The table it converts against must exist before it delivers, and
    // outlive it on teardown; its name alone does not tell CloudFormation.
    this.deliveryStream.node.addDependency(policy, this.glueTable);
    Validations.of(this.deliveryStream).acknowledge({
      id: 'AwsSolutions-KDF1',
      reason:
        'Delivery stream encryption applies only to Direct PUT sources. This one reads a KMS-encrypted Kinesis stream and writes to an SSE-S3 bucket, so data is encrypted at rest throughout.',
    });
  }

  private createDeliveryStream(
    props: TablePipelineProps,
    logStream: logs.LogStream,
  ): firehose.CfnDeliveryStream {
    const table = props.table.name;
    const day = `${DATE_PARTITION}=!{timestamp:${DATE_PARTITION_FORMAT}}/`;
    return new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: this.resourceName,
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: {
        kinesisStreamArn: this.stream.streamArn,
        roleArn: this.deliveryRole.roleArn,
      },
      extendedS3DestinationConfiguration: {
        bucketArn: props.lake.bucketArn,
        roleArn: this.deliveryRole.roleArn,
        prefix: `${LakePrefix.Clean}${table}/${day}`,
        errorOutputPrefix: `${LakePrefix.Errors}${table}/!{firehose:error-output-type}/${day}`,
        bufferingHints: {
          sizeInMBs: props.bufferSizeMiB,
          intervalInSeconds: props.bufferIntervalSeconds,
        },
        // Parquet compresses its own pages (Snappy); S3-level compression
        // must stay off for format conversion.
        compressionFormat: 'UNCOMPRESSED',
        // Objects are named as the local lake names them. Format
        // conversion gives `.parquet` by default; saying so keeps the
        // name fixed, whatever that default becomes.
        fileExtension: PARQUET_EXTENSION,
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: props.deliveryLogs.logGroupName,
          logStreamName: logStream.logStreamName,
        },
        processingConfiguration: this.processing(props.transformer),
        dataFormatConversionConfiguration: this.conversion(props),
      },
    });
  }

  private processing(
    transformer: lambda.IFunction,
  ): firehose.CfnDeliveryStream.ProcessingConfigurationProperty {
    const parameter = (parameterName: string, parameterValue: string) => ({
      parameterName,
      parameterValue,
    });
    return {
      enabled: true,
      processors: [
        {
          type: 'Lambda',
          parameters: [
            parameter('LambdaArn', transformer.functionArn),
            parameter('NumberOfRetries', String(PROCESSOR_RETRIES)),
            parameter('BufferSizeInMBs', String(PROCESSOR_BUFFER_MIB)),
            parameter(
              'BufferIntervalInSeconds',
              String(PROCESSOR_BUFFER_SECONDS),
            ),
          ],
        },
      ],
    };
  }

  private conversion(
    props: TablePipelineProps,
  ): firehose.CfnDeliveryStream.DataFormatConversionConfigurationProperty {
    const stack = Stack.of(this);
    return {
      enabled: true,
      inputFormatConfiguration: {
        // OpenX reads the epoch-millisecond timestamps the transformer emits.
        deserializer: { openXJsonSerDe: { caseInsensitive: true } },
      },
      outputFormatConfiguration: {
        serializer: { parquetSerDe: { compression: 'SNAPPY' } },
      },
      schemaConfiguration: {
        catalogId: stack.account,
        region: stack.region,
        databaseName: props.databaseName,
        tableName: this.glueTableName,
        roleArn: this.deliveryRole.roleArn,
        versionId: 'LATEST',
      },
    };
  }

  private deliveryPolicy(
    props: TablePipelineProps,
    logStream: logs.LogStream,
  ): iam.Policy {
    const stack = Stack.of(this);
    const table = props.table.name;
    const objects = [
      props.lake.arnForObjects(`${LakePrefix.Clean}${table}/*`),
      props.lake.arnForObjects(`${LakePrefix.Errors}${table}/*`),
    ];
    const policy = new iam.Policy(this, 'DeliveryPolicy', {
      roles: [this.deliveryRole],
      statements: [
        allow(
          [
            'kinesis:DescribeStream',
            'kinesis:GetShardIterator',
            'kinesis:GetRecords',
            'kinesis:ListShards',
          ],
          [this.stream.streamArn],
        ),
        allow(
          ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
          [
            stack.formatArn({ service: 'glue', resource: 'catalog' }),
            stack.formatArn({
              service: 'glue',
              resource: 'database',
              resourceName: props.databaseName,
            }),
            stack.formatArn({
              service: 'glue',
              resource: 'table',
              resourceName: `${props.databaseName}/${this.glueTableName}`,
            }),
          ],
        ),
        allow(
          ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
          [props.transformer.functionArn],
        ),
        allow(
          [
            's3:GetBucketLocation',
            's3:ListBucket',
            's3:ListBucketMultipartUploads',
          ],
          [props.lake.bucketArn],
        ),
        allow(
          ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
          objects,
        ),
        allow(
          ['logs:PutLogEvents'],
          [
            stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${props.deliveryLogs.logGroupName}:log-stream:${logStream.logStreamName}`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        ),
      ],
    });
    for (const arn of objects) {
      acknowledgeWildcard(
        policy,
        arn,
        `Firehose names its objects itself (day, time, random suffix); the grant is limited to this table's own clean/ or errors/ prefix.`,
      );
    }
    return policy;
  }
}

function allow(actions: string[], resources: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions, resources });
}
