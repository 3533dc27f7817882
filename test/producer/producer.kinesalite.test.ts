import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProducerHandler,
  type ProducerSummary,
} from '../../producer/createProducerHandler.js';
import {
  DirectoryObjectStore,
  type DirtyRecord,
  eventTextOf,
  resourceNameFor,
  StreamRecord,
  TABLES,
} from '../../schemas/index.js';
import {
  type ReadRecord,
  startKinesalite,
  type TestKinesis,
} from '../helpers/kinesalite.js';
import { fakeContext, s3Event } from '../helpers/s3Events.js';
import {
  SAMPLE_COUNTS,
  SAMPLE_UNROUTABLE,
  SHARED_SAMPLES_DIR,
  sampleFiles,
} from '../helpers/samples.js';

// The real samples, landed in a "bucket" that is their own folder, go
// through the real handler and a real Kinesis API (kinesalite) on loopback.
describe('producer against kinesalite with the real samples', () => {
  let kinesalite: TestKinesis;
  let lakeDir: string;
  let store: DirectoryObjectStore;
  let summary: ProducerSummary;
  const streams = new Map<string, ReadRecord[]>();

  beforeAll(async () => {
    kinesalite = await startKinesalite(
      TABLES.map((table) => resourceNameFor(table.name)),
    );
    lakeDir = await mkdtemp(join(tmpdir(), 'dvault-producer-'));
    store = new DirectoryObjectStore({
      landing: SHARED_SAMPLES_DIR,
      lake: lakeDir,
    });
    const handler = createProducerHandler({
      kinesis: kinesalite.kinesis.client,
      store,
      lakeBucket: 'lake',
    });
    const objects = sampleFiles().map((file) => ({
      bucket: 'landing',
      key: basename(file),
    }));
    summary = await handler(s3Event(...objects), fakeContext());
    for (const table of TABLES) {
      streams.set(
        table.name,
        await kinesalite.readStream(resourceNameFor(table.name)),
      );
    }
  });

  afterAll(async () => {
    await kinesalite?.close();
    if (lakeDir) await rm(lakeDir, { recursive: true, force: true });
  });

  it('puts every routable event on its table stream', () => {
    const counts = Object.fromEntries(
      TABLES.map((table) => [table.name, streams.get(table.name)?.length ?? 0]),
    );

    expect(counts).toEqual(SAMPLE_COUNTS);
    expect(summary).toEqual({
      files: 13,
      events: 782,
      sent: 782 - SAMPLE_UNROUTABLE,
      records: Object.fromEntries(
        Object.entries(SAMPLE_COUNTS).filter(([, count]) => count > 0),
      ),
      quarantined: SAMPLE_UNROUTABLE,
      dirty: { unroutable: SAMPLE_UNROUTABLE },
    });
  });

  it('gives every record its provenance and the event bytes found at that offset', async () => {
    const files = new Map<string, Buffer>();
    for (const file of sampleFiles())
      files.set(basename(file), await readFile(file));
    const seen = new Set<string>();

    for (const records of streams.values()) {
      for (const { data } of records) {
        const decoded = StreamRecord.decode(JSON.parse(data));
        expect(isRight(decoded)).toBe(true);
        const { source } = JSON.parse(data) as StreamRecord;
        const text = Buffer.from(eventTextOf(data) ?? '');
        const file = files.get(source.key) as Buffer;
        expect(source.bucket).toBe('landing');
        expect(source.etag).toMatch(/^[0-9a-f]+-[0-9a-f]+$/);
        expect(
          file.subarray(source.offset, source.offset + text.length),
        ).toEqual(text);
        seen.add(`${source.key}#${source.index}`);
      }
    }
    expect(seen.size).toBe(782 - SAMPLE_UNROUTABLE);
  });

  it('keys records by the shape id of their event', () => {
    const records = [...streams.values()].flat();

    for (const { partitionKey, data } of records) {
      const event = (JSON.parse(data) as StreamRecord).event as {
        detail: { partitionKey: string };
      };
      expect(partitionKey).toBe(event.detail.partitionKey);
    }
    expect(records).toHaveLength(780);
  });

  it('quarantines the two unroutable events under dirty/_producer', async () => {
    const keys: string[] = [];
    for await (const key of store.list('lake', 'dirty/_producer/'))
      keys.push(key);
    const lines: DirtyRecord[] = [];
    for (const key of keys) {
      const text = await readFile(store.pathOf('lake', key), 'utf8');
      lines.push(
        ...text
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line)),
      );
    }

    expect(lines).toHaveLength(SAMPLE_UNROUTABLE);
    for (const line of lines) {
      expect(line).toMatchObject({ kind: 'unroutable', table: '_producer' });
      expect(line.source?.bucket).toBe('landing');
      expect(JSON.parse(line.raw)).toHaveProperty('id', line.event_id);
    }
  });
});
