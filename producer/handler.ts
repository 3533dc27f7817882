import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, S3Event } from 'aws-lambda';
import {
  DEFAULT_RESOURCE_PREFIX,
  type Log,
  S3ObjectStore,
} from '../schemas/index.js';
import {
  createProducerHandler,
  type ProducerSummary,
} from './createProducerHandler.js';
import { ProducerConfigError } from './errors.js';

const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'dvault-producer',
});

const produce = createProducerHandler({
  kinesis: new KinesisClient({}),
  store: new S3ObjectStore(new S3Client({})),
  lakeBucket: requiredEnv('DVAULT_LAKE_BUCKET'),
  streamPrefix: process.env.DVAULT_STREAM_PREFIX || DEFAULT_RESOURCE_PREFIX,
  log: narrowLog(logger),
});

/**
 * The Lambda entry point for the landing bucket's `ObjectCreated`
 * notifications. Configuration comes from the environment:
 * `DVAULT_LAKE_BUCKET` (required, where `dirty/_producer/` objects go),
 * `DVAULT_STREAM_PREFIX` (default `dvault-`), and Powertools' own
 * `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_LOG_LEVEL`. Logs are one JSON
 * object per line, with the request id.
 *
 * @example
 * // CDK: new lambda.Function(this, 'Producer', {
 * //   handler: 'index.handler', // bundled from producer/handler.ts
 * //   environment: { DVAULT_LAKE_BUCKET: lake.bucketName },
 * // });
 */
export async function handler(
  event: S3Event,
  context: Context,
): Promise<ProducerSummary> {
  logger.addContext(context);
  const summary = await produce(event, context);
  logger.info('Produced the notification', { summary });
  return summary;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new ProducerConfigError(
      `The producer needs environment variable ${name}, which is not set.`,
    );
  }
  return value;
}

/**
 * The shared `Log` port over Powertools' logger. Its methods type their
 * extra arguments as `LogAttributes` (records with string keys), which a
 * plain `object` is not, so the port's calls are passed through as such.
 */
function narrowLog(powertools: Logger): Log {
  const attributes = (extra: object[]) => extra as LogAttributes[];
  return {
    debug: (message, ...extra) =>
      powertools.debug(message, ...attributes(extra)),
    info: (message, ...extra) => powertools.info(message, ...attributes(extra)),
    warn: (message, ...extra) => powertools.warn(message, ...attributes(extra)),
    error: (message, ...extra) =>
      powertools.error(message, ...attributes(extra)),
  };
}
