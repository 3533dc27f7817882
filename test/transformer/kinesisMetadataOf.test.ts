import { describe, expect, it } from 'vitest';
import { kinesisMetadataOf } from '../../transformer/kinesisMetadataOf.js';
import {
  firehoseRecord,
  kinesisStreamArn,
  TEST_ARRIVAL,
} from '../helpers/firehoseEvents.js';

const STREAM = kinesisStreamArn('ste_event');

describe('kinesisMetadataOf', () => {
  it('keeps every coordinate of a record read from Kinesis', () => {
    const record = firehoseRecord('{}', { shard: 3, partitionKey: 'shape-1' });

    expect(kinesisMetadataOf(record, STREAM)).toEqual({
      shard_id: 'shardId-000000000003',
      partition_key: 'shape-1',
      sequence_number: record.kinesisRecordMetadata?.sequenceNumber,
      subsequence_number: '0',
      approximate_arrival_timestamp: TEST_ARRIVAL,
      stream_arn: STREAM,
    });
  });

  it.each([
    ['a number', 4, '4'],
    ['a string', '4', '4'],
    ['an empty string', '', null],
  ])('reads a subsequence number written as %s', (_, written, kept) => {
    const record = firehoseRecord('{}');
    const metadata = {
      ...record.kinesisRecordMetadata,
      subsequenceNumber: written,
    } as unknown as typeof record.kinesisRecordMetadata;

    expect(
      kinesisMetadataOf({ ...record, kinesisRecordMetadata: metadata }, STREAM)
        ?.subsequence_number,
    ).toBe(kept);
  });

  it('reads an arrival time written as an ISO string', () => {
    const record = firehoseRecord('{}');
    const metadata = {
      ...record.kinesisRecordMetadata,
      approximateArrivalTimestamp: '2012-04-23T18:25:43.511Z',
    } as unknown as typeof record.kinesisRecordMetadata;

    expect(
      kinesisMetadataOf({ ...record, kinesisRecordMetadata: metadata }, STREAM)
        ?.approximate_arrival_timestamp,
    ).toBe(Date.UTC(2012, 3, 23, 18, 25, 43, 511));
  });

  it('is null for a record without Kinesis metadata', () => {
    const record = firehoseRecord('{}', { metadata: 'absent' });

    expect(kinesisMetadataOf(record, STREAM)).toBeNull();
  });

  it('leaves the stream null when Firehose does not name it', () => {
    const record = firehoseRecord('{}');

    expect(kinesisMetadataOf(record, undefined)?.stream_arn).toBeNull();
  });
});
