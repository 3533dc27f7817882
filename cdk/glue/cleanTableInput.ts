import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import { glueColumns, type TableSpec } from '../../schemas/index.js';
import { DATE_PARTITION, HiveClass, LakePrefix } from '../constants.js';
import { dateProjection } from './dateProjection.js';

/**
 * The Glue table of one registry table: the schemas' columns, Parquet
 * storage under `clean/<table>/`, and `dt` projected by day. Firehose
 * converts records against this very table, so its columns are the
 * Parquet schema.
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
    name: table.name,
    description: `Clean ${table.kind} events of the ${table.service} service, one row per event.`,
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
