import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAKE_BUCKET } from '../../../local/constants.js';
import { readLakeFailures } from '../../../local/dirty/readLakeFailures.js';
import { DirectoryObjectStore } from '../../../schemas/index.js';
import { EVENTS } from '../../helpers/dvaultEvents.js';
import {
  brokenRow,
  dirtyLine,
  sourceAt,
  streamRecordText,
  writeDirty,
  writeFormatConversionFailed,
  writeProcessingFailed,
} from './lakeObjects.js';

let lake: string;
let store: DirectoryObjectStore;

/** A lake with each of the eight kinds once. */
async function writeEveryKind() {
  await writeDirty(store, '_producer', 'a', [
    dirtyLine({
      event_id: 'p-1',
      kind: 'unparsable',
      table: '_producer',
      raw: '#!',
    }),
    dirtyLine({
      event_id: 'p-2',
      kind: 'unroutable',
      table: '_producer',
      raw: '{}',
      path: 'detail',
    }),
    dirtyLine({
      event_id: 'p-3',
      kind: 'unknown_service',
      table: '_producer',
      raw: '{}',
    }),
    dirtyLine({
      event_id: 'p-4',
      kind: 'too_large',
      table: 'ste_event',
      raw: '{}',
    }),
  ]);
  await writeDirty(store, 'ste_event', 'b', [
    dirtyLine({
      event_id: 't-1',
      kind: 'invalid',
      table: 'ste_event',
      raw: '{}',
      path: 'detail.evaluation.shape_id',
    }),
  ]);
  await writeDirty(store, 'summarizer_event', 'c', [
    dirtyLine({
      event_id: 't-2',
      kind: 'misrouted',
      table: 'summarizer_event',
      raw: '{}',
    }),
  ]);
  await writeProcessingFailed(store, 'ste_event', [
    streamRecordText({ ...EVENTS.ste_event(), id: 'f-1' }, sourceAt(7)),
  ]);
  await writeFormatConversionFailed(store, 'ste_event', [
    brokenRow({ ...EVENTS.ste_event(), id: 'f-2' }, sourceAt(8), {
      media_id: { nested: true },
    }),
  ]);
}

beforeEach(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dvault-failures-'));
  store = new DirectoryObjectStore({ [LAKE_BUCKET]: lake });
});

afterEach(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('readLakeFailures', () => {
  it('lists every dirty kind and both Firehose failures, in lake order', async () => {
    await writeEveryKind();

    const { records, unreadable } = await readLakeFailures(store, LAKE_BUCKET);

    expect(unreadable).toEqual([]);
    expect(records.map((r) => [r.event_id, r.kind, r.table, r.line])).toEqual([
      ['p-1', 'unparsable', '_producer', 0],
      ['p-2', 'unroutable', '_producer', 1],
      ['p-3', 'unknown_service', '_producer', 2],
      ['p-4', 'too_large', 'ste_event', 3],
      ['t-1', 'invalid', 'ste_event', 0],
      ['t-2', 'misrouted', 'summarizer_event', 0],
      ['f-2', 'format_conversion_failed', 'ste_event', 0],
      ['f-1', 'processing_failed', 'ste_event', 0],
    ]);
  });

  it('keeps the reasons, provenance and key of a dirty line', async () => {
    await writeEveryKind();

    const { records } = await readLakeFailures(store, LAKE_BUCKET);
    const invalid = records.find((r) => r.kind === 'invalid');

    expect(invalid).toMatchObject({
      object_key: 'dirty/ste_event/dt=2026-03-02/b.jsonl',
      source: sourceAt(0),
      reasons: [
        expect.objectContaining({ path: 'detail.evaluation.shape_id' }),
      ],
    });
  });

  it('recovers the event, its id and provenance from a processing-failed record', async () => {
    await writeEveryKind();

    const { records } = await readLakeFailures(store, LAKE_BUCKET);
    const failed = records.find((r) => r.kind === 'processing_failed');

    expect(failed?.object_key).toMatch(
      /^errors\/ste_event\/processing-failed\/dt=2026-03-02\/dvault-ste_event-1-/,
    );
    expect(failed?.source).toEqual(sourceAt(7));
    expect(JSON.parse(failed?.raw ?? '')).toEqual({
      ...EVENTS.ste_event(),
      id: 'f-1',
    });
    expect(failed?.reasons).toEqual([
      expect.objectContaining({
        actual: 'Lambda.MissingRecordId',
        message: expect.stringContaining('One or more record IDs'),
      }),
    ]);
  });

  it('reads the id, provenance and conversion reason of a format-conversion failure', async () => {
    await writeEveryKind();

    const { records } = await readLakeFailures(store, LAKE_BUCKET);
    const failed = records.find((r) => r.kind === 'format_conversion_failed');

    expect(failed?.source).toEqual(sourceAt(8));
    expect(JSON.parse(failed?.raw ?? '').media_id).toEqual({ nested: true });
    expect(failed?.reasons[0]?.actual).toBe(
      'DataFormatConversion.MalformedData',
    );
    expect(failed?.reasons[0]?.message).toContain('media_id');
  });

  it.each([
    [{ kinds: ['unroutable'] }, ['p-2']],
    [{ kinds: ['processing_failed', 'invalid'] }, ['t-1', 'f-1']],
    [{ tables: ['_producer'] }, ['p-1', 'p-2', 'p-3', 'p-4']],
    [{ tables: ['ste_event'] }, ['p-4', 't-1', 'f-2', 'f-1']],
    [{ kinds: ['too_large'], tables: ['summarizer_event'] }, []],
  ])('keeps only what the filter %j names', async (filter, ids) => {
    await writeEveryKind();

    const { records } = await readLakeFailures(store, LAKE_BUCKET, filter);

    expect(records.map((r) => r.event_id)).toEqual(ids);
  });

  it('reports a dirty line that is not a dirty record instead of listing it', async () => {
    await store.put(
      LAKE_BUCKET,
      'dirty/_producer/dt=2026-03-02/odd.jsonl',
      `${JSON.stringify(dirtyLine({ event_id: 'ok', kind: 'unroutable', table: '_producer', raw: '{}' }))}\nnot json\n{"kind":"invalid"}\n`,
    );

    const { records, unreadable } = await readLakeFailures(store, LAKE_BUCKET);

    expect(records.map((r) => r.event_id)).toEqual(['ok']);
    expect(unreadable).toEqual([
      expect.objectContaining({
        line: 1,
        message: expect.stringContaining('not JSON'),
      }),
      expect.objectContaining({
        line: 2,
        message: expect.stringContaining('table'),
      }),
    ]);
  });

  it('lists an error line whose data is not a Kinesis record, with no event id', async () => {
    await writeProcessingFailed(store, 'ste_event', ['garbage bytes']);

    const { records } = await readLakeFailures(store, LAKE_BUCKET);

    expect(records).toEqual([
      expect.objectContaining({
        kind: 'processing_failed',
        event_id: null,
        source: null,
        raw: 'garbage bytes',
      }),
    ]);
  });

  it('finds nothing in an empty lake', async () => {
    expect(await readLakeFailures(store, LAKE_BUCKET)).toEqual({
      records: [],
      unreadable: [],
    });
  });
});
