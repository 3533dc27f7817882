/** The two kinds of dvault event, by their EventBridge `detail-type`. */
export const DetailType = {
  Prediction: 'DVaultPredictionEvent',
  Evaluation: 'DVaultEvaluationEvent',
} as const;
export type DetailType = (typeof DetailType)[keyof typeof DetailType];

/** The kind of a table: a service's predictions or its evaluations. */
export const EventKind = {
  Prediction: 'prediction',
  Evaluation: 'evaluation',
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** The EventBridge `source` every dvault event carries. */
export const DVAULT_SOURCE = 'SHAPE.DVault';

/**
 * Why an event or a stretch of bytes did not become a clean row. Every
 * dirty record carries exactly one kind; metrics and summaries group by it.
 */
export const DirtyKind = {
  /** Bytes of a landed file that are not JSON. */
  Unparsable: 'unparsable',
  /** No service and no `prediction_id` to take one from, or not an event. */
  Unroutable: 'unroutable',
  /** A service no schema module describes yet. */
  UnknownService: 'unknown_service',
  /** Breaks its table's codec or a cross-field check. */
  Invalid: 'invalid',
  /** Arrived on another table's stream. */
  Misrouted: 'misrouted',
  /** Larger than a Kinesis record may be. */
  TooLarge: 'too_large',
} as const;
export type DirtyKind = (typeof DirtyKind)[keyof typeof DirtyKind];

/** Where producer-side dirty records go: `dirty/_producer/...`. */
export const PRODUCER_DIRTY_TABLE = '_producer';

/** Earliest timestamp the contract accepts: 2020-01-01T00:00:00Z. */
export const MIN_TIMESTAMP_MS = Date.UTC(2020, 0, 1);

/** How far past the processing time a timestamp may lie: one day. */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;
