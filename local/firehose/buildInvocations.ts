import { randomUUID } from 'node:crypto';
import type {
  FirehoseRecordMetadata,
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
  // Each entry is counted with a comma; the first one needs none.
  const envelopeBytes =
    Buffer.byteLength(JSON.stringify(eventOf([], target))) - 1;
  const invocations: Invocation[] = [];
  let entries: FirehoseTransformationEventRecord[] = [];
  let batch: DeliveryRecord[] = [];
  let bytes = envelopeBytes;
  for (const record of records) {
    const entry = entryOf(record);
    const entryBytes = entrySize(entry);
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

/** The JSON size of an entry whose strings are all empty and numbers 0. */
const EMPTY_ENTRY_BYTES = JSON.stringify({
  recordId: '',
  approximateArrivalTimestamp: 0,
  data: '',
  kinesisRecordMetadata: {
    shardId: '',
    partitionKey: '',
    approximateArrivalTimestamp: 0,
    sequenceNumber: '',
    subsequenceNumber: 0,
  },
}).length;

/** JSON text that needs no escapes: printable ASCII without `"` or `\`. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * An entry's JSON size plus its comma, added up from its parts: a buffer
 * holds tens of thousands of entries, and serialising each one only to
 * measure it costs more than building the event.
 */
function entrySize(entry: FirehoseTransformationEventRecord): number {
  const metadata = entry.kinesisRecordMetadata as FirehoseRecordMetadata;
  return (
    EMPTY_ENTRY_BYTES +
    1 +
    textBytes(entry.recordId) +
    2 * (String(entry.approximateArrivalTimestamp).length - 1) +
    entry.data.length +
    textBytes(metadata.shardId) +
    textBytes(metadata.partitionKey) +
    textBytes(metadata.sequenceNumber)
  );
}

/** The bytes a string adds inside its quotes. */
function textBytes(text: string): number {
  return PLAIN.test(text)
    ? text.length
    : Buffer.byteLength(JSON.stringify(text)) - 2;
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
