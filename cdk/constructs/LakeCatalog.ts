import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LakePrefix } from '../constants.js';
import { dirtyTableInput } from '../glue/dirtyTableInput.js';

/** The names and places the catalog needs. */
export interface LakeCatalogProps {
  /** The Glue database and Athena workgroup name. */
  readonly databaseName: string;
  /** The registry's table names, the values of the dirty partition. */
  readonly tableNames: readonly string[];
  readonly lake: s3.IBucket;
}

/**
 * The query side of the lake: the Glue database the per-table pipelines
 * add their tables to, the `dirty` table over quarantined records, and an
 * Athena workgroup whose settings (SSE-S3 results under `athena-results/`,
 * engine version 3, CloudWatch metrics) every query must use.
 */
export class LakeCatalog extends Construct {
  readonly database: glue.CfnDatabase;
  readonly dirtyTable: glue.CfnTable;
  readonly workGroup: athena.CfnWorkGroup;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: props.databaseName,
        description:
          'dvault events as typed tables (one per service and kind) and the dirty records.',
      },
    });
    this.dirtyTable = new glue.CfnTable(this, 'DirtyTable', {
      catalogId: account,
      databaseName: props.databaseName,
      tableInput: dirtyTableInput(props.tableNames, props.lake.bucketName),
    });
    this.dirtyTable.node.addDependency(this.database);
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.databaseName,
      description: 'Queries over the dvault lake.',
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.lake.bucketName}/${LakePrefix.AthenaResults}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }
}
