import { describe, expect, it } from 'vitest';
import { buildInvocations } from '../../../local/firehose/buildInvocations.js';
import type { DeliveryRecord } from '../../../local/firehose/DeliveryRecord.js';
import { ARRIVAL, deliveryRecords } from '../helpers/deliveryRecords.js';

const TARGET = {
  deliveryStreamArn:
    'arn:aws:firehose:local:000000000000:deliverystream/dvault-ste_event',
  sourceKinesisStreamArn:
    'arn:aws:kinesis:local:000000000000:stream/dvault-ste_event',
  region: 'local',
};

describe('buildInvocations', () => {
  it('builds a Firehose transformation event with Kinesis metadata for each record', () => {
    const record = deliveryRecords(['{"a":1}'])[0] as DeliveryRecord;

    const [invocation] = buildInvocations([record], TARGET);

    expect(invocation?.event).toEqual({
      invocationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...TARGET,
      records: [
        {
          recordId: record.recordId,
          approximateArrivalTimestamp: ARRIVAL,
          data: Buffer.from('{"a":1}').toString('base64'),
          kinesisRecordMetadata: {
            shardId: 'shardId-000000000000',
            partitionKey: 'shape-0',
            approximateArrivalTimestamp: ARRIVAL,
            sequenceNumber: record.sequenceNumber,
            subsequenceNumber: 0,
          },
        },
      ],
    });
    expect(invocation?.records).toEqual([record]);
  });

  it('splits a buffer so that no request exceeds the size limit', () => {
    const records = deliveryRecords(
      Array.from({ length: 50 }, () => 'x'.repeat(3000)),
    );

    const invocations = buildInvocations(records, TARGET, 20_000);

    const sizes = invocations.map((i) =>
      Buffer.byteLength(JSON.stringify(i.event)),
    );
    expect(invocations.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(20_000);
    expect(invocations.flatMap((i) => i.records)).toEqual(records);
  });

  it('sends a record larger than the limit alone rather than not at all', () => {
    const records = deliveryRecords(['small', 'y'.repeat(30_000), 'small']);

    const invocations = buildInvocations(records, TARGET, 20_000);

    expect(invocations.map((i) => i.records.length)).toEqual([1, 1, 1]);
  });
  it('measures requests to the byte, escapes and non-ASCII keys included', () => {
    const records = deliveryRecords(['{"a":"é"}', 'plain']).map(
      (record, i) => ({
        ...record,
        partitionKey: i === 0 ? 'shape "ü"\\' : record.partitionKey,
      }),
    );
    const exact = Buffer.byteLength(
      JSON.stringify(buildInvocations(records, TARGET)[0]?.event),
    );

    expect(buildInvocations(records, TARGET, exact)).toHaveLength(1);
    expect(buildInvocations(records, TARGET, exact - 1)).toHaveLength(2);
  });
});
