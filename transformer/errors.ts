import { PipelineError } from '../schemas/errors.js';

/** The base of every error the transformer raises. */
export class TransformerError extends PipelineError {}

/**
 * The invocation names a delivery stream that serves no known table, so
 * no record of it can be decoded or quarantined: a deployment mistake.
 */
export class UnknownDeliveryStreamError extends TransformerError {}

/** The invocation is not a Firehose transformation event at all. */
export class InvalidTransformationEventError extends TransformerError {}

/**
 * Even answering every record with its own input data would exceed the
 * response limit, so no valid response exists. Lambda's request limit
 * makes this impossible on AWS; a local caller can still cause it.
 */
export class ResponseLimitError extends TransformerError {}

/** A quarantine object could not be written. */
export class QuarantineWriteError extends TransformerError {}

/** The Lambda's environment lacks a setting the handler needs. */
export class TransformerConfigurationError extends TransformerError {}
