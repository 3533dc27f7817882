import { PipelineError } from '../schemas/errors.js';

/** The base of every error the local runner and command line raise. */
export class LocalRunError extends PipelineError {}

/** The embedded Kinesis server could not start or a stream not be made. */
export class EmbeddedKinesisError extends LocalRunError {}

/** A batch could not be written to the lake as Parquet. */
export class ParquetWriteError extends LocalRunError {}

/**
 * A local delivery stream gave up on a batch it could not deliver, for a
 * reason no record of the batch explains; the run ends with it.
 */
export class DeliveryStreamError extends LocalRunError {}

/** A query against the lake failed. */
export class LakeQueryError extends LocalRunError {}

/** A command-line argument is not usable (a missing folder, a bad number). */
export class CommandArgumentError extends LocalRunError {}

/** A transformed record's value does not fit its column's type. */
export class ColumnMismatchError extends LocalRunError {}
