/** Records one PutRecords call may carry. */
export const MAX_RECORDS_PER_CALL = 500;

/** Bytes one PutRecords call may carry, data plus partition keys: 5 MiB. */
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

/** Bytes one Kinesis record may hold, data plus partition key: 1 MiB. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** Characters a Kinesis partition key may hold. */
export const MAX_PARTITION_KEY_LENGTH = 256;

/**
 * The longest object the splitter keeps while waiting for it to close:
 * 8 MiB. An object is parsed only once it closes, so its bytes must be
 * held until then, and this is what bounds that memory on a file of any
 * size. Real events stay under 25 KB, and a record over 1 MiB cannot go on
 * Kinesis anyway; the limit sits well above 1 MiB so that such events are
 * still parsed, routed and quarantined as `too_large` under their table
 * and event id with their whole text, ready for a fixed replay. Past it, an
 * object is followed to its end without being kept and quarantined as
 * `too_large` by offset and length, with its first `MAX_STRETCH_RAW_BYTES`.
 */
export const MAX_OBJECT_BYTES = 8 * 1024 * 1024;

/**
 * How much of an unparsable stretch or oversized object its dirty record
 * keeps: 1 MiB, so a dirty line stays readable and a part of dirty records
 * stays near `DIRTY_PART_BYTES`. The record says when it was cut
 * (`raw_truncated`, `raw_bytes`) and carries the offset, so the rest can
 * be read from the landed object, which stays in the landing bucket.
 */
export const MAX_STRETCH_RAW_BYTES = 1024 * 1024;

/**
 * Bytes of one file the splitter may scan a second time while looking for
 * the next event inside a broken object. Past it, a broken object is
 * quarantined whole, which keeps hostile input from costing quadratic time.
 */
export const MAX_RESCAN_BYTES = 64 * 1024 * 1024;

/** How many times the writer sends a record before giving up. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** The first retry's backoff ceiling; it doubles on every attempt. */
export const DEFAULT_BASE_DELAY_MS = 100;

/** No retry waits longer than this. */
export const MAX_DELAY_MS = 5_000;

/**
 * The size at which the producer writes out a part of a file's dirty
 * records, so a file full of bad events does not pile up in memory.
 */
export const DIRTY_PART_BYTES = 4 * 1024 * 1024;

/** What the splitter found at a place in a file. */
export const PieceKind = {
  /** A JSON object, parsed. */
  Event: 'event',
  /** Bytes that cannot go as an event; `StretchCause` says why. */
  Unparsable: 'unparsable',
} as const;
export type PieceKind = (typeof PieceKind)[keyof typeof PieceKind];

/** Why the splitter could not deliver a stretch of a file as an event. */
export const StretchCause = {
  /** Not a JSON object: stray bytes, a broken object, a truncated tail. */
  NotJson: 'not_json',
  /** A JSON object whose bytes are not valid UTF-8. */
  NotUtf8: 'not_utf8',
  /**
   * An object longer than `MAX_OBJECT_BYTES`, followed to its end but not
   * kept or parsed; the producer quarantines it as `too_large`.
   */
  Oversized: 'oversized',
} as const;
export type StretchCause = (typeof StretchCause)[keyof typeof StretchCause];

/**
 * Kinesis error codes (in a PutRecords entry or as an exception name) worth
 * another attempt: throttling and transient service faults.
 */
export const RETRYABLE_KINESIS_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'InternalFailure',
  'InternalFailureException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ThrottlingException',
  'KMSThrottlingException',
]);

/** What the Kinesis writer did with a record it was given. */
export const AddOutcome = {
  /** In a batch, sent with it. */
  Queued: 'queued',
  /** Over 1 MiB with its partition key: never sent, for quarantine. */
  TooLarge: 'too_large',
} as const;
export type AddOutcome = (typeof AddOutcome)[keyof typeof AddOutcome];

/** The lake prefix of quarantined records: `dirty/<table>/dt=.../`. */
export const DIRTY_PREFIX = 'dirty';

/** The content type of dirty objects: one JSON record per line. */
export const DIRTY_CONTENT_TYPE = 'application/x-ndjson';

/** Hex characters of the hash that names a dirty object. */
export const DIRTY_NAME_LENGTH = 32;

/** The lake prefix of replay markers: which dirty records went back. */
export const REPLAYED_PREFIX = 'replayed';

/** What replay did with one dirty record. */
export const ReplayOutcome = {
  /** Put back on its table's stream (or would be, in a dry run). */
  Replayed: 'replayed',
  /** Still fails routing, decoding or the size limit; left where it is. */
  StillDirty: 'still_dirty',
  /** A marker says an earlier run already put it back. */
  AlreadyReplayed: 'already_replayed',
} as const;
export type ReplayOutcome = (typeof ReplayOutcome)[keyof typeof ReplayOutcome];
