import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_RESOURCE_PREFIX, S3ObjectStore } from '../schemas/index.js';
import { METRICS_NAMESPACE } from './constants.js';
import { createTransformerHandler } from './createTransformerHandler.js';
import { TransformerConfigurationError } from './errors.js';

/**
 * The Lambda entry point of the Firehose transformation, shared by every
 * delivery stream. Configuration comes from the environment:
 * `DVAULT_LAKE_BUCKET` (required, where `dirty/` objects go),
 * `DVAULT_STREAM_PREFIX` (default `dvault-`), and Powertools' own
 * `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_LOG_LEVEL`.
 *
 * @example
 * // CDK: new lambda.Function(this, 'Transformer', {
 * //   handler: 'index.handler', // bundled from transformer/handler.ts
 * //   environment: { DVAULT_LAKE_BUCKET: lake.bucketName },
 * // });
 */
export const handler = createTransformerHandler({
  store: new S3ObjectStore(new S3Client({})),
  lakeBucket: requiredEnv('DVAULT_LAKE_BUCKET'),
  streamPrefix: process.env.DVAULT_STREAM_PREFIX || DEFAULT_RESOURCE_PREFIX,
  logger: new Logger(),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE }),
});

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new TransformerConfigurationError(
      `The transformer needs environment variable ${name}, which is not set.`,
    );
  }
  return value;
}
