import type {
  DirtyReason,
  KinesisMetadata,
  Provenance,
} from '../../schemas/index.js';
import type { ListedKind } from './constants.js';

/**
 * A dirty record's fields for anything that did not become a clean row:
 * a line of `dirty/` as the producer or transformer wrote it, or a
 * Firehose error line read the same way. `raw` is the event's own text
 * when it can be recovered, else the bytes that were kept.
 */
export interface FailedEvent {
  event_id: string | null;
  kind: ListedKind;
  /** The table the event was meant for, or `_producer` before routing. */
  table: string;
  reasons: DirtyReason[];
  raw: string;
  source: Provenance | null;
  ingested_at: number | null;
  kinesis: KinesisMetadata | null;
  processed_at: number | null;
}

/** A failed event and where in the lake it is kept. */
export interface FailureRecord extends FailedEvent {
  /** The lake object (its S3 key) holding the record. */
  object_key: string;
  /** The record's line in that object, from 0 (people read from 1). */
  line: number;
}
