import { randomUUID } from 'node:crypto';
import type {
  Context,
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
} from 'aws-lambda';
import { resourceNameFor } from '../../schemas/naming.js';
import type { Provenance } from '../../schemas/Provenance.js';
import { encodeStreamRecord } from '../../schemas/StreamRecord.js';

/**
 * Factories for Firehose transformation events with a Kinesis stream
 * source, shaped like the ones Firehose really sends: 56-digit sequence
 * numbers, record ids made of the sequence and subsequence numbers,
 * arrival times in epoch milliseconds, and `subsequenceNumber` as a JSON
 * number (the published type says string).
 */

export const TEST_REGION = 'eu-west-1';
export const TEST_ACCOUNT = '123456789012';
/** A fixed arrival time: 2026-03-02T10:15:30.000Z. */
export const TEST_ARRIVAL = Date.UTC(2026, 2, 2, 10, 15, 30);

const SEQUENCE_BASE =
  49_636_604_002_855_157_398_639_321_286_259_680_911_899_983_401_516_000_000n;

/** The ARN of a table's delivery stream. */
export function deliveryStreamArn(
  table: string,
  { region = TEST_REGION, prefix = 'dvault-' } = {},
): string {
  return `arn:aws:firehose:${region}:${TEST_ACCOUNT}:deliverystream/${resourceNameFor(table, prefix)}`;
}

/** The ARN of a table's Kinesis stream. */
export function kinesisStreamArn(
  table: string,
  { region = TEST_REGION, prefix = 'dvault-' } = {},
): string {
  return `arn:aws:kinesis:${region}:${TEST_ACCOUNT}:stream/${resourceNameFor(table, prefix)}`;
}

/** Provenance as the producer attaches it, for the event at `index`. */
export function provenanceFor(
  index: number,
  overrides: Partial<Provenance> = {},
): Provenance {
  return {
    bucket: 'dvault-landing',
    key: 'dvault/dvault-prod-stream-1-2026-03-02-10-15-00-test',
    etag: '9b2cf535f27731c974343645a3985328',
    version_id: null,
    index,
    offset: index * 1024,
    ...overrides,
  };
}

/**
 * The Kinesis record text the producer writes around an event. The event
 * may be given as text, which is kept byte for byte, or as a value.
 */
export function streamRecordText(
  event: unknown,
  { source = provenanceFor(0), ingestedAt = TEST_ARRIVAL - 1_000 } = {},
): string {
  const text = typeof event === 'string' ? event : JSON.stringify(event);
  return encodeStreamRecord(source, ingestedAt, text);
}

/** How a record's Kinesis metadata is written. */
export type MetadataStyle = 'number' | 'string' | 'absent';

/** Options of one Firehose record. */
export interface RecordOptions {
  /** The record's position in its batch: picks sequence and id. */
  index?: number;
  shard?: number;
  partitionKey?: string;
  arrival?: number;
  /** `number` (what Firehose sends), `string`, or `absent` (Direct PUT). */
  metadata?: MetadataStyle;
}

/**
 * One Firehose record carrying `payload`: text is encoded as UTF-8, bytes
 * are taken as they are, then both are base64-encoded like Firehose does.
 */
export function firehoseRecord(
  payload: string | Uint8Array,
  options: RecordOptions = {},
): FirehoseTransformationEventRecord {
  const { index = 0, arrival = TEST_ARRIVAL, metadata = 'number' } = options;
  const sequenceNumber = (SEQUENCE_BASE + BigInt(index) * 7n).toString();
  const record: FirehoseTransformationEventRecord = {
    recordId: `${sequenceNumber}000000`,
    approximateArrivalTimestamp: arrival,
    data: Buffer.from(payload).toString('base64'),
  };
  if (metadata === 'absent') return record;
  record.kinesisRecordMetadata = {
    shardId: `shardId-${String(options.shard ?? 0).padStart(12, '0')}`,
    partitionKey: options.partitionKey ?? randomUUID(),
    approximateArrivalTimestamp: arrival,
    sequenceNumber,
    // Firehose sends a number here although @types/aws-lambda says string.
    subsequenceNumber: (metadata === 'number' ? 0 : '0') as unknown as string,
  };
  return record;
}

/** Options of a whole invocation. */
export interface EventOptions {
  region?: string;
  prefix?: string;
  invocationId?: string;
}

/** A transformation event of `table`'s delivery stream. */
export function firehoseEvent(
  table: string,
  records: FirehoseTransformationEventRecord[],
  {
    region = TEST_REGION,
    prefix = 'dvault-',
    invocationId = randomUUID(),
  }: EventOptions = {},
): FirehoseTransformationEvent {
  return {
    invocationId,
    deliveryStreamArn: deliveryStreamArn(table, { region, prefix }),
    sourceKinesisStreamArn: kinesisStreamArn(table, { region, prefix }),
    region,
    records,
  };
}

/**
 * A transformation event whose records carry `events` the way the
 * producer puts them: each wrapped in a stream record with provenance.
 */
export function streamEventsEvent(
  table: string,
  events: readonly unknown[],
  options: EventOptions = {},
): FirehoseTransformationEvent {
  const records = events.map((event, index) =>
    firehoseRecord(streamRecordText(event, { source: provenanceFor(index) }), {
      index,
      shard: index % 4,
    }),
  );
  return firehoseEvent(table, records, options);
}

/** A Lambda context with no behaviour, for handlers that read it. */
export function fakeContext(overrides: Partial<Context> = {}): Context {
  const functionName = 'dvault-transformer';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/03/02/[$LATEST]abcdef123456abcdef123456abcdef12',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
