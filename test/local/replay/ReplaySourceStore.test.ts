import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAKE_BUCKET } from '../../../local/constants.js';
import { ReplaySourceStore } from '../../../local/replay/ReplaySourceStore.js';
import { readObjectText } from '../../../producer/readObjectText.js';
import { DirectoryObjectStore } from '../../../schemas/index.js';
import { EVENTS } from '../../helpers/dvaultEvents.js';
import {
  brokenRow,
  dirtyLine,
  INGESTED_AT,
  sourceAt,
  streamRecordText,
  writeDirty,
  writeFormatConversionFailed,
  writeProcessingFailed,
} from '../dirty/lakeObjects.js';

let lake: string;
let store: DirectoryObjectStore;

async function keys(source: ReplaySourceStore, prefix: string) {
  const found: string[] = [];
  for await (const key of source.list(LAKE_BUCKET, prefix)) found.push(key);
  return found.sort();
}

beforeEach(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dvault-replay-source-'));
  store = new DirectoryObjectStore({ [LAKE_BUCKET]: lake });
});

afterEach(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('ReplaySourceStore', () => {
  it('lists processing-failed objects as dirty objects, and never conversion failures', async () => {
    const dirty = await writeDirty(store, '_producer', 'a', [
      dirtyLine({
        event_id: 'p',
        kind: 'unroutable',
        table: '_producer',
        raw: '{}',
      }),
    ]);
    const failed = await writeProcessingFailed(store, 'ste_event', ['x']);
    await writeFormatConversionFailed(store, 'ste_event', ['{}']);

    const listed = await keys(new ReplaySourceStore(store), 'dirty/');

    const name = failed.split('/').pop();
    expect(listed).toEqual([
      dirty,
      `dirty/ste_event/processing-failed/dt=2026-03-02/${name}.jsonl`,
    ]);
    expect(ReplaySourceStore.lakeKeyOf(listed[1]!)).toBe(failed);
    expect(ReplaySourceStore.lakeKeyOf(dirty)).toBe(dirty);
  });

  it('reads a processing-failed line as a dirty record holding the event and its provenance', async () => {
    const event = { ...EVENTS.ste_event(), id: 'f-1' };
    await writeProcessingFailed(store, 'ste_event', [
      streamRecordText(event, sourceAt(3)),
    ]);
    const source = new ReplaySourceStore(store);
    const [key] = await keys(source, 'dirty/');

    const text = await readObjectText(source, LAKE_BUCKET, key!);

    expect(JSON.parse(text)).toMatchObject({
      event_id: 'f-1',
      kind: 'processing_failed',
      table: 'ste_event',
      raw: JSON.stringify(event),
      source: sourceAt(3),
      ingested_at: INGESTED_AT,
    });
  });

  it('blanks the lines the filter leaves out, keeping every line in its place', async () => {
    const key = await writeDirty(store, '_producer', 'a', [
      dirtyLine({
        event_id: 'p-1',
        kind: 'unparsable',
        table: '_producer',
        raw: '#',
      }),
      dirtyLine({
        event_id: 'p-2',
        kind: 'unroutable',
        table: '_producer',
        raw: '{}',
      }),
      dirtyLine({
        event_id: 'p-3',
        kind: 'too_large',
        table: 'ste_event',
        raw: '{}',
      }),
    ]);
    const source = new ReplaySourceStore(store, {
      kinds: ['unroutable', 'too_large'],
      tables: ['ste_event'],
    });

    const lines = (await readObjectText(source, LAKE_BUCKET, key)).split('\n');

    expect(
      lines.map((line) => (line === '' ? '' : JSON.parse(line).event_id)),
    ).toEqual(['', '', 'p-3', '']);
  });

  it('passes replay markers and other objects through untouched', async () => {
    const source = new ReplaySourceStore(store, { kinds: ['invalid'] });
    const marker = 'replayed/dt=2026-03-02/m.json';
    const row = brokenRow(EVENTS.ste_event(), sourceAt(0), {});

    await source.put(LAKE_BUCKET, marker, '{"ids":["a#b"]}');
    await store.put(LAKE_BUCKET, 'clean/ste_event/x.json', row);

    expect(await keys(source, 'replayed/')).toEqual([marker]);
    expect(await readObjectText(source, LAKE_BUCKET, marker)).toBe(
      '{"ids":["a#b"]}',
    );
    expect(
      await readObjectText(source, LAKE_BUCKET, 'clean/ste_event/x.json'),
    ).toBe(row);
  });
});
