import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecordResult } from '../../transformer/constants.js';
import type { TransformerHandler } from '../../transformer/createTransformerHandler.js';
import { TransformerConfigurationError } from '../../transformer/errors.js';
import { fakeContext, streamEventsEvent } from '../helpers/firehoseEvents.js';
import { sampleEventWithId } from './helpers.js';

const s3 = mockClient(S3Client);
const STE_SEARCH = 'bf322dd3-2675-fdec-8bf9-e97a2a14d708';

function dirtyEvent() {
  const event = sampleEventWithId(STE_SEARCH) as {
    detail: { evaluation: Record<string, unknown> };
  };
  delete event.detail.evaluation.shape_id;
  return event;
}

async function loadHandler(
  env: Record<string, string>,
): Promise<TransformerHandler> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  const module = await import('../../transformer/handler.js');
  return module.handler;
}

const BASE_ENV = {
  AWS_REGION: 'eu-west-1',
  DVAULT_LAKE_BUCKET: 'dvault-lake-123',
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_SERVICE_NAME: 'dvault-transformer',
};

beforeEach(() => {
  s3.reset();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the transformer Lambda entry', () => {
  it('quarantines dirty records in the bucket named by DVAULT_LAKE_BUCKET', async () => {
    s3.on(PutObjectCommand).resolves({});
    const handler = await loadHandler(BASE_ENV);

    const { records } = await handler(
      streamEventsEvent('ste_event', [dirtyEvent()]),
      fakeContext(),
    );

    expect(records[0].result).toBe(RecordResult.Dropped);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'dvault-lake-123',
      Key: expect.stringMatching(
        /^dirty\/ste_event\/dt=2026-03-02\/[0-9a-f]{32}\.jsonl$/,
      ),
      ContentType: 'application/x-ndjson',
    });
  });

  it('answers ProcessingFailed when S3 refuses the quarantine write', async () => {
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    const handler = await loadHandler(BASE_ENV);

    const { records } = await handler(
      streamEventsEvent('ste_event', [dirtyEvent()]),
    );

    expect(records[0].result).toBe(RecordResult.ProcessingFailed);
  });

  it('serves delivery streams named with DVAULT_STREAM_PREFIX', async () => {
    const handler = await loadHandler({
      ...BASE_ENV,
      DVAULT_STREAM_PREFIX: 'staging-',
    });

    const { records } = await handler(
      streamEventsEvent('ste_event', [sampleEventWithId(STE_SEARCH)], {
        prefix: 'staging-',
      }),
    );

    expect(records[0].result).toBe(RecordResult.Ok);
  });

  it('publishes its metrics in the dvault namespace', async () => {
    const handler = await loadHandler(BASE_ENV);

    await handler(
      streamEventsEvent('ste_event', [sampleEventWithId(STE_SEARCH)]),
    );
    const blobs = vi
      .mocked(console.log)
      .mock.calls.map((call) => JSON.parse(String(call[0])));

    expect(blobs[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'dvault' }] },
      service: 'dvault-transformer',
      table: 'ste_event',
      CleanRecords: 1,
    });
  });

  it('refuses to load without DVAULT_LAKE_BUCKET', async () => {
    await expect(
      loadHandler({ ...BASE_ENV, DVAULT_LAKE_BUCKET: '' }),
    ).rejects.toMatchObject({
      // Modules are loaded afresh, so the class is compared by name.
      name: TransformerConfigurationError.name,
      message: expect.stringContaining('DVAULT_LAKE_BUCKET'),
    });
  });
});
