import { PipelineError } from '../schemas/errors.js';

/** The base of every error the producer raises. */
export class ProducerError extends PipelineError {}

/**
 * Kinesis did not accept every record of a batch within the allowed
 * attempts. The handler lets it escape, so the platform retries the file.
 */
export class DeliveryError extends ProducerError {}

/** A landed file could not be read from the object store. */
export class SourceReadError extends ProducerError {}

/** The producer's dirty records could not be written to the lake. */
export class QuarantineWriteError extends ProducerError {}

/** A notification names a key that does not decode (a malformed % escape). */
export class NotificationKeyError extends ProducerError {}

/** The handler's configuration is missing or wrong. */
export class ProducerConfigError extends ProducerError {}

/**
 * Some files of a notification could not be produced. The handler raises
 * it after trying every file, so the platform retries the notification;
 * `cause` holds the file's error, or an `AggregateError` of them.
 */
export class FileFailureError extends ProducerError {}
