import { Readable } from 'node:stream';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Context, S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProducerSummary } from '../../producer/createProducerHandler.js';
import { ProducerConfigError } from '../../producer/errors.js';
import { EVENTS } from '../helpers/dvaultEvents.js';
import { fakeContext, s3Event } from '../helpers/s3Events.js';
import { acceptAll } from './kinesisResponses.js';

const s3 = mockClient(S3Client);
const kinesis = mockClient(KinesisClient);

const BASE_ENV = {
  AWS_REGION: 'eu-west-1',
  DVAULT_LAKE_BUCKET: 'dvault-lake-123',
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_SERVICE_NAME: 'dvault-producer',
};

async function loadHandler(
  env: Record<string, string>,
): Promise<(event: S3Event, context: Context) => Promise<ProducerSummary>> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  const module = await import('../../producer/handler.js');
  return module.handler;
}

/** The JSON log lines Powertools wrote through `console.info`. */
function infoLogs(): Record<string, unknown>[] {
  return vi
    .mocked(console.info)
    .mock.calls.map(([line]) => JSON.parse(String(line)));
}

function landedText(): string {
  return `${JSON.stringify(EVENTS.ste_event())}not json`;
}

beforeEach(() => {
  s3.reset();
  kinesis.reset();
  kinesis.on(PutRecordsCommand).callsFake(acceptAll);
  s3.on(PutObjectCommand).resolves({});
  s3.on(GetObjectCommand).callsFake(async () => ({
    Body: Readable.from([Buffer.from(landedText())]),
    ETag: '"0f343b0931126a20f133d67c2b018a3b"',
  }));
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the producer Lambda entry', () => {
  it('puts records on streams named with DVAULT_STREAM_PREFIX and quarantines in DVAULT_LAKE_BUCKET', async () => {
    const handler = await loadHandler({
      ...BASE_ENV,
      DVAULT_STREAM_PREFIX: 'staging-',
    });

    const summary = await handler(
      s3Event({ bucket: 'dvault-landing', key: 'in/file 1' }),
      fakeContext(),
    );

    expect(summary).toEqual({
      files: 1,
      events: 2,
      sent: 1,
      records: { ste_event: 1 },
      quarantined: 1,
      dirty: { unparsable: 1 },
    });
    expect(kinesis).toHaveReceivedCommandWith(PutRecordsCommand, {
      StreamName: 'staging-ste_event',
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'dvault-lake-123',
      Key: expect.stringMatching(
        /^dirty\/_producer\/dt=\d{4}-\d\d-\d\d\/[0-9a-f]{32}\.jsonl$/,
      ),
    });
  });

  it('uses dvault- streams when no prefix is set', async () => {
    const handler = await loadHandler(BASE_ENV);

    await handler(
      s3Event({ bucket: 'dvault-landing', key: 'in/f' }),
      fakeContext(),
    );

    expect(kinesis).toHaveReceivedCommandWith(PutRecordsCommand, {
      StreamName: 'dvault-ste_event',
    });
  });

  it('logs one JSON object per file with the request id', async () => {
    const handler = await loadHandler(BASE_ENV);
    const context = fakeContext();

    await handler(s3Event({ bucket: 'dvault-landing', key: 'in/f' }), context);

    expect(infoLogs()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'Produced a landed file',
        service: 'dvault-producer',
        function_request_id: context.awsRequestId,
        bucket: 'dvault-landing',
        key: 'in/f',
        etag: '0f343b0931126a20f133d67c2b018a3b',
        events: 2,
        sent: 1,
        quarantined: 1,
        records: { ste_event: 1 },
        dirty: { unparsable: 1 },
        dirty_keys: [expect.stringMatching(/^dirty\/_producer\//)],
      }),
      expect.objectContaining({
        level: 'INFO',
        message: 'Produced the notification',
        summary: expect.objectContaining({ files: 1 }),
      }),
    ]);
  });

  it('refuses to load without DVAULT_LAKE_BUCKET', async () => {
    const { DVAULT_LAKE_BUCKET: _, ...env } = BASE_ENV;
    vi.stubEnv('DVAULT_LAKE_BUCKET', '');

    const loading = loadHandler(env);

    await expect(loading).rejects.toThrow(
      'The producer needs environment variable DVAULT_LAKE_BUCKET, which is not set.',
    );
    await expect(loading).rejects.toHaveProperty(
      'name',
      ProducerConfigError.name,
    );
  });
});
