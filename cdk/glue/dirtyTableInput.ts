import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import {
  type ColumnType,
  type DirtyReason,
  type DirtyRecord,
  type KinesisMetadata,
  PRODUCER_DIRTY_TABLE,
  type Provenance,
} from '../../schemas/index.js';
import {
  DIRTY_GLUE_TABLE,
  DIRTY_TABLE_PARTITION,
  LakePrefix,
} from '../constants.js';
import { jsonTableInput } from './jsonTableInput.js';

/** A column type for every field of T: the compiler spots a field missed. */
type ColumnsOf<T> = { readonly [K in keyof T]-?: ColumnType };

const STRING: ColumnType = { kind: 'string' };
const BIGINT: ColumnType = { kind: 'bigint' };
const BOOLEAN: ColumnType = { kind: 'boolean' };

function struct<T>(fields: ColumnsOf<T>): ColumnType {
  return {
    kind: 'struct',
    fields: Object.entries<ColumnType>(fields).map(([name, type]) => ({
      name,
      type,
    })),
  };
}

const REASON_FIELDS: ColumnsOf<DirtyReason> = {
  path: STRING,
  expected: STRING,
  actual: STRING,
  message: STRING,
};

const SOURCE_FIELDS: ColumnsOf<Provenance> = {
  bucket: STRING,
  key: STRING,
  etag: STRING,
  version_id: STRING,
  index: BIGINT,
  offset: BIGINT,
};

const KINESIS_FIELDS: ColumnsOf<KinesisMetadata> = {
  shard_id: STRING,
  partition_key: STRING,
  sequence_number: STRING,
  subsequence_number: STRING,
  approximate_arrival_timestamp: BIGINT,
  stream_arn: STRING,
};

/**
 * The columns of a dirty record's JSON line, typed field by field against
 * `DirtyRecord`, so a field added to the record without a column here
 * fails type checking. Times are epoch milliseconds, hence bigint. The
 * `raw_*` fields only the producer writes read as null elsewhere.
 */
export const DIRTY_COLUMNS: ColumnsOf<DirtyRecord> = {
  event_id: STRING,
  kind: STRING,
  table: STRING,
  reasons: { kind: 'array', element: struct(REASON_FIELDS) },
  raw: STRING,
  raw_bytes: BIGINT,
  raw_truncated: BOOLEAN,
  raw_base64: STRING,
  source: struct(SOURCE_FIELDS),
  ingested_at: BIGINT,
  kinesis: struct(KINESIS_FIELDS),
  processed_at: BIGINT,
};

/**
 * The Glue table over `dirty/`: one JSON line per quarantined event, read
 * with the OpenX SerDe, partitioned by the table the event was meant for
 * (`dirty_table`: the registry's tables and `_producer`) and by day.
 *
 * @param tableNames the registry's table names
 * @param lakeBucketName the lake bucket's name (a token is fine)
 */
export function dirtyTableInput(
  tableNames: readonly string[],
  lakeBucketName: string,
): CfnTable.TableInputProperty {
  return jsonTableInput({
    name: DIRTY_GLUE_TABLE,
    description:
      'Quarantined events with the reasons they were rejected, one JSON line each.',
    location: `s3://${lakeBucketName}/${LakePrefix.Dirty}`,
    columns: Object.entries(DIRTY_COLUMNS).map(([name, type]) => ({
      name,
      type,
    })),
    partitions: [
      {
        name: DIRTY_TABLE_PARTITION,
        values: [...tableNames, PRODUCER_DIRTY_TABLE],
      },
    ],
  });
}
