import { randomUUID } from 'node:crypto';
import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
} from 'aws-lambda';
import { MAX_INVOCATION_BYTES } from '../constants.js';
import type { DeliveryRecord } from './DeliveryRecord.js';

/** What every transformation event of one delivery stream names. */
export interface InvocationTarget {
  deliveryStreamArn: string;
  sourceKinesisStreamArn: string;
  region: string;
}

/** A transformation event with the buffered records it was built from. */
export interface Invocation {
  event: FirehoseTransformationEvent;
  records: DeliveryRecord[];
}

/**
 * Splits a buffer into transformation events as Firehose builds them for
 * a Kinesis source, each at most `maxBytes` of JSON text, so no request
 * goes past Lambda's limit. A single record above the limit still travels
 * alone; Kinesis's 1 MiB record cap keeps that from happening on AWS.
 *
 * @param records the buffered records, in stream order
 * @param target the delivery stream and its source stream
 * @param maxBytes the largest request, 6 MB unless a test says otherwise
 */
export function buildInvocations(
  records: readonly DeliveryRecord[],
  target: InvocationTarget,
  maxBytes = MAX_INVOCATION_BYTES,
): Invocation[] {
  const envelopeBytes = Buffer.byteLength(JSON.stringify(eventOf([], target)));
  const invocations: Invocation[] = [];
  let entries: FirehoseTransformationEventRecord[] = [];
  let batch: DeliveryRecord[] = [];
  let bytes = envelopeBytes;
  for (const record of records) {
    const entry = entryOf(record);
    const entryBytes = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (batch.length > 0 && bytes + entryBytes > maxBytes) {
      invocations.push({ event: eventOf(entries, target), records: batch });
      entries = [];
      batch = [];
      bytes = envelopeBytes;
    }
    entries.push(entry);
    batch.push(record);
    bytes += entryBytes;
  }
  if (batch.length > 0) {
    invocations.push({ event: eventOf(entries, target), records: batch });
  }
  return invocations;
}

function eventOf(
  records: FirehoseTransformationEventRecord[],
  target: InvocationTarget,
): FirehoseTransformationEvent {
  return {
    invocationId: randomUUID(),
    deliveryStreamArn: target.deliveryStreamArn,
    sourceKinesisStreamArn: target.sourceKinesisStreamArn,
    region: target.region,
    records,
  };
}

function entryOf(record: DeliveryRecord): FirehoseTransformationEventRecord {
  return {
    recordId: record.recordId,
    approximateArrivalTimestamp: record.arrivalMs,
    data: base64Of(record.data),
    kinesisRecordMetadata: {
      shardId: record.shardId,
      partitionKey: record.partitionKey,
      approximateArrivalTimestamp: record.arrivalMs,
      sequenceNumber: record.sequenceNumber,
      // Firehose sends a number here although @types/aws-lambda says string.
      subsequenceNumber: record.subsequenceNumber as unknown as string,
    },
  };
}

function base64Of(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString(
    'base64',
  );
}
