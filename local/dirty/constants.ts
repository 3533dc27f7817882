import { DirtyKind } from '../../schemas/index.js';
import { FailureKind } from '../constants.js';

/**
 * Every kind `dvault dirty` lists: the six dirty kinds the producer and
 * transformer quarantine under `dirty/`, and the two Firehose keeps under
 * `errors/` (named as the run summary counts them).
 */
export const ListedKind = { ...DirtyKind, ...FailureKind } as const;
export type ListedKind = (typeof ListedKind)[keyof typeof ListedKind];

/** The lake prefix of quarantined records. */
export const DIRTY_FOLDER = 'dirty';

/** The lake prefix of the records Firehose could not deliver. */
export const ERRORS_FOLDER = 'errors';

/** How many records `dvault dirty` explains unless told otherwise. */
export const DEFAULT_LISTED_RECORDS = 20;
