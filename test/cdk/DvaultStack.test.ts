import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ContextKey, LakePrefix } from '../../cdk/constants.js';
import {
  PROCESSOR_BUFFER_MIB,
  PROCESSOR_BUFFER_SECONDS,
} from '../../cdk/constructs/TablePipeline.js';
import {
  DeploymentConfigError,
  TableDeploymentError,
} from '../../cdk/errors.js';
import {
  glueColumns,
  resourceNameFor,
  TABLES,
  type TableSpec,
} from '../../schemas/index.js';
import {
  logicalIdOf,
  nagFindings,
  pipelineOf,
  resourcesOfType,
  statementGranting,
  statementsOf,
  synthStack,
  textOf,
  viewOf,
} from './synthStack.js';

/** A table no service emits, to see the stack follow the registry. */
const QUIZ_TABLE: TableSpec = {
  ...TABLES[0],
  name: 'quizmaker_pred',
  service: 'quizmaker',
  columns: [
    { name: 'id', type: { kind: 'string' } },
    { name: 'questions', type: { kind: 'array', element: { kind: 'string' } } },
  ],
};

function deliveryStreamOf(
  template: ReturnType<typeof synthStack>['template'],
  table: string,
) {
  const found = Object.values(
    resourcesOfType(template, 'AWS::KinesisFirehose::DeliveryStream'),
  ).filter(
    (resource) => resource.Properties.DeliveryStreamName === `dvault-${table}`,
  );
  expect(found).toHaveLength(1);
  return found[0].Properties as {
    ExtendedS3DestinationConfiguration: Record<string, unknown>;
    KinesisStreamSourceConfiguration: Record<string, unknown>;
  };
}

/** The ShardCount of every table's stream, by stream name. */
function shardCountsOf(template: ReturnType<typeof synthStack>['template']) {
  return Object.fromEntries(
    Object.values(resourcesOfType(template, 'AWS::Kinesis::Stream')).map(
      (stream) => [stream.Properties.Name, stream.Properties.ShardCount],
    ),
  );
}

/** The stream names with the count each should have: `fallback` unless given. */
function expectedShardCounts(fallback: number, counts: Record<string, number>) {
  return Object.fromEntries(
    TABLES.map((table) => [
      resourceNameFor(table.name),
      counts[table.name] ?? fallback,
    ]),
  );
}

function glueTableOf(
  template: ReturnType<typeof synthStack>['template'],
  name: string,
) {
  const found = Object.values(
    resourcesOfType(template, 'AWS::Glue::Table'),
  ).filter(
    (resource) =>
      (resource.Properties.TableInput as { Name: string }).Name === name,
  );
  expect(found).toHaveLength(1);
  return found[0].Properties.TableInput as {
    Parameters: Record<string, string>;
    PartitionKeys: { Name: string; Type: string }[];
    StorageDescriptor: {
      Columns: { Name: string; Type: string }[];
      Location: unknown;
      InputFormat: string;
      OutputFormat: string;
      SerdeInfo: { SerializationLibrary: string };
    };
  };
}

describe('DvaultStack per registry table', () => {
  it('creates one stream, delivery stream and Glue table per registry table', () => {
    const { template } = synthStack();

    template.resourceCountIs('AWS::Kinesis::Stream', TABLES.length);
    template.resourceCountIs(
      'AWS::KinesisFirehose::DeliveryStream',
      TABLES.length,
    );
    // A table and a view per registry table, and the dirty and errors
    // tables and views.
    template.resourceCountIs('AWS::Glue::Table', 2 * (TABLES.length + 2));
    for (const table of TABLES) {
      template.hasResourceProperties('AWS::Kinesis::Stream', {
        Name: resourceNameFor(table.name),
      });
      deliveryStreamOf(template, table.name);
      glueTableOf(template, `${table.name}_all`);
      viewOf(template, table.name);
    }
  });

  it('grows by one stream, delivery stream and Glue table for a table added to the registry', () => {
    const before = synthStack().template;

    const after = synthStack({ tables: [...TABLES, QUIZ_TABLE] }).template;

    for (const [type, added] of [
      ['AWS::Kinesis::Stream', 1],
      ['AWS::KinesisFirehose::DeliveryStream', 1],
      ['AWS::Glue::Table', 2],
      ['AWS::Logs::LogStream', 1],
    ] as const) {
      expect(
        Object.keys(resourcesOfType(after, type)).length -
          Object.keys(resourcesOfType(before, type)).length,
      ).toBe(added);
    }
    after.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'dvault-quizmaker_pred',
    });
    expect(
      glueTableOf(after, 'quizmaker_pred_all').StorageDescriptor.Columns,
    ).toEqual([
      { Name: 'id', Type: 'string' },
      { Name: 'questions', Type: 'array<string>' },
    ]);
    expect(
      glueTableOf(after, 'dirty_all').Parameters[
        'projection.dirty_table.values'
      ],
    ).toContain('quizmaker_pred');
  });

  it('gives each Glue table exactly the columns the schemas derive', () => {
    const { template } = synthStack();

    for (const table of TABLES) {
      const columns = glueTableOf(template, `${table.name}_all`)
        .StorageDescriptor.Columns;
      expect(columns).toEqual(
        glueColumns(table).map(({ name, type }) => ({
          Name: name,
          Type: type,
        })),
      );
    }
  });

  it('stores each table as Parquet under clean/<table>/ with dt projected by day', () => {
    const { stack, template } = synthStack();
    const lake = logicalIdOf(stack, stack.buckets.lake);

    const input = glueTableOf(template, 'ste_event_all');

    expect(input.StorageDescriptor).toMatchObject({
      InputFormat:
        'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat:
        'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: {
        SerializationLibrary:
          'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      },
    });
    expect(textOf(input.StorageDescriptor.Location)).toBe(
      `s3://<${lake}>/clean/ste_event/`,
    );
    expect(input.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2020-01-01,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
    });
    expect(textOf(input.Parameters['storage.location.template'])).toBe(
      `s3://<${lake}>/clean/ste_event/dt=\${dt}/`,
    );
  });

  it('rejects a table whose name Glue or Firehose cannot take', () => {
    const badName = { ...QUIZ_TABLE, name: 'Quiz-Maker' };
    const longName = { ...QUIZ_TABLE, name: `q${'x'.repeat(60)}` };

    expect(() => synthStack({ tables: [badName] })).toThrow(
      TableDeploymentError,
    );
    expect(() => synthStack({ tables: [badName] })).toThrow(
      /"Quiz-Maker" cannot be deployed: Glue and the lake layout need a lower_snake_case name\./,
    );
    expect(() => synthStack({ tables: [longName] })).toThrow(
      /longer than the 64 characters/,
    );
    expect(() => synthStack({ tables: [QUIZ_TABLE, QUIZ_TABLE] })).toThrow(
      /"quizmaker_pred" cannot be deployed: the name is taken/,
    );
    for (const name of ['dirty', 'dirty_all', 'errors', 'errors_all']) {
      expect(() => synthStack({ tables: [{ ...QUIZ_TABLE, name }] })).toThrow(
        `"${name}" cannot be deployed: the name is taken`,
      );
    }
    expect(() =>
      synthStack({
        tables: [
          { ...QUIZ_TABLE, name: 'quiz_all' },
          { ...QUIZ_TABLE, name: 'quiz' },
        ],
      }),
    ).toThrow(
      /"quiz" cannot be deployed: the name is taken \(a table takes its name and its name with "_all" in Glue/,
    );
  });
});

describe('DvaultStack delivery streams', () => {
  it('reads each table from its own encrypted, provisioned stream', () => {
    const { stack, template } = synthStack({ shardCount: 3 });
    const streamId = logicalIdOf(
      stack,
      pipelineOf(stack, 'headliner_pred').stream,
    );

    const source = deliveryStreamOf(
      template,
      'headliner_pred',
    ).KinesisStreamSourceConfiguration;

    expect(textOf(source.KinesisStreamARN)).toBe(`<${streamId}.Arn>`);
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'dvault-headliner_pred',
      ShardCount: 3,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('gives a table with its own shard count that many shards and every other table the default', () => {
    const { app, template } = synthStack({
      shardCount: 2,
      shardCounts: { summarizer_pred: 5 },
    });

    expect(shardCountsOf(template)).toEqual(
      expectedShardCounts(2, { summarizer_pred: 5 }),
    );
    expect(nagFindings(app)).toEqual([]);
  });

  it('reads per-table shard counts from context, as JSON text from the command line too', () => {
    const counts = { summarizer_event: 4, headliner_pred: 3 };

    const fromJson = synthStack(
      {},
      { fromContext: true, context: { [ContextKey.ShardCounts]: counts } },
    ).template;
    const fromText = synthStack(
      {},
      {
        fromContext: true,
        context: { [ContextKey.ShardCounts]: JSON.stringify(counts) },
      },
    ).template;

    expect(shardCountsOf(fromJson)).toEqual(expectedShardCounts(1, counts));
    expect(shardCountsOf(fromText)).toEqual(expectedShardCounts(1, counts));
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a table not in the registry',
      { quizmaker_pred: 2 },
      /dvault:shardCounts may only name deployed tables \(summarizer_pred, .*semantic_image_matcher_event\); found "quizmaker_pred"\./,
    ],
    [
      'a count of zero',
      { summarizer_pred: 0 },
      /dvault:shardCounts\.summarizer_pred must be an integer from 1 to 500 \(the default account quota is 500 shards\); found 0\./,
    ],
    [
      'a negative count',
      { ste_event: -3 },
      /dvault:shardCounts\.ste_event must be an integer from 1 to 500 .*found -3\./,
    ],
    [
      'a fractional count',
      { headliner_event: 2.5 },
      /dvault:shardCounts\.headliner_event must be an integer from 1 to 500 .*found 2\.5\./,
    ],
  ])(
    'stops the synth on a context shard count for %s, naming the entry and its value',
    (_case, counts, message) => {
      const synth = () =>
        synthStack(
          {},
          { fromContext: true, context: { [ContextKey.ShardCounts]: counts } },
        );

      expect(synth).toThrow(DeploymentConfigError);
      expect(synth).toThrow(message);
    },
  );

  it('refuses a shard count for a registry table the stack does not deploy', () => {
    const synth = () =>
      synthStack({ tables: [QUIZ_TABLE], shardCounts: { summarizer_pred: 2 } });

    expect(synth).toThrow(
      /dvault:shardCounts may only name deployed tables \(quizmaker_pred\); found "summarizer_pred"\./,
    );
  });

  it('converts records from OpenX JSON to Parquet against the table <table>_all, latest version', () => {
    const { template } = synthStack();

    for (const table of TABLES) {
      const destination = deliveryStreamOf(
        template,
        table.name,
      ).ExtendedS3DestinationConfiguration;
      expect(destination.DataFormatConversionConfiguration).toMatchObject({
        Enabled: true,
        InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
        OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
        SchemaConfiguration: {
          DatabaseName: 'dvault',
          TableName: `${table.name}_all`,
          VersionId: 'LATEST',
        },
      });
      expect(destination.CompressionFormat).toBe('UNCOMPRESSED');
      expect(destination.FileExtension).toBe('.parquet');
    }
  });

  it('writes clean objects by day under clean/<table>/ and errors under errors/<table>/<type>/', () => {
    const { template } = synthStack();

    const destination = deliveryStreamOf(
      template,
      'summarizer_event',
    ).ExtendedS3DestinationConfiguration;

    expect(destination.Prefix).toBe(
      'clean/summarizer_event/dt=!{timestamp:yyyy-MM-dd}/',
    );
    expect(destination.ErrorOutputPrefix).toBe(
      'errors/summarizer_event/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
    );
  });

  it('buffers 64 MiB for 300 s by default and the configured figures otherwise', () => {
    const defaults = synthStack().template;
    const configured = synthStack({
      bufferSizeMiB: 128,
      bufferIntervalSeconds: 60,
    }).template;

    expect(
      deliveryStreamOf(defaults, 'ste_pred').ExtendedS3DestinationConfiguration
        .BufferingHints,
    ).toEqual({ SizeInMBs: 64, IntervalInSeconds: 300 });
    expect(
      deliveryStreamOf(configured, 'ste_pred')
        .ExtendedS3DestinationConfiguration.BufferingHints,
    ).toEqual({ SizeInMBs: 128, IntervalInSeconds: 60 });
  });

  it('has the shared transformer process every record before conversion', () => {
    const { stack, template } = synthStack();
    const transformer = logicalIdOf(stack, stack.transformer.handler.function);

    for (const table of TABLES) {
      const processing = deliveryStreamOf(template, table.name)
        .ExtendedS3DestinationConfiguration.ProcessingConfiguration as {
        Enabled: boolean;
        Processors: {
          Type: string;
          Parameters: { ParameterName: string; ParameterValue: unknown }[];
        }[];
      };
      expect(processing.Enabled).toBe(true);
      expect(processing.Processors).toHaveLength(1);
      expect(processing.Processors[0].Type).toBe('Lambda');
      const parameters = Object.fromEntries(
        processing.Processors[0].Parameters.map((p) => [
          p.ParameterName,
          textOf(p.ParameterValue),
        ]),
      );
      expect(parameters).toEqual({
        LambdaArn: `<${transformer}.Arn>`,
        NumberOfRetries: '3',
        BufferSizeInMBs: String(PROCESSOR_BUFFER_MIB),
        BufferIntervalInSeconds: String(PROCESSOR_BUFFER_SECONDS),
      });
    }
  });

  it('logs delivery errors to a log stream of its own', () => {
    const { template } = synthStack();

    const logging = deliveryStreamOf(template, 'ste_event')
      .ExtendedS3DestinationConfiguration.CloudWatchLoggingOptions as {
      Enabled: boolean;
      LogStreamName: unknown;
    };

    expect(logging.Enabled).toBe(true);
    template.hasResourceProperties('AWS::Logs::LogStream', {
      LogStreamName: 'ste_event',
    });
  });

  it('creates each delivery stream only after its role policy and its Glue table exist', () => {
    const { stack, template } = synthStack();

    for (const pipeline of stack.pipelines) {
      const resource =
        template.toJSON().Resources[
          logicalIdOf(stack, pipeline.deliveryStream)
        ];
      expect(resource.DependsOn).toEqual(
        expect.arrayContaining([
          logicalIdOf(stack, pipeline.node.findChild('DeliveryPolicy')),
          logicalIdOf(stack, pipeline.glueTable),
        ]),
      );
    }
  });
});

describe('DvaultStack delivery role', () => {
  function deliveryStatements(table: string) {
    const { stack, template } = synthStack();
    const pipeline = pipelineOf(stack, table);
    const statements = statementsOf(stack, template, pipeline.deliveryRole);
    return {
      stack,
      pipeline,
      granting: (action: string) => statementGranting(statements, action),
    };
  }

  it('reads only its own stream', () => {
    const { stack, pipeline, granting } = deliveryStatements('ste_pred');

    const kinesis = granting('kinesis:GetRecords');

    expect(kinesis).toEqual({
      actions: [
        'kinesis:DescribeStream',
        'kinesis:GetRecords',
        'kinesis:GetShardIterator',
        'kinesis:ListShards',
      ],
      resources: [`<${logicalIdOf(stack, pipeline.stream)}.Arn>`],
    });
  });

  it('reads the Glue schema of the catalog, the database and its own table only', () => {
    const { granting } = deliveryStatements('ste_pred');

    const glue = granting('glue:GetTable');

    const prefix = 'arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:';
    expect(glue).toEqual({
      actions: [
        'glue:GetTable',
        'glue:GetTableVersion',
        'glue:GetTableVersions',
      ],
      resources: [
        `${prefix}catalog`,
        `${prefix}database/dvault`,
        `${prefix}table/dvault/ste_pred_all`,
      ],
    });
  });

  it('invokes the transformer and writes only its own lake prefixes', () => {
    const { stack, pipeline, granting } = deliveryStatements('ste_pred');
    const lake = logicalIdOf(stack, stack.buckets.lake);
    const transformer = logicalIdOf(stack, stack.transformer.handler.function);
    const logGroup = logicalIdOf(stack, stack.node.findChild('DeliveryLogs'));
    const logStream = logicalIdOf(
      stack,
      pipeline.node.findChild('DeliveryLogStream'),
    );

    expect(granting('lambda:InvokeFunction')).toEqual({
      actions: ['lambda:GetFunctionConfiguration', 'lambda:InvokeFunction'],
      resources: [`<${transformer}.Arn>`],
    });
    expect(granting('s3:PutObject')).toEqual({
      actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      resources: [
        `<${lake}.Arn>/clean/ste_pred/*`,
        `<${lake}.Arn>/errors/ste_pred/*`,
      ],
    });
    expect(granting('s3:ListBucket').resources).toEqual([`<${lake}.Arn>`]);
    expect(granting('logs:PutLogEvents').resources).toEqual([
      `arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:<${logGroup}>:log-stream:<${logStream}>`,
    ]);
  });
});

describe('DvaultStack buckets', () => {
  it('encrypts, blocks public access, refuses plain HTTP and logs access on every bucket', () => {
    const { stack, template } = synthStack();
    const logs = logicalIdOf(stack, stack.buckets.accessLogs);

    const buckets = resourcesOfType(template, 'AWS::S3::Bucket');

    expect(Object.keys(buckets)).toHaveLength(3);
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      if (id !== logs) {
        expect(
          textOf(
            (bucket.Properties.LoggingConfiguration as Record<string, unknown>)
              .DestinationBucketName,
          ),
        ).toBe(`<${logs}>`);
      }
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('expires dirty and error objects after the configured retention', () => {
    const { stack, template } = synthStack({ dirtyRetentionDays: 30 });

    const lake =
      template.toJSON().Resources[logicalIdOf(stack, stack.buckets.lake)];
    const rules = lake.Properties.LifecycleConfiguration.Rules as {
      Prefix?: string;
      ExpirationInDays?: number;
    }[];

    expect(
      rules.find((rule) => rule.Prefix === LakePrefix.Dirty),
    ).toMatchObject({ ExpirationInDays: 30 });
    expect(
      rules.find((rule) => rule.Prefix === LakePrefix.Errors),
    ).toMatchObject({ ExpirationInDays: 30 });
    expect(rules.some((rule) => rule.Prefix === LakePrefix.Clean)).toBe(false);
  });

  it('imports an existing landing bucket by name instead of creating one', () => {
    const { template } = synthStack({
      landingBucketName: 'acme-dvault-landing',
    });

    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: 'acme-dvault-landing',
    });
  });
});

describe('DvaultStack producer', () => {
  it('is invoked by every object created in the landing bucket', () => {
    const { stack, template } = synthStack();
    const producer = logicalIdOf(stack, stack.producer.handler.function);

    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalIdOf(stack, stack.buckets.landing) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            LambdaFunctionArn: { 'Fn::GetAtt': [producer, 'Arn'] },
          },
        ],
      },
    });
  });

  it('is invoked only for keys under the configured landing prefix', () => {
    const { template } = synthStack({ landingPrefix: 'incoming/' });

    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          Match.objectLike({
            Filter: {
              Key: {
                FilterRules: [{ Name: 'prefix', Value: 'incoming/' }],
              },
            },
          }),
        ],
      },
    });
  });

  it('runs on Node.js 24 on arm64 with the lake and stream prefix in its environment', () => {
    const { stack, template } = synthStack({ lambdaMemoryMiB: 1024 });

    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          DVAULT_LAKE_BUCKET: { Ref: logicalIdOf(stack, stack.buckets.lake) },
          DVAULT_STREAM_PREFIX: 'dvault-',
          POWERTOOLS_SERVICE_NAME: 'dvault-producer',
        }),
      },
    });
  });

  it('sends notifications that fail after two retries to an encrypted queue', () => {
    const { stack, template } = synthStack();
    const queue = logicalIdOf(stack, stack.producer.failures);

    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: {
        Ref: logicalIdOf(stack, stack.producer.handler.function),
      },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('may read landed files, write producer dirt and put records on every stream', () => {
    const { stack, template } = synthStack({ landingPrefix: 'incoming/' });
    const lake = logicalIdOf(stack, stack.buckets.lake);
    const landing = logicalIdOf(stack, stack.buckets.landing);

    const statements = statementsOf(
      stack,
      template,
      stack.producer.handler.role,
    );

    expect(statementGranting(statements, 's3:GetObject')).toEqual({
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [`<${landing}.Arn>/incoming/*`],
    });
    expect(statementGranting(statements, 's3:PutObject')).toEqual({
      actions: ['s3:PutObject'],
      resources: [`<${lake}.Arn>/dirty/_producer/*`],
    });
    expect(statementGranting(statements, 'kinesis:PutRecords')).toEqual({
      actions: [
        'kinesis:DescribeStreamSummary',
        'kinesis:PutRecord',
        'kinesis:PutRecords',
      ],
      resources: stack.pipelines
        .map((pipeline) => `<${logicalIdOf(stack, pipeline.stream)}.Arn>`)
        .sort(),
    });
  });
});

describe('DvaultStack transformer', () => {
  it('names its metrics namespace and service, and may write only under dirty/', () => {
    const { stack, template } = synthStack();
    const lake = logicalIdOf(stack, stack.buckets.lake);

    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: {
          DVAULT_LAKE_BUCKET: { Ref: lake },
          DVAULT_STREAM_PREFIX: 'dvault-',
          POWERTOOLS_SERVICE_NAME: 'dvault-transformer',
          POWERTOOLS_METRICS_NAMESPACE: 'dvault',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
      },
    });
    const statements = statementsOf(
      stack,
      template,
      stack.transformer.handler.role,
    );
    expect(statementGranting(statements, 's3:PutObject')).toEqual({
      actions: ['s3:PutObject'],
      resources: [`<${lake}.Arn>/dirty/*`],
    });
  });
});

describe('DvaultStack dirty table and Athena', () => {
  it('reads dirty JSON lines partitioned by intended table and day', () => {
    const { stack, template } = synthStack();
    const lake = logicalIdOf(stack, stack.buckets.lake);

    const input = glueTableOf(template, 'dirty_all');

    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.openx.data.jsonserde.JsonSerDe',
    );
    expect(input.PartitionKeys).toEqual([
      { Name: 'dirty_table', Type: 'string' },
      { Name: 'dt', Type: 'string' },
    ]);
    expect(input.Parameters['projection.dirty_table.type']).toBe('enum');
    expect(
      input.Parameters['projection.dirty_table.values'].split(','),
    ).toEqual([...TABLES.map((table) => table.name), '_producer']);
    expect(input.Parameters['projection.dt.range']).toBe('2020-01-01,NOW');
    expect(textOf(input.Parameters['storage.location.template'])).toBe(
      `s3://<${lake}>/dirty/\${dirty_table}/dt=\${dt}/`,
    );
    expect(input.StorageDescriptor.Columns).toEqual([
      { Name: 'event_id', Type: 'string' },
      { Name: 'kind', Type: 'string' },
      { Name: 'table', Type: 'string' },
      {
        Name: 'reasons',
        Type: 'array<struct<path:string,expected:string,actual:string,message:string>>',
      },
      { Name: 'raw', Type: 'string' },
      { Name: 'raw_bytes', Type: 'bigint' },
      { Name: 'raw_truncated', Type: 'boolean' },
      { Name: 'raw_base64', Type: 'string' },
      {
        Name: 'source',
        Type: 'struct<bucket:string,key:string,etag:string,version_id:string,index:bigint,offset:bigint>',
      },
      { Name: 'ingested_at', Type: 'bigint' },
      {
        Name: 'kinesis',
        Type: 'struct<shard_id:string,partition_key:string,sequence_number:string,subsequence_number:string,approximate_arrival_timestamp:bigint,stream_arn:string>',
      },
      { Name: 'processed_at', Type: 'bigint' },
    ]);
  });

  it('enforces an Athena workgroup that encrypts its results in the lake', () => {
    const { stack, template } = synthStack();
    const lake = logicalIdOf(stack, stack.buckets.lake);

    const workGroup = Object.values(
      resourcesOfType(template, 'AWS::Athena::WorkGroup'),
    )[0].Properties as {
      Name: string;
      RecursiveDeleteOption: boolean;
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: boolean;
        ResultConfiguration: {
          OutputLocation: unknown;
          EncryptionConfiguration: { EncryptionOption: string };
        };
      };
    };

    expect(workGroup.Name).toBe('dvault');
    expect(workGroup.RecursiveDeleteOption).toBe(true);
    expect(workGroup.WorkGroupConfiguration.EnforceWorkGroupConfiguration).toBe(
      true,
    );
    expect(
      workGroup.WorkGroupConfiguration.ResultConfiguration
        .EncryptionConfiguration,
    ).toEqual({ EncryptionOption: 'SSE_S3' });
    expect(
      textOf(
        workGroup.WorkGroupConfiguration.ResultConfiguration.OutputLocation,
      ),
    ).toBe(`s3://<${lake}>/athena-results/`);
  });

  it('names the database after the resource prefix', () => {
    const { template } = synthStack({ prefix: 'acme-dvault-' });

    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: { Name: 'acme_dvault' },
    });
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'acme-dvault-ste_pred',
    });
  });
});
