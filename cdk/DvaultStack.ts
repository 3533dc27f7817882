import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { resourceNameFor, TABLES, type TableSpec } from '../schemas/index.js';
import {
  ALL_ROWS_SUFFIX,
  DIRTY_GLUE_TABLE,
  DIRTY_VIEW,
  ERRORS_GLUE_TABLE,
  ERRORS_VIEW,
  LOG_RETENTION,
} from './constants.js';
import { LakeBuckets } from './constructs/LakeBuckets.js';
import { LakeCatalog } from './constructs/LakeCatalog.js';
import { PipelineMonitoring } from './constructs/PipelineMonitoring.js';
import { ProducerFunction } from './constructs/ProducerFunction.js';
import { TablePipeline } from './constructs/TablePipeline.js';
import { TransformerFunction } from './constructs/TransformerFunction.js';
import { type DvaultConfig, resolveConfig } from './DvaultConfig.js';
import { TableDeploymentError } from './errors.js';

/** The stack's properties: any settings to override, and the tables. */
export interface DvaultStackProps extends StackProps, Partial<DvaultConfig> {
  /** The tables to deploy; the schemas' registry unless given. */
  readonly tables?: readonly TableSpec[];
}

/**
 * The whole pipeline on AWS, built from the table registry: buckets, the
 * producer, one stream, Glue table (`<table>_all`), de-duplicating Athena
 * view (`<table>`) and delivery stream per table, the shared transformer,
 * the dirty table and view, an Athena workgroup, alarms and a dashboard. Adding a table to the registry adds its resources here.
 *
 * @example
 * const app = new App();
 * new DvaultStack(app, 'Dvault', {
 *   shardCount: 2,
 *   shardCounts: { summarizer_event: 4 },
 * });
 */
export class DvaultStack extends Stack {
  readonly config: DvaultConfig;
  readonly buckets: LakeBuckets;
  readonly catalog: LakeCatalog;
  readonly transformer: TransformerFunction;
  readonly pipelines: readonly TablePipeline[];
  readonly producer: ProducerFunction;
  readonly monitoring: PipelineMonitoring;

  constructor(scope: Construct, id: string, props: DvaultStackProps = {}) {
    super(scope, id, props);
    const given = props.tables ?? TABLES;
    this.config = resolveConfig(
      props,
      given.map((table) => table.name),
    );
    const tables = checkedTables(given, this.config.prefix);
    const databaseName = databaseNameFor(this.config.prefix);

    this.buckets = new LakeBuckets(this, 'Buckets', this.config);
    this.catalog = new LakeCatalog(this, 'Catalog', {
      databaseName,
      tableNames: tables.map((table) => table.name),
      lake: this.buckets.lake,
    });
    this.transformer = new TransformerFunction(this, 'Transformer', {
      lake: this.buckets.lake,
      streamPrefix: this.config.prefix,
      memorySize: this.config.lambdaMemoryMiB,
    });
    this.pipelines = this.tablePipelines(tables, databaseName);
    this.producer = new ProducerFunction(this, 'Producer', {
      landing: this.buckets.landing,
      landingPrefix: this.config.landingPrefix,
      lake: this.buckets.lake,
      streams: this.pipelines.map((pipeline) => pipeline.stream),
      streamPrefix: this.config.prefix,
      memorySize: this.config.lambdaMemoryMiB,
    });
    this.monitoring = this.pipelineMonitoring(databaseName);
    this.outputs(databaseName);
  }

  private tablePipelines(
    tables: readonly TableSpec[],
    databaseName: string,
  ): TablePipeline[] {
    const deliveryLogs = new logs.LogGroup(this, 'DeliveryLogs', {
      retention: LOG_RETENTION,
    });
    return tables.map(
      (table) =>
        new TablePipeline(this, `Table-${table.name}`, {
          table,
          prefix: this.config.prefix,
          database: this.catalog.database,
          databaseName,
          lake: this.buckets.lake,
          transformer: this.transformer.handler.function,
          deliveryLogs,
          shardCount: this.shardCountOf(table.name),
          bufferSizeMiB: this.config.bufferSizeMiB,
          bufferIntervalSeconds: this.config.bufferIntervalSeconds,
        }),
    );
  }

  // `Object.hasOwn`, not `??` alone: a table called `constructor` would
  // otherwise find the prototype's function.
  private shardCountOf(table: string): number {
    const { shardCount, shardCounts } = this.config;
    return Object.hasOwn(shardCounts, table) ? shardCounts[table] : shardCount;
  }

  private pipelineMonitoring(dashboardName: string): PipelineMonitoring {
    return new PipelineMonitoring(this, 'Monitoring', {
      prefix: this.config.prefix,
      dashboardName,
      tables: this.pipelines.map((pipeline) => ({
        name: pipeline.tableName,
        stream: pipeline.stream,
        deliveryStreamName: pipeline.resourceName,
      })),
      functions: [
        { label: 'producer', function: this.producer.handler.function },
        { label: 'transformer', function: this.transformer.handler.function },
      ],
      failures: this.producer.failures,
      bufferIntervalSeconds: this.config.bufferIntervalSeconds,
      dirtyShareThreshold: this.config.dirtyShareThreshold,
      alarmEmail: this.config.alarmEmail,
    });
  }

  private outputs(databaseName: string): void {
    new CfnOutput(this, 'LandingBucketName', {
      value: this.buckets.landing.bucketName,
      description: 'Drop dvault files here.',
    });
    new CfnOutput(this, 'LakeBucketName', {
      value: this.buckets.lake.bucketName,
      description: 'Clean Parquet, dirty records and errors.',
    });
    new CfnOutput(this, 'AthenaWorkGroup', {
      value: this.catalog.workGroup.ref,
      description: `Query the Glue database ${databaseName} in this workgroup.`,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Subscribe here to be told of alarms.',
    });
  }
}

/**
 * The Glue database and Athena workgroup name for a resource prefix:
 * `dvault-` gives `dvault` (Athena database names take no hyphens).
 */
export function databaseNameFor(prefix: string): string {
  return prefix.replaceAll('-', '_').replace(/_+$/, '');
}

/** The Glue names the catalog itself takes: the dirty and error records'. */
const RESERVED_CATALOG_NAMES = [
  DIRTY_VIEW,
  DIRTY_GLUE_TABLE,
  ERRORS_VIEW,
  ERRORS_GLUE_TABLE,
];

/** Firehose's limit on a delivery stream name (Kinesis allows 128). */
const MAX_RESOURCE_NAME = 64;
const TABLE_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Checks that every table can be deployed: a lower_snake_case name (Glue
 * and the lake layout need it), whose view and `_all` table names no other
 * table and none of the dirty and error records' names take, and short
 * enough with the prefix for a delivery stream name.
 */
function checkedTables(
  tables: readonly TableSpec[],
  prefix: string,
): readonly TableSpec[] {
  const names = tables.map((table) => table.name);
  names.forEach((name, index) => {
    const earlier = [
      ...RESERVED_CATALOG_NAMES,
      ...names.slice(0, index).flatMap(catalogNames),
    ];
    const problem = tableNameProblem(
      name,
      prefix,
      catalogNames(name).some((taken) => earlier.includes(taken)),
    );
    if (problem !== undefined) {
      throw new TableDeploymentError(
        `Table ${JSON.stringify(name)} cannot be deployed: ${problem}.`,
      );
    }
  });
  return tables;
}

/** The Glue names a table takes: its view and its table of every row. */
function catalogNames(name: string): string[] {
  return [name, `${name}${ALL_ROWS_SUFFIX}`];
}

function tableNameProblem(
  name: string,
  prefix: string,
  repeated: boolean,
): string | undefined {
  if (!TABLE_NAME.test(name)) {
    return 'Glue and the lake layout need a lower_snake_case name';
  }
  if (repeated) {
    return `the name is taken (a table takes its name and its name with "${ALL_ROWS_SUFFIX}" in Glue, and ${RESERVED_CATALOG_NAMES.map((n) => `"${n}"`).join(', ')} are the dirty and error records')`;
  }
  const resourceName = resourceNameFor(name, prefix);
  if (resourceName.length > MAX_RESOURCE_NAME) {
    return `its stream name ${resourceName} is longer than the ${MAX_RESOURCE_NAME} characters Firehose allows`;
  }
  return undefined;
}
