/**
 * One Kinesis record as a local delivery stream holds it between reading
 * and delivery: the bytes the producer put, and where they were read.
 */
export interface DeliveryRecord {
  /** The id the transformer must answer with; unique in the stream. */
  recordId: string;
  data: Uint8Array;
  /** When Kinesis accepted the record, epoch milliseconds. */
  arrivalMs: number;
  shardId: string;
  partitionKey: string;
  sequenceNumber: string;
  /** Always 0: the producer does not aggregate records. */
  subsequenceNumber: number;
}
