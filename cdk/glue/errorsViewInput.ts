import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import type { Column } from '../../schemas/index.js';
import {
  ERROR_TYPE_PARTITION,
  ERRORS_GLUE_TABLE,
  ERRORS_TABLE_PARTITION,
  ERRORS_VIEW,
} from '../constants.js';
import { athenaViewInput } from './athenaViewInput.js';
import { quoted } from './firstCopySql.js';
import { timestampOfMillis } from './viewCasts.js';

/** Each column of the view, its type and the expression that fills it. */
const ERRORS_VIEW_COLUMNS: readonly (Column & { sql: string })[] = [
  {
    name: 'table',
    type: { kind: 'string' },
    sql: quoted(ERRORS_TABLE_PARTITION),
  },
  {
    name: 'error_type',
    type: { kind: 'string' },
    sql: quoted(ERROR_TYPE_PARTITION),
  },
  { name: 'error_code', type: { kind: 'string' }, sql: quoted('errorcode') },
  {
    name: 'error_message',
    type: { kind: 'string' },
    sql: quoted('errormessage'),
  },
  {
    name: 'arrived_at',
    type: { kind: 'timestamp' },
    sql: timestampOfMillis('arrivaltimestamp'),
  },
  { name: 'attempts_made', type: { kind: 'int' }, sql: quoted('attemptsmade') },
  { name: 'raw_data', type: { kind: 'string' }, sql: quoted('rawdata') },
  { name: 'filename', type: { kind: 'string' }, sql: quoted('$path') },
];

/**
 * The Athena view `errors`: every record Firehose kept under `errors/`,
 * with the columns, names and types of the local `errors` view (the
 * table, the error type, its code and message, when the record arrived,
 * the attempts, the record's base64 data, the object it is in). Firehose
 * does not write a record there twice, so nothing is de-duplicated.
 *
 * @param databaseName the Glue database both live in
 */
export function errorsViewInput(
  databaseName: string,
): CfnTable.TableInputProperty {
  const select = ERRORS_VIEW_COLUMNS.map(
    ({ name, sql }) => `${sql} AS ${quoted(name)}`,
  ).join(', ');
  return athenaViewInput({
    name: ERRORS_VIEW,
    description: `Records Firehose kept instead of delivering, one row each; ${ERRORS_GLUE_TABLE} holds them as written.`,
    databaseName,
    columns: ERRORS_VIEW_COLUMNS.map(({ name, type }) => ({ name, type })),
    sql: `SELECT ${select} FROM ${quoted(databaseName)}.${quoted(ERRORS_GLUE_TABLE)}`,
  });
}
