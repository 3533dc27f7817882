import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import type { KinesisMetadata } from '../schemas/DirtyRecord.js';

/**
 * The Kinesis coordinates of a Firehose record, as a dirty record keeps
 * them, or null when the delivery stream has no Kinesis source. Firehose
 * sends `subsequenceNumber` as a number although the published type says
 * string, and older samples show an empty string; both become a string,
 * and an empty one becomes null.
 *
 * @param stream the source stream's ARN from the invocation, if any
 */
export function kinesisMetadataOf(
  record: FirehoseTransformationEventRecord,
  stream: string | undefined,
): KinesisMetadata | null {
  const metadata = record.kinesisRecordMetadata;
  if (metadata === undefined || metadata === null) return null;
  return {
    shard_id: textOrNull(metadata.shardId),
    partition_key: textOrNull(metadata.partitionKey),
    sequence_number: textOrNull(metadata.sequenceNumber),
    subsequence_number: textOrNull(metadata.subsequenceNumber),
    approximate_arrival_timestamp: millisOrNull(
      metadata.approximateArrivalTimestamp,
    ),
    stream_arn: stream ?? null,
  };
}

function textOrNull(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  return typeof value === 'string' && value !== '' ? value : null;
}

// Lambda samples show the arrival time as an ISO string; Firehose sends
// epoch milliseconds. Keep milliseconds either way.
function millisOrNull(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}
