import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import type { Column } from '../../schemas/index.js';
import {
  ERROR_TYPE_PARTITION,
  ERRORS_GLUE_TABLE,
  ERRORS_TABLE_PARTITION,
  FIREHOSE_ERROR_TYPES,
  LakePrefix,
} from '../constants.js';
import { jsonTableInput } from './jsonTableInput.js';

/**
 * The fields of Firehose's error records, both kinds in one list: a
 * `processing-failed` record says `errorCode`, a `format-conversion-failed`
 * one `ErrorCode`. The OpenX SerDe matches keys regardless of case, so one
 * lower-case column reads either spelling. Times are epoch milliseconds.
 */
export const ERRORS_COLUMNS: readonly Column[] = [
  { name: 'attemptsmade', type: { kind: 'int' } },
  { name: 'arrivaltimestamp', type: { kind: 'bigint' } },
  { name: 'errorcode', type: { kind: 'string' } },
  { name: 'errormessage', type: { kind: 'string' } },
  { name: 'attemptendingtimestamp', type: { kind: 'bigint' } },
  { name: 'rawdata', type: { kind: 'string' } },
  { name: 'lambdaarn', type: { kind: 'string' } },
  { name: 'sequencenumber', type: { kind: 'string' } },
  { name: 'subsequencenumber', type: { kind: 'bigint' } },
];

/**
 * The Glue table over `errors/`: the records Firehose kept instead of
 * delivering, one JSON line each, as it writes them under the stack's
 * error prefix `errors/<table>/<error-output-type>/dt=<day>/`, and
 * partitioned the same way (`errors_table`, `error_type`, `dt`).
 *
 * @param tableNames the registry's table names
 * @param lakeBucketName the lake bucket's name (a token is fine)
 */
export function errorsTableInput(
  tableNames: readonly string[],
  lakeBucketName: string,
): CfnTable.TableInputProperty {
  return jsonTableInput({
    name: ERRORS_GLUE_TABLE,
    description:
      'Records Firehose kept instead of delivering (transformation or format conversion failed), as it wrote them.',
    location: `s3://${lakeBucketName}/${LakePrefix.Errors}`,
    columns: ERRORS_COLUMNS,
    partitions: [
      { name: ERRORS_TABLE_PARTITION, values: tableNames },
      { name: ERROR_TYPE_PARTITION, values: FIREHOSE_ERROR_TYPES },
    ],
    serdeParameters: { 'case.insensitive': 'true' },
  });
}
