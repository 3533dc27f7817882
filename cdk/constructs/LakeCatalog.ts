import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LakePrefix } from '../constants.js';
import { dirtyTableInput } from '../glue/dirtyTableInput.js';
import { dirtyViewInput } from '../glue/dirtyViewInput.js';
import { errorsTableInput } from '../glue/errorsTableInput.js';
import { errorsViewInput } from '../glue/errorsViewInput.js';

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
 * add their tables to, the `dirty_all` table over quarantined records and
 * the `dirty` view keeping one record per event, the `errors_all` table
 * over what Firehose kept under `errors/` and its `errors` view, and an
 * Athena workgroup whose settings (SSE-S3 results under `athena-results/`,
 * engine version 3, CloudWatch metrics) every query must use.
 */
export class LakeCatalog extends Construct {
  readonly database: glue.CfnDatabase;
  readonly dirtyTable: glue.CfnTable;
  readonly dirtyView: glue.CfnTable;
  readonly errorsTable: glue.CfnTable;
  readonly errorsView: glue.CfnTable;
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
    const { databaseName, tableNames, lake } = props;
    // A new id for `dirty_all`: Glue cannot rename the old `dirty` table.
    this.dirtyTable = this.catalogTable(
      'DirtyAllTable',
      databaseName,
      dirtyTableInput(tableNames, lake.bucketName),
      this.database,
    );
    this.dirtyView = this.catalogTable(
      'DirtyView',
      databaseName,
      dirtyViewInput(databaseName),
      this.dirtyTable,
    );
    this.errorsTable = this.catalogTable(
      'ErrorsAllTable',
      databaseName,
      errorsTableInput(tableNames, lake.bucketName),
      this.database,
    );
    this.errorsView = this.catalogTable(
      'ErrorsView',
      databaseName,
      errorsViewInput(databaseName),
      this.errorsTable,
    );
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.databaseName,
      description: 'Queries over the dvault lake.',
      state: 'ENABLED',
      // Query results are kept in the lake bucket; without this, deleting
      // the stack fails once the workgroup has run a query.
      recursiveDeleteOption: true,
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

  /** A table or view of the database, made after what it reads. */
  private catalogTable(
    id: string,
    databaseName: string,
    tableInput: glue.CfnTable.TableInputProperty,
    after: glue.CfnDatabase | glue.CfnTable,
  ): glue.CfnTable {
    const table = new glue.CfnTable(this, id, {
      catalogId: Stack.of(this).account,
      databaseName,
      tableInput,
    });
    table.node.addDependency(after);
    return table;
  }
}
