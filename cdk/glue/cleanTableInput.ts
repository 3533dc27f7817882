import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import { glueColumns, type TableSpec } from '../../schemas/index.js';
import {
  ALL_ROWS_SUFFIX,
  DATE_PARTITION,
  HiveClass,
  LakePrefix,
} from '../constants.js';
import { dateProjection } from './dateProjection.js';

/**
 * The Glue table `<table>_all` of one registry table: the schemas'
 * columns, Parquet storage under `clean/<table>/`, and `dt` projected by
 * day. Firehose converts records against this very table, so its columns
 * are the Parquet schema. It holds every delivered copy; the view
 * `<table>` (see `cleanViewInput`) keeps one per event.
 *
 * @param table the registry table
 * @param lakeBucketName the lake bucket's name (a token is fine)
 */
export function cleanTableInput(
  table: TableSpec,
  lakeBucketName: string,
): CfnTable.TableInputProperty {
  const location = `s3://${lakeBucketName}/${LakePrefix.Clean}${table.name}/`;
  return {
    name: `${table.name}${ALL_ROWS_SUFFIX}`,
    description: `Clean ${table.kind} events of the ${table.service} service, every delivered copy; the view ${table.name} keeps one per event_id.`,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      classification: 'parquet',
      EXTERNAL: 'TRUE',
      'projection.enabled': 'true',
      ...dateProjection(),
      'storage.location.template': `${location}${DATE_PARTITION}=\${${DATE_PARTITION}}/`,
    },
    partitionKeys: [{ name: DATE_PARTITION, type: 'string' }],
    storageDescriptor: {
      columns: glueColumns(table),
      location,
      inputFormat: HiveClass.ParquetInputFormat,
      outputFormat: HiveClass.ParquetOutputFormat,
      serdeInfo: {
        serializationLibrary: HiveClass.ParquetSerDe,
        parameters: { 'serialization.format': '1' },
      },
    },
  };
}
