import { randomUUID } from 'node:crypto';
import type {
  Context,
  FirehoseTransformationEvent,
  FirehoseTransformationResult,
} from 'aws-lambda';
import type { Log } from '../../schemas/ports/Log.js';
import {
  FirehoseError,
  MAX_INVOCATION_ATTEMPTS,
  MAX_INVOCATION_BYTES,
} from '../constants.js';
import { lambdaContext } from '../lambdaContext.js';
import {
  buildInvocations,
  type Invocation,
  type InvocationTarget,
} from './buildInvocations.js';
import {
  checkTransformationResponse,
  failAll,
  type RecordOutcome,
} from './checkTransformationResponse.js';
import type { DeliveryRecord } from './DeliveryRecord.js';

/** A Firehose transformation Lambda handler, called in this process. */
export type TransformationHandler = (
  event: FirehoseTransformationEvent,
  context?: Context,
) => Promise<FirehoseTransformationResult>;

/** What transforming one buffer needs. */
export interface TransformBatchOptions {
  transform: TransformationHandler;
  target: InvocationTarget;
  log: Log;
  /** The request and response limit; 6 MB unless a test says otherwise. */
  maxBytes?: number;
}

/** Each record's outcome, with the attempts its invocation took. */
export interface TransformedRecord {
  outcome: RecordOutcome;
  attemptsMade: number;
}

/**
 * Transforms a buffer as Firehose does: splits it into events within the
 * request limit, invokes the handler on each (again, up to four attempts,
 * when it throws), and holds every answer to the response contract.
 *
 * @param records the buffered records, in stream order
 * @param options the handler, the delivery stream, a log
 */
export async function transformBatch(
  records: readonly DeliveryRecord[],
  options: TransformBatchOptions,
): Promise<TransformedRecord[]> {
  const maxBytes = options.maxBytes ?? MAX_INVOCATION_BYTES;
  const results: TransformedRecord[] = [];
  for (const invocation of buildInvocations(
    records,
    options.target,
    maxBytes,
  )) {
    const { outcomes, attemptsMade } = await invoke(
      invocation,
      options,
      maxBytes,
    );
    for (const outcome of outcomes) results.push({ outcome, attemptsMade });
  }
  return results;
}

async function invoke(
  invocation: Invocation,
  options: TransformBatchOptions,
  maxBytes: number,
) {
  for (let attempt = 1; attempt <= MAX_INVOCATION_ATTEMPTS; attempt++) {
    const event = { ...invocation.event, invocationId: randomUUID() };
    try {
      const response = await options.transform(
        event,
        lambdaContext('dvault-transformer'),
      );
      const outcomes = checkTransformationResponse(
        invocation,
        response,
        maxBytes,
      );
      return { outcomes, attemptsMade: attempt };
    } catch (error) {
      options.log.warn('The transformer threw; Firehose would invoke again.', {
        invocation_id: event.invocationId,
        attempt,
        error: errorFields(error),
      });
    }
  }
  return {
    outcomes: failAll(invocation.records, FirehoseError.FunctionError),
    attemptsMade: MAX_INVOCATION_ATTEMPTS,
  };
}

function errorFields(error: unknown) {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { message: String(error) };
}
