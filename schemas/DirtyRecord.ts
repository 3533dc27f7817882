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
 *
 * The producer also says how faithful `raw` is: `raw_bytes` is the
 * original's length, `raw_truncated` marks a `raw` that holds only its
 * first bytes (the rest stays in the landed object, from `source.offset`),
 * and `raw_base64` holds the kept bytes as they were when they are not
 * valid UTF-8, since `raw` then reads them as U+FFFD. The three are absent
 * from the transformer's records, whose `raw` is always the whole record.
 */
export interface DirtyRecord {
  event_id: string | null;
  kind: DirtyKind;
  /** The table the event was meant for, or `_producer` before routing. */
  table: string;
  reasons: DirtyReason[];
  raw: string;
  /** The original's length in bytes, whether `raw` holds all of it or not. */
  raw_bytes?: number;
  /** Whether `raw` holds only the original's first bytes. */
  raw_truncated?: boolean;
  /** The bytes of `raw` as they were, in base64, when they are not UTF-8. */
  raw_base64?: string;
  source: Provenance | null;
  ingested_at: number | null;
  kinesis: KinesisMetadata | null;
  processed_at: number;
}
