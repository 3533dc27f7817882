import type { DeliveryRecord } from '../../../local/firehose/DeliveryRecord.js';

/** A fixed arrival time: 2026-03-02T10:15:30.000Z. */
export const ARRIVAL = Date.UTC(2026, 2, 2, 10, 15, 30);

/**
 * Buffered records as a local delivery stream holds them after reading
 * Kinesis: 56-digit sequence numbers, ids made of sequence and
 * subsequence, one shard.
 */
export function deliveryRecords(texts: readonly string[]): DeliveryRecord[] {
  return texts.map((text, index) => {
    const sequenceNumber = (
      49_636_604_002_855_157_398_639_321_286_259_680_911_899_983_401_516_000_000n +
      BigInt(index)
    ).toString();
    return {
      recordId: `${sequenceNumber}000000`,
      data: Buffer.from(text),
      arrivalMs: ARRIVAL + index,
      shardId: 'shardId-000000000000',
      partitionKey: `shape-${index}`,
      sequenceNumber,
      subsequenceNumber: 0,
    };
  });
}
