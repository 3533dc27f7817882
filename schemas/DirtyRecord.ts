import type { DirtyKind } from './constants.js';
import type { DirtyReason } from './DirtyReason.js';
import type { Provenance } from './Provenance.js';

/** Where a dirty record was read from Kinesis, when it came through Firehose. */
export interface KinesisMetadata {
  shard_id: string | null;
  partition_key: string | null;
  sequence_number: string | null;
  subsequence_number: string | null;
  approximate_arrival_timestamp: number | null;
  stream_arn: string | null;
}

/**
 * One quarantined event or stretch of bytes, as one JSON line under
 * `dirty/<table>/dt=YYYY-MM-DD/`. `raw` is the original text, so the record
 * can be corrected and replayed through the producer.
 */
export interface DirtyRecord {
  event_id: string | null;
  kind: DirtyKind;
  /** The table the event was meant for, or `_producer` before routing. */
  table: string;
  reasons: DirtyReason[];
  raw: string;
  source: Provenance | null;
  ingested_at: number | null;
  kinesis: KinesisMetadata | null;
  processed_at: number;
}
