import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import type { Column, ColumnType } from '../../schemas/index.js';
import {
  DATE_PARTITION,
  DIRTY_GLUE_TABLE,
  DIRTY_TABLE_PARTITION,
  DIRTY_VIEW,
} from '../constants.js';
import { athenaViewInput } from './athenaViewInput.js';
import { DIRTY_COLUMNS } from './dirtyTableInput.js';
import { firstCopySql, quoted } from './firstCopySql.js';
import { dayOfPartition, timestampOfMillis } from './viewCasts.js';

/**
 * What makes two dirty records the same within a table and kind, as in the
 * local `dirty` view: the event's id (the producer gives every piece one);
 * without one the place it was read from, then the Kinesis record it came
 * in, then its raw text.
 */
const DIRTY_IDENTITY = `CASE
  WHEN "event_id" IS NOT NULL THEN 'event:' || "event_id"
  WHEN "source" IS NOT NULL THEN 'source:' || concat_ws('/', coalesce("source"."bucket", ''), coalesce("source"."key", ''), coalesce("source"."etag", "source"."version_id", ''), coalesce(CAST("source"."offset" AS varchar), ''))
  WHEN "kinesis" IS NOT NULL THEN 'kinesis:' || concat_ws('/', coalesce("kinesis"."stream_arn", ''), coalesce("kinesis"."shard_id", ''), coalesce("kinesis"."sequence_number", ''), coalesce("kinesis"."subsequence_number", ''))
  ELSE 'raw:' || to_hex(md5(to_utf8("raw")))
END`;

/**
 * The times a dirty record keeps as epoch milliseconds (`dirty_all` reads
 * them as bigint); the view answers with timestamps, as the local view.
 */
const EPOCH_MILLIS_COLUMNS = ['ingested_at', 'processed_at'];

const TIMESTAMP: ColumnType = { kind: 'timestamp' };

/**
 * The Athena view `dirty`: the records of the Glue table `dirty_all`, one
 * per table, kind and event, the earliest ingested (then processed, then
 * by object), so a record quarantined again on redelivery counts once.
 * Its columns are the dirty table's, whatever they are, and its two
 * partitions, with `ingested_at` and `processed_at` as timestamps and `dt`
 * as a date, the types the local `dirty` view has.
 *
 * @param databaseName the Glue database both live in
 */
export function dirtyViewInput(
  databaseName: string,
): CfnTable.TableInputProperty {
  const columns: Column[] = [
    ...Object.entries(DIRTY_COLUMNS).map(
      ([name, type]): Column => ({
        name,
        type: EPOCH_MILLIS_COLUMNS.includes(name) ? TIMESTAMP : type,
      }),
    ),
    { name: DIRTY_TABLE_PARTITION, type: { kind: 'string' } },
    { name: DATE_PARTITION, type: { kind: 'date' } },
  ];
  return athenaViewInput({
    name: DIRTY_VIEW,
    description: `Quarantined events, one record per table, kind and event; ${DIRTY_GLUE_TABLE} keeps every copy.`,
    databaseName,
    columns,
    sql: firstCopySql({
      columns: columns.map((column) => column.name),
      from: `${quoted(databaseName)}.${quoted(DIRTY_GLUE_TABLE)}`,
      sameRecord: [quoted('table'), quoted('kind'), DIRTY_IDENTITY],
      firstBy: [
        `${quoted('ingested_at')} NULLS LAST`,
        quoted('processed_at'),
        quoted('$path'),
      ],
      expressions: {
        ...Object.fromEntries(
          EPOCH_MILLIS_COLUMNS.map((name) => [name, timestampOfMillis(name)]),
        ),
        [DATE_PARTITION]: dayOfPartition(),
      },
    }),
  });
}
