import { Readable } from 'node:stream';
import {
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsCommandInput,
} from '@aws-sdk/client-kinesis';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { replayCommand } from '../../../local/commands/replay.js';
import { CommandArgumentError } from '../../../local/errors.js';
import { replayDeployed } from '../../../local/replay/replayDeployed.js';
import type { DirtyRecord } from '../../../schemas/index.js';
import { EVENTS } from '../../helpers/dvaultEvents.js';
import { acceptAll } from '../../producer/kinesisResponses.js';

const s3 = mockClient(S3Client);
const kinesis = mockClient(KinesisClient);
const BUCKET = 'acme-dvault-lake';
const DIRTY_KEY = 'dirty/_producer/dt=2026-12-01/0a1b.jsonl';

type Json = Record<string, any>;

/** An ste evaluation that lost its service and prediction id. */
function orphan(id: string): Json {
  const event: Json = { ...EVENTS.ste_event(), id };
  delete event.detail.evaluation.service;
  event.detail.evaluation.prediction_id = null;
  return event;
}

function dirtyLine(event: Json): DirtyRecord {
  return {
    event_id: event.id,
    kind: 'unroutable',
    table: '_producer',
    reasons: [],
    raw: JSON.stringify(event),
    source: {
      bucket: 'acme-landing',
      key: 'in/file-1',
      etag: 'e1',
      version_id: null,
      index: 3,
      offset: 900,
    },
    ingested_at: 1_764_547_200_000,
    kinesis: null,
    processed_at: 1_764_547_200_000,
  };
}

/** The deployed lake: one dirty object, and the markers written so far. */
function lakeWith(objects: Record<string, string>) {
  s3.on(ListObjectsV2Command).callsFake(async (input: { Prefix: string }) => ({
    Contents: Object.keys(objects)
      .filter((key) => key.startsWith(input.Prefix))
      .map((Key) => ({ Key })),
  }));
  s3.on(GetObjectCommand).callsFake(async (input: { Key: string }) => ({
    Body: Readable.from([Buffer.from(objects[input.Key] ?? '')]),
    ETag: '"e"',
  }));
  s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
    objects[input.Key as string] = String(input.Body);
    return {};
  });
}

function restoreService(event: unknown): unknown {
  const copy = structuredClone(event) as Json;
  copy.detail.evaluation.service = 'ste';
  return copy;
}

beforeEach(() => {
  s3.reset();
  kinesis.reset();
  kinesis.on(PutRecordsCommand).callsFake(acceptAll);
});

describe('replayDeployed', () => {
  it("puts the fixed events on the stack's streams with their provenance and records them in the bucket", async () => {
    const objects = {
      [DIRTY_KEY]: `${JSON.stringify(dirtyLine(orphan('ev-1')))}\n`,
    };
    lakeWith(objects);

    const report = await replayDeployed({
      bucket: BUCKET,
      prefix: 'acme-',
      fix: restoreService,
      s3: new S3Client({}),
      kinesis: new KinesisClient({}),
    });

    expect(report).toMatchObject({
      dry_run: false,
      replayed: 1,
      records: { ste_event: 1 },
      delivered: null,
    });
    const calls = kinesis.commandCalls(PutRecordsCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input as PutRecordsCommandInput;
    expect(input.StreamName).toBe('acme-ste_event');
    const record = JSON.parse(
      Buffer.from(input.Records?.[0]?.Data ?? []).toString('utf8'),
    );
    expect(record.source).toMatchObject({ key: 'in/file-1', offset: 900 });
    expect(record.event.detail.evaluation.service).toBe('ste');
    expect(Object.keys(objects)).toContainEqual(
      expect.stringMatching(
        /^replayed\/dt=\d{4}-\d{2}-\d{2}\/[0-9a-f]{32}\.json$/,
      ),
    );
  });

  it('sends nothing a second time, and nothing in a dry run', async () => {
    const objects = {
      [DIRTY_KEY]: `${JSON.stringify(dirtyLine(orphan('ev-2')))}\n`,
    };
    lakeWith(objects);
    const clients = { s3: new S3Client({}), kinesis: new KinesisClient({}) };

    const dry = await replayDeployed({
      bucket: BUCKET,
      fix: restoreService,
      dryRun: true,
      ...clients,
    });
    await replayDeployed({ bucket: BUCKET, fix: restoreService, ...clients });
    const again = await replayDeployed({
      bucket: BUCKET,
      fix: restoreService,
      ...clients,
    });

    expect(dry).toMatchObject({ dry_run: true, replayed: 1, marker: null });
    expect(again).toMatchObject({ replayed: 0, already_replayed: 1 });
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(1);
  });
});

describe('dvault replay targets', () => {
  it.each([
    [
      {},
      'Give either --lake DIR (a local run) or --bucket NAME (a deployed stack), not both.',
    ],
    [
      { lake: '/tmp/lake', bucket: BUCKET },
      'Give either --lake DIR (a local run) or --bucket NAME (a deployed stack), not both.',
    ],
    [{ lake: '/tmp/lake', prefix: 'acme-' }, '--prefix goes with --bucket.'],
  ])('refuses %j', async (options, message) => {
    await expect(replayCommand(options)).rejects.toThrow(
      new CommandArgumentError(message),
    );
  });
});
