import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import type { Column, TableSpec } from '../../schemas/index.js';
import { ALL_ROWS_SUFFIX, DATE_PARTITION } from '../constants.js';
import { athenaViewInput } from './athenaViewInput.js';
import { firstCopySql, quoted } from './firstCopySql.js';
import { dayOfPartition } from './viewCasts.js';

/**
 * The Athena view `<table>`: the rows of the Glue table `<table>_all`, one
 * per `event_id`, the earliest ingested (then by file and place in it), as
 * the local DuckDB view `<table>` keeps them. A copy may arrive on another
 * day than the first, so the view numbers copies across all days: a `dt`
 * filter on it does not spare the scan of the other days. `dt` is a date
 * here, as in the local view (the Glue table keeps the partition's text).
 *
 * @param table the registry table
 * @param databaseName the Glue database both live in
 */
export function cleanViewInput(
  table: TableSpec,
  databaseName: string,
): CfnTable.TableInputProperty {
  const columns: Column[] = [
    ...table.columns,
    { name: DATE_PARTITION, type: { kind: 'date' } },
  ];
  return athenaViewInput({
    name: table.name,
    description: `Clean ${table.kind} events of the ${table.service} service, one row per event_id; ${table.name}${ALL_ROWS_SUFFIX} keeps every delivered copy.`,
    databaseName,
    columns,
    sql: firstCopySql({
      columns: columns.map((column) => column.name),
      from: `${quoted(databaseName)}.${quoted(`${table.name}${ALL_ROWS_SUFFIX}`)}`,
      sameRecord: [quoted('event_id')],
      firstBy: ['ingested_at', 'source_key', 'source_index'].map(quoted),
      expressions: { [DATE_PARTITION]: dayOfPartition() },
    }),
  });
}
