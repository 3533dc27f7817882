import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './constants.js';

/** How long a local invocation claims it may run, as Lambda's timeout. */
const LOCAL_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * A Lambda context for invoking a handler in this process: a fresh
 * request id per call, the function's name and ARN, and a clock for
 * `getRemainingTimeInMillis`. The callbacks of the old context API are
 * there only to satisfy the type.
 *
 * @param functionName the function the handler stands for
 */
export function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + LOCAL_TIMEOUT_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
