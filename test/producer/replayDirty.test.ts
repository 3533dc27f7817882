import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplayOutcome } from '../../producer/constants.js';
import {
  type ReplayDirtyOptions,
  replayDirty,
} from '../../producer/replayDirty.js';
import {
  DirectoryObjectStore,
  type DirtyRecord,
  type Provenance,
} from '../../schemas/index.js';
import { EVENTS } from '../helpers/dvaultEvents.js';
import { acceptAll } from './kinesisResponses.js';

const kinesis = mockClient(KinesisClient);
const NOW = Date.UTC(2022, 4, 2, 10, 0, 0);

type Json = Record<string, unknown>;

const SOURCE: Provenance = {
  bucket: 'dvault-landing',
  key: 'in/file-1',
  etag: 'e1',
  version_id: null,
  index: 4,
  offset: 812,
};

/** A dirty record as the producer or transformer writes it. */
function dirtyRecord(
  raw: string,
  overrides: Partial<DirtyRecord> = {},
): DirtyRecord {
  return {
    event_id: 'ev-1',
    kind: 'unroutable',
    table: '_producer',
    reasons: [],
    raw,
    source: SOURCE,
    ingested_at: NOW - 1000,
    kinesis: null,
    processed_at: NOW - 1000,
    ...overrides,
  };
}

/** An ste evaluation that lost its service and prediction id. */
function orphanText(id = 'ev-1'): string {
  const event: Json = { ...EVENTS.ste_event(), id };
  const body = (event.detail as Json).evaluation as Json;
  delete body.service;
  body.prediction_id = null;
  return JSON.stringify(event);
}

/** Puts the service back, as a data scientist's fix would. */
function restoreService(event: unknown): unknown {
  const body = ((event as Json).detail as Json).evaluation as Json;
  return {
    ...(event as Json),
    detail: {
      ...((event as Json).detail as Json),
      evaluation: { ...body, service: 'ste' },
    },
  };
}

describe('replayDirty', () => {
  let lakeDir: string;
  let store: DirectoryObjectStore;

  async function writeDirty(key: string, records: DirtyRecord[]) {
    const lines = records.map((record) => JSON.stringify(record)).join('\n');
    await store.put('lake', key, `${lines}\n`);
  }

  function replay(options: Partial<ReplayDirtyOptions> = {}) {
    return replayDirty({
      store,
      lakeBucket: 'lake',
      kinesis: new KinesisClient({ region: 'eu-west-1' }),
      now: () => NOW,
      baseDelayMs: 0,
      ...options,
    });
  }

  function sentRecords(): { stream: string; key: string; record: Json }[] {
    return kinesis.commandCalls(PutRecordsCommand).flatMap((call) =>
      (call.args[0].input.Records ?? []).map((entry) => ({
        stream: call.args[0].input.StreamName ?? '',
        key: entry.PartitionKey ?? '',
        record: JSON.parse(Buffer.from(entry.Data ?? []).toString('utf8')),
      })),
    );
  }

  beforeEach(async () => {
    kinesis.reset();
    kinesis.on(PutRecordsCommand).callsFake(acceptAll);
    lakeDir = await mkdtemp(join(tmpdir(), 'dvault-replay-'));
    store = new DirectoryObjectStore({ lake: lakeDir });
  });

  afterEach(async () => {
    await rm(lakeDir, { recursive: true, force: true });
  });

  it('puts a fixed event back on its stream with its original provenance', async () => {
    await writeDirty('dirty/_producer/dt=2022-05-01/a.jsonl', [
      dirtyRecord(orphanText()),
    ]);

    const summary = await replay({ fix: restoreService });

    expect(summary).toMatchObject({
      considered: 1,
      replayed: 1,
      stillDirty: 0,
      alreadyReplayed: 0,
      records: { ste_event: 1 },
    });
    const [sent, ...others] = sentRecords();
    expect(others).toEqual([]);
    expect(sent?.stream).toBe('dvault-ste_event');
    expect(sent?.record.source).toEqual(SOURCE);
    expect(sent?.record.ingested_at).toBe(NOW);
    expect(sent?.record.event).toEqual(
      restoreService(JSON.parse(orphanText())),
    );
  });

  it('records what it replayed so a second run sends nothing', async () => {
    await writeDirty('dirty/_producer/dt=2022-05-01/a.jsonl', [
      dirtyRecord(orphanText()),
    ]);

    const first = await replay({ fix: restoreService });
    kinesis.resetHistory();
    const second = await replay({ fix: restoreService });

    expect(first.marker).toMatch(
      /^replayed\/dt=2022-05-02\/[0-9a-f]{32}\.json$/,
    );
    const marker = JSON.parse(
      await readFile(store.pathOf('lake', first.marker ?? ''), 'utf8'),
    );
    expect(marker).toEqual({
      replayed_at: NOW,
      ids: [expect.stringMatching(/^ev-1#[0-9a-f]{16}$/)],
    });
    expect(second).toMatchObject({
      replayed: 0,
      alreadyReplayed: 1,
      marker: null,
    });
    expect(kinesis).not.toHaveReceivedCommand(PutRecordsCommand);
  });

  it('leaves an event that still fails validation where it is, with the reasons', async () => {
    await writeDirty('dirty/_producer/dt=2022-05-01/a.jsonl', [
      dirtyRecord(orphanText()),
    ]);

    const summary = await replay();

    expect(summary).toMatchObject({ replayed: 0, stillDirty: 1, marker: null });
    expect(summary.items[0]).toMatchObject({
      outcome: ReplayOutcome.StillDirty,
      kindBefore: 'unroutable',
      table: null,
      reasons: [expect.objectContaining({ path: 'detail.evaluation.service' })],
    });
    expect(kinesis).not.toHaveReceivedCommand(PutRecordsCommand);
  });

  it('replays the original bytes when no fix is given', async () => {
    const text = JSON.stringify({ ...EVENTS.ste_event(), id: 'ev-2' }).replace(
      '"version":"0"',
      '"version" : "0"',
    );
    await writeDirty('dirty/ste_event/dt=2022-05-01/b.jsonl', [
      dirtyRecord(text, {
        event_id: 'ev-2',
        kind: 'invalid',
        table: 'ste_event',
      }),
    ]);

    await replay();

    const data =
      kinesis.commandCalls(PutRecordsCommand)[0]?.args[0].input.Records?.[0]
        ?.Data;
    expect(Buffer.from(data ?? []).toString('utf8')).toContain(
      `,"event":${text}}`,
    );
  });

  it('reports before and after in a dry run, sending and recording nothing', async () => {
    const unroutable = {
      path: 'detail.evaluation.service',
      expected: 'a service or a prediction_id naming one',
      actual: 'nothing (the field is absent)',
      message: 'No service.',
    };
    await writeDirty('dirty/_producer/dt=2022-05-01/a.jsonl', [
      dirtyRecord(orphanText(), { reasons: [unroutable] }),
      dirtyRecord('{"version":"0",', { event_id: null, kind: 'unparsable' }),
    ]);

    const summary = await replay({ fix: restoreService, dryRun: true });

    expect(summary.items).toEqual([
      {
        key: 'dirty/_producer/dt=2022-05-01/a.jsonl',
        line: 0,
        eventId: 'ev-1',
        kindBefore: 'unroutable',
        reasonsBefore: [unroutable],
        outcome: ReplayOutcome.Replayed,
        table: 'ste_event',
        reasons: [],
        text: JSON.stringify(restoreService(JSON.parse(orphanText()))),
      },
      expect.objectContaining({
        line: 1,
        kindBefore: 'unparsable',
        outcome: ReplayOutcome.StillDirty,
        reasons: [
          expect.objectContaining({
            message: expect.stringMatching(
              /^The event could not be read or fixed: /,
            ),
          }),
        ],
      }),
    ]);
    expect(summary.marker).toBeNull();
    expect(kinesis).not.toHaveReceivedCommand(PutRecordsCommand);
    const markers: string[] = [];
    for await (const key of store.list('lake', 'replayed/')) markers.push(key);
    expect(markers).toEqual([]);
  });

  it('leaves a record whose raw text was cut where it is, even with a fix, naming where the original is', async () => {
    const text = orphanText();
    await writeDirty('dirty/_producer/dt=2022-05-01/a.jsonl', [
      dirtyRecord(text.slice(0, 40), {
        kind: 'too_large',
        raw_bytes: 9_437_300,
        raw_truncated: true,
      }),
    ]);

    const summary = await replay({ fix: restoreService });

    expect(summary).toMatchObject({ replayed: 0, stillDirty: 1 });
    expect(summary.items[0]?.reasons).toEqual([
      expect.objectContaining({
        message:
          'The dirty record keeps only the start of the original 9437300 bytes (s3://dvault-landing/in/file-1 from byte 812), so it cannot be replayed from the record.',
      }),
    ]);
    expect(kinesis).not.toHaveReceivedCommand(PutRecordsCommand);
  });

  it('replays a record whose bytes were not UTF-8 only through a fix', async () => {
    const text = JSON.stringify({ ...EVENTS.ste_event(), id: 'ev-4' });
    const record = dirtyRecord(text, {
      event_id: 'ev-4',
      kind: 'unparsable',
      raw_base64: Buffer.from(text).toString('base64'),
    });
    await writeDirty('dirty/_producer/dt=2022-05-01/a.jsonl', [record]);

    const unfixed = await replay();
    const fixed = await replay({ fix: (event) => event });

    expect(unfixed).toMatchObject({ replayed: 0, stillDirty: 1 });
    expect(unfixed.items[0]?.reasons[0]?.message).toBe(
      'The original bytes (s3://dvault-landing/in/file-1 from byte 812) are not valid UTF-8 and raw reads them as U+FFFD; replay the record with a fix that says what the event holds.',
    );
    expect(fixed).toMatchObject({ replayed: 1, records: { ste_event: 1 } });
    expect(sentRecords()).toHaveLength(1);
  });

  it('reads only the dirty folders of the tables asked for', async () => {
    await writeDirty('dirty/_producer/dt=2022-05-01/a.jsonl', [
      dirtyRecord(orphanText('ev-1')),
    ]);
    await writeDirty('dirty/ste_event/dt=2022-05-01/b.jsonl', [
      dirtyRecord(orphanText('ev-3'), { event_id: 'ev-3', table: 'ste_event' }),
    ]);

    const summary = await replay({
      fix: restoreService,
      tables: ['ste_event'],
    });

    expect(summary.items.map((item) => item.eventId)).toEqual(['ev-3']);
    expect(
      sentRecords().map(({ record }) => (record.event as Json).id),
    ).toEqual(['ev-3']);
  });

  it('sends a record found twice only once', async () => {
    const record = dirtyRecord(orphanText());
    await writeDirty('dirty/_producer/dt=2022-05-01/a.jsonl', [record]);
    await writeDirty('dirty/_producer/dt=2022-05-02/b.jsonl', [record]);

    const summary = await replay({ fix: restoreService });

    expect(summary).toMatchObject({ replayed: 1, alreadyReplayed: 1 });
    expect(sentRecords()).toHaveLength(1);
  });
});
