import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DirectoryObjectStore, tableNamed } from '../../schemas/index.js';
import {
  MAX_RESPONSE_BYTES,
  RecordResult,
} from '../../transformer/constants.js';
import { createTransformerHandler } from '../../transformer/createTransformerHandler.js';
import {
  InvalidTransformationEventError,
  ResponseLimitError,
  UnknownDeliveryStreamError,
} from '../../transformer/errors.js';
import {
  fakeContext,
  firehoseEvent,
  firehoseRecord,
  type MetadataStyle,
  provenanceFor,
  streamEventsEvent,
  streamRecordText,
} from '../helpers/firehoseEvents.js';
import {
  decodeData,
  MemoryObjectStore,
  metricValue,
  sampleEventWithId,
  transformerSetup,
} from './helpers.js';

const STE_SEARCH = 'bf322dd3-2675-fdec-8bf9-e97a2a14d708';
const STE_PRED = 'd019501d-cb97-b864-c46b-a7676ba95d40';
const HEADLINE_PUBLISH = '7bed9233-b984-f2fa-8a7c-e14c92a73e9c';

// Tests reach into events freely.
type Mutable = any;

function steSearch(mutate: (event: Mutable) => void = () => undefined) {
  const event = sampleEventWithId(STE_SEARCH);
  mutate(event);
  return event;
}

function invalidSteSearch() {
  return steSearch((event) => {
    delete event.detail.evaluation.shape_id;
  });
}

const setup = transformerSetup;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createTransformerHandler', () => {
  describe('answers', () => {
    it('answers clean records Ok and dirty ones Dropped, in input order', async () => {
      const { handler } = setup();
      const event = streamEventsEvent('ste_event', [
        steSearch(),
        invalidSteSearch(),
        steSearch(),
      ]);

      const { records } = await handler(event, fakeContext());

      expect(records.map((r) => [r.recordId, r.result])).toEqual([
        [event.records[0].recordId, RecordResult.Ok],
        [event.records[1].recordId, RecordResult.Dropped],
        [event.records[2].recordId, RecordResult.Ok],
      ]);
      expect(records[1].data).toBe(event.records[1].data);
    });

    it('answers an empty batch with no records and writes nothing', async () => {
      const { handler, store } = setup();

      const response = await handler(firehoseEvent('ste_event', []));

      expect(response).toEqual({ records: [] });
      expect(store.puts).toEqual([]);
    });

    it('decodes a bare event without a stream record, with null provenance', async () => {
      const { handler } = setup();
      const record = firehoseRecord(JSON.stringify(steSearch()));

      const { records } = await handler(firehoseEvent('ste_event', [record]));
      const row = decodeData(records[0].data) as Record<string, unknown>;

      expect(records[0].result).toBe(RecordResult.Ok);
      expect(row.event_id).toBe(STE_SEARCH);
      expect([
        row.source_bucket,
        row.source_key,
        row.source_etag,
        row.source_version_id,
        row.source_index,
        row.source_offset,
        row.ingested_at,
      ]).toEqual([null, null, null, null, null, null, null]);
    });

    it('fills the provenance columns from the stream record', async () => {
      const { handler } = setup();
      const source = provenanceFor(7, { version_id: 'v3' });
      const text = streamRecordText(steSearch(), { source, ingestedAt: 1_700 });

      const { records } = await handler(
        firehoseEvent('ste_event', [firehoseRecord(text)]),
      );
      const row = decodeData(records[0].data) as Record<string, unknown>;

      expect(row).toMatchObject({
        source_bucket: source.bucket,
        source_key: source.key,
        source_etag: source.etag,
        source_version_id: 'v3',
        source_index: 7,
        source_offset: source.offset,
        ingested_at: 1_700,
      });
    });

    it('keeps unknown fields of a clean event in its extra column', async () => {
      const { handler } = setup();
      const event = steSearch((e) => {
        e.detail.evaluation.payload.mood = 'curious';
      });

      const { records } = await handler(
        streamEventsEvent('ste_event', [event]),
      );
      const row = decodeData(records[0].data) as { extra: string };

      expect(records[0].result).toBe(RecordResult.Ok);
      expect(Object.values(JSON.parse(row.extra))).toEqual(['curious']);
    });
  });

  describe('quarantine', () => {
    it('writes one object per table of the invocation, misrouted events under their own table', async () => {
      const { handler, store } = setup();
      const event = streamEventsEvent('ste_event', [
        invalidSteSearch(),
        sampleEventWithId(STE_PRED),
        invalidSteSearch(),
      ]);

      await handler(event);

      expect(store.puts.map((put) => put.key.split('/').slice(0, 3))).toEqual(
        expect.arrayContaining([
          ['dirty', 'ste_event', 'dt=2026-03-02'],
          ['dirty', 'ste_pred', 'dt=2026-03-02'],
        ]),
      );
      expect(store.puts).toHaveLength(2);
      expect(store.puts.every((put) => put.bucket === 'lake')).toBe(true);
      expect(
        store.dirtyRecords('lake', 'dirty/ste_event/').map((d) => d.kind),
      ).toEqual(['invalid', 'invalid']);
      expect(
        store.dirtyRecords('lake', 'dirty/ste_pred/').map((d) => d.kind),
      ).toEqual(['misrouted']);
    });

    it('rewrites the same object with the same lines when an invocation is retried', async () => {
      const { handler, store } = setup();
      const event = streamEventsEvent('ste_event', [invalidSteSearch()]);

      await handler(event);
      const first = new Map(store.objects);
      await handler(structuredClone(event));

      expect(store.puts.map((put) => put.key)).toEqual([
        store.puts[0].key,
        store.puts[0].key,
      ]);
      expect(store.objects).toEqual(first);
    });

    it('names the object differently for different records', async () => {
      const { handler, store } = setup();

      await handler(streamEventsEvent('ste_event', [invalidSteSearch()]));
      await handler(
        streamEventsEvent('ste_event', [
          invalidSteSearch(),
          invalidSteSearch(),
        ]),
      );

      expect(new Set(store.puts.map((put) => put.key)).size).toBe(2);
    });

    it('dates the object by the records arrival, not by the processing clock', async () => {
      const { handler, store } = setup({ now: Date.UTC(2026, 2, 5, 1) });

      await handler(streamEventsEvent('ste_event', [invalidSteSearch()]));

      expect(store.puts[0].key).toContain('/dt=2026-03-02/');
      expect(store.dirtyRecords('lake')[0].processed_at).toBe(
        Date.UTC(2026, 2, 5, 1),
      );
    });

    it('writes JSON lines with a JSON-lines content type', async () => {
      const { handler, store } = setup();

      await handler(
        streamEventsEvent('ste_event', [
          invalidSteSearch(),
          invalidSteSearch(),
        ]),
      );
      const text = [...store.objects.values()][0];

      expect(store.puts[0].contentType).toBe('application/x-ndjson');
      expect(text.endsWith('\n')).toBe(true);
      expect(text.trimEnd().split('\n')).toHaveLength(2);
    });

    it('answers ProcessingFailed with the input data when the quarantine write fails', async () => {
      const { handler, store } = setup();
      store.failing = ['dirty/'];
      const event = streamEventsEvent('ste_event', [
        steSearch(),
        invalidSteSearch(),
      ]);

      const { records } = await handler(event);

      expect(records).toEqual([
        expect.objectContaining({ result: RecordResult.Ok }),
        {
          recordId: event.records[1].recordId,
          result: RecordResult.ProcessingFailed,
          data: event.records[1].data,
        },
      ]);
      expect(store.objects.size).toBe(0);
    });

    it('drops the records of a table whose write succeeded when another table failed', async () => {
      const { handler, store } = setup();
      store.failing = ['dirty/ste_pred/'];
      const event = streamEventsEvent('ste_event', [
        invalidSteSearch(),
        sampleEventWithId(STE_PRED),
      ]);

      const { records } = await handler(event);

      expect(records.map((r) => r.result)).toEqual([
        RecordResult.Dropped,
        RecordResult.ProcessingFailed,
      ]);
    });

    it('keeps every reason of an event, not only the first', async () => {
      const { handler, store } = setup();
      const event = steSearch((e) => {
        delete e.detail.evaluation.shape_id;
        e.detail.evaluation.reporter = 42;
      });

      await handler(streamEventsEvent('ste_event', [event]));

      expect(store.dirtyRecords('lake')[0].reasons.map((r) => r.path)).toEqual(
        expect.arrayContaining([
          'detail.evaluation.shape_id',
          'detail.evaluation.reporter',
        ]),
      );
    });

    it('writes under the lake folder of a directory store for a local delivery stream ARN', async () => {
      const lake = await mkdtemp(join(tmpdir(), 'dvault-transformer-'));
      const handler = createTransformerHandler({
        store: new DirectoryObjectStore({ lake }),
        lakeBucket: 'lake',
      });
      const event = {
        ...streamEventsEvent('ste_event', [steSearch(), invalidSteSearch()]),
        deliveryStreamArn:
          'arn:aws:firehose:local:000000000000:deliverystream/dvault-ste_event',
      };

      try {
        const { records } = await handler(event);
        const folder = join(lake, 'dirty/ste_event/dt=2026-03-02');
        const [file] = await readdir(folder);
        const line = JSON.parse(await readFile(join(folder, file), 'utf8'));

        expect(records.map((r) => r.result)).toEqual([
          RecordResult.Ok,
          RecordResult.Dropped,
        ]);
        expect(line.event_id).toBe(STE_SEARCH);
      } finally {
        await rm(lake, { recursive: true, force: true });
      }
    });
  });

  describe.each<MetadataStyle>(['number', 'string', 'absent'])(
    'Kinesis metadata written as %s',
    (style) => {
      it('is kept with the dirty record', async () => {
        const { handler, store } = setup();
        const record = firehoseRecord(streamRecordText(invalidSteSearch()), {
          metadata: style,
          shard: 2,
          partitionKey: 'shape-7',
        });

        await handler(firehoseEvent('ste_event', [record]));
        const { kinesis } = store.dirtyRecords('lake')[0];

        expect(kinesis).toEqual(
          style === 'absent'
            ? null
            : expect.objectContaining({
                shard_id: 'shardId-000000000002',
                partition_key: 'shape-7',
                sequence_number: record.kinesisRecordMetadata?.sequenceNumber,
                subsequence_number: '0',
              }),
        );
      });
    },
  );

  describe('errors', () => {
    it.each([
      [
        'has no prefix',
        'arn:aws:firehose:eu-west-1:123456789012:deliverystream/ste_event',
      ],
      [
        'names no table',
        'arn:aws:firehose:eu-west-1:123456789012:deliverystream/dvault-weather',
      ],
    ])('throws for a delivery stream that %s', async (_, arn) => {
      const { handler } = setup();
      const event = {
        ...streamEventsEvent('ste_event', [steSearch()]),
        deliveryStreamArn: arn,
      };

      await expect(handler(event)).rejects.toThrow(UnknownDeliveryStreamError);
      await expect(handler(event)).rejects.toThrow(arn);
    });

    it('finds the table behind a custom prefix', async () => {
      const handler = createTransformerHandler({
        store: new MemoryObjectStore(),
        lakeBucket: 'lake',
        streamPrefix: 'staging-',
      });
      const event = streamEventsEvent('ste_event', [steSearch()], {
        prefix: 'staging-',
      });

      const { records } = await handler(event);

      expect(records[0].result).toBe(RecordResult.Ok);
    });

    it.each([
      [
        'without records',
        { invocationId: 'i-1', deliveryStreamArn: 'x', region: 'r' },
      ],
      [
        'with a record lacking data',
        { ...firehoseEvent('ste_event', []), records: [{ recordId: '1' }] },
      ],
    ])('throws for an invocation %s', async (_, event) => {
      const { handler } = setup();

      await expect(
        handler(event as unknown as Parameters<typeof handler>[0]),
      ).rejects.toThrow(InvalidTransformationEventError);
    });
  });

  describe('the 6 MB response limit', () => {
    // Quotes are escaped once in the event and twice in the row's `extra`
    // text, so each row is about twice as large as its record.
    function swollenEvent(quotes: number) {
      const event = sampleEventWithId(HEADLINE_PUBLISH) as Mutable;
      event.detail.evaluation.payload.note = '"'.repeat(quotes);
      return event;
    }

    it('answers the rows that do not fit ProcessingFailed with their own data', async () => {
      const { handler, warnings, emf } = setup();
      const events = Array.from({ length: 40 }, () => swollenEvent(50_000));
      const event = streamEventsEvent('headliner_event', events);

      const { records } = await handler(event);
      const bytes = Buffer.byteLength(JSON.stringify({ records }));
      const ok = records.filter((r) => r.result === RecordResult.Ok);
      const failed = records.slice(ok.length);

      expect(bytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
      expect(ok.length).toBeGreaterThan(0);
      expect(failed.length).toBeGreaterThan(0);
      expect(records.slice(0, ok.length)).toEqual(ok);
      failed.forEach((answer, index) => {
        const input = event.records[ok.length + index];
        expect(answer).toEqual({
          recordId: input.recordId,
          result: RecordResult.ProcessingFailed,
          data: input.data,
        });
      });
      // One more row would not have fitted beside the echoes.
      const nextRow = Buffer.byteLength(JSON.stringify(ok[0]));
      const nextEcho = Buffer.byteLength(JSON.stringify(failed[0]));
      expect(bytes - nextEcho + nextRow).toBeGreaterThan(MAX_RESPONSE_BYTES);
      expect(warnings()).toContainEqual(
        expect.objectContaining({
          cause: 'response_limit',
          record_ids: failed.map((r) => r.recordId),
        }),
      );
      expect(
        metricValue(emf(), 'FailedRecords', { table: 'headliner_event' }),
      ).toBe(failed.length);
    });

    it('answers every row Ok when the same records fit', async () => {
      const { handler } = setup();
      const events = Array.from({ length: 10 }, () => swollenEvent(50_000));

      const { records } = await handler(
        streamEventsEvent('headliner_event', events),
      );

      expect(records.every((r) => r.result === RecordResult.Ok)).toBe(true);
    });

    it('throws when even the records own data exceeds 6 MB', async () => {
      const { handler } = setup();
      const events = Array.from({ length: 12 }, () => swollenEvent(200_000));

      await expect(
        handler(streamEventsEvent('headliner_event', events)),
      ).rejects.toThrow(ResponseLimitError);
    });
  });

  describe('logs and metrics', () => {
    it('logs one JSON line per dirty record with its event id, table, kind and reasons', async () => {
      const { handler, warnings } = setup();
      const event = streamEventsEvent('ste_event', [
        invalidSteSearch(),
        steSearch(),
        sampleEventWithId(STE_PRED),
      ]);

      await handler(event, fakeContext());
      const lines = warnings().filter(
        (l) => l.message === 'Found a dirty record.',
      );

      expect(lines).toEqual([
        expect.objectContaining({
          level: 'WARN',
          service: 'dvault-transformer',
          function_request_id: fakeContext().awsRequestId,
          invocation_id: event.invocationId,
          record_id: event.records[0].recordId,
          event_id: STE_SEARCH,
          table: 'ste_event',
          kind: 'invalid',
          reasons: [
            expect.objectContaining({ path: 'detail.evaluation.shape_id' }),
          ],
          result: RecordResult.Dropped,
        }),
        expect.objectContaining({
          event_id: STE_PRED,
          table: 'ste_pred',
          kind: 'misrouted',
        }),
      ]);
    });

    it('logs a failed quarantine write as an error with its cause', async () => {
      const { handler, store, errors } = setup();
      store.failing = ['dirty/'];
      const event = streamEventsEvent('ste_event', [invalidSteSearch()]);

      await handler(event);
      const [line] = errors();

      expect(line).toMatchObject({
        level: 'ERROR',
        table: 'ste_event',
        record_ids: [event.records[0].recordId],
        cause: 'quarantine_write_failed',
        error: {
          name: 'QuarantineWriteError',
          cause: expect.objectContaining({
            message: expect.stringContaining('Access Denied'),
          }),
        },
      });
      expect(line.key).toMatch(/^dirty\/ste_event\/dt=2026-03-02\//);
    });

    it('publishes clean, dirty, unknown-field and failed counts in the dvault namespace per table', async () => {
      const { handler, emf } = setup();
      const event = streamEventsEvent('ste_event', [
        steSearch(),
        steSearch((e) => {
          e.detail.evaluation.payload.mood = 'curious';
        }),
        invalidSteSearch(),
      ]);

      await handler(event);
      const blobs = emf();
      const dims = { table: 'ste_event' };

      expect(blobs[0]._aws.CloudWatchMetrics[0]).toMatchObject({
        Namespace: 'dvault',
        Dimensions: [['service', 'table']],
      });
      expect(metricValue(blobs, 'CleanRecords', dims)).toBe(2);
      expect(metricValue(blobs, 'DirtyRecords', dims)).toBe(1);
      expect(metricValue(blobs, 'UnknownFieldEvents', dims)).toBe(1);
      expect(metricValue(blobs, 'FailedRecords', dims)).toBe(0);
    });

    it('publishes dirty counts per kind with the delivery stream table', async () => {
      const { handler, emf } = setup();
      const event = streamEventsEvent('ste_event', [
        invalidSteSearch(),
        invalidSteSearch(),
        sampleEventWithId(STE_PRED),
      ]);

      await handler(event);
      const blobs = emf();

      expect(
        metricValue(blobs, 'DirtyRecords', {
          table: 'ste_event',
          kind: 'invalid',
        }),
      ).toBe(2);
      expect(
        metricValue(blobs, 'DirtyRecords', {
          table: 'ste_event',
          kind: 'misrouted',
        }),
      ).toBe(1);
      expect(metricValue(blobs, 'DirtyRecords', { table: 'ste_event' })).toBe(
        3,
      );
    });

    it('publishes zero counts for a clean batch so alarms see data', async () => {
      const { handler, emf } = setup();

      await handler(streamEventsEvent('ste_event', [steSearch()]));
      const blobs = emf();

      expect(blobs).toHaveLength(1);
      expect(metricValue(blobs, 'DirtyRecords', { table: 'ste_event' })).toBe(
        0,
      );
    });
  });

  it('builds clean rows of exactly the table columns for every delivery stream', async () => {
    const { handler } = setup();
    const columns = tableNamed('ste_event')?.columns.map((c) => c.name);

    const { records } = await handler(
      streamEventsEvent('ste_event', [steSearch()]),
    );

    expect(Object.keys(decodeData(records[0].data) as object)).toEqual(columns);
  });

  it('quarantines an event with an unknown field too deep to serialise and answers the rest', async () => {
    const { handler, store } = setup();
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const eventText = JSON.stringify(steSearch()).replace(
      /}$/,
      `,"hostile":${deep}}`,
    );
    // Keys in another order than the producer writes them, so the event's
    // text cannot be cut out of the record and must be kept another way.
    const text = `{"ingested_at":5,"source":${JSON.stringify(provenanceFor(0))},"event":${eventText}}`;
    const event = firehoseEvent('ste_event', [
      firehoseRecord(text, { index: 0 }),
      firehoseRecord(streamRecordText(steSearch()), { index: 1 }),
    ]);

    const { records } = await handler(event, fakeContext());

    expect(records.map((r) => r.result)).toEqual([
      RecordResult.Dropped,
      RecordResult.Ok,
    ]);
    const [dirty] = store.dirtyRecords('lake');
    expect(dirty.reasons.map((r) => [r.path, r.actual])).toEqual([
      ['hostile', 'a value nested too deeply to serialise'],
    ]);
    expect(dirty.raw).toBe(text);
  });
});
