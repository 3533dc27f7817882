import type * as t from 'io-ts';
import type { Column } from './ColumnType.js';
import type { EventKind } from './constants.js';
import type { DirtyReason } from './DirtyReason.js';

/** What the decoder knows besides the event when it builds a row. */
export interface RowContext {
  /** The service the event was routed by. */
  service: string;
  /** JSON text of the fields no schema names, or null. */
  extra: string | null;
  /** The provenance columns, null when the event came without them. */
  provenance: ProvenanceColumns;
}

/** The columns every row carries about where its event was read. */
export interface ProvenanceColumns {
  source_bucket: string | null;
  source_key: string | null;
  source_etag: string | null;
  source_version_id: string | null;
  source_index: number | null;
  source_offset: number | null;
  ingested_at: number | null;
}

/** A clean row: column name to value, timestamps as epoch milliseconds. */
export type Row = Record<string, unknown>;

/**
 * One table of the lake: the events of one service and kind, the codec
 * that decodes them, and the columns their rows fill, in order.
 */
export interface TableSpec {
  readonly name: string;
  readonly service: string;
  readonly kind: EventKind;
  readonly columns: readonly Column[];
  /** Decodes and normalises a whole event of this table. */
  readonly codec: t.Decoder<unknown, unknown>;
  /** Checks across fields of a decoded event at a processing time (epoch ms); empty when it is sound. */
  readonly check: (event: unknown, now: number) => DirtyReason[];
  /**
   * The same checks on an event its codec refused, as far as the JSON
   * types of the fields they compare allow, so that a dirty verdict lists
   * every fault found and not only the codec's.
   */
  readonly checkRefused: (value: unknown, now: number) => DirtyReason[];
  /** Builds the row of a decoded, checked event. */
  readonly toRow: (event: unknown, context: RowContext) => Row;
}
