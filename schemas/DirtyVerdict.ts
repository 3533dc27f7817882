import type { DirtyKind } from './constants.js';
import type { DirtyReason } from './DirtyReason.js';
import type { TableSpec } from './TableSpec.js';

/**
 * Why an event is dirty: its kind, every reason found, and the table it was
 * meant for when routing got that far.
 */
export interface DirtyVerdict {
  table: TableSpec | null;
  kind: DirtyKind;
  eventId: string | null;
  reasons: DirtyReason[];
}
