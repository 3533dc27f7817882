import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DirtyRecord } from '../../schemas/index.js';
import { RecordResult } from '../../transformer/constants.js';
import { createTransformerHandler } from '../../transformer/createTransformerHandler.js';
import {
  firehoseEvent,
  firehoseRecord,
  kinesisStreamArn,
  provenanceFor,
  streamRecordText,
  TEST_ARRIVAL,
} from '../helpers/firehoseEvents.js';
import {
  FIXTURES_DIR,
  readGolden,
  UPDATING_GOLDEN,
  writeGolden,
} from './golden.js';
import { MemoryObjectStore, sampleEventWithId } from './helpers.js';

// Mutations reach into events freely.
type Mutable = any;

/** A dirty input: a sample event and what is done to it, or raw data. */
interface DirtyCase {
  /** The delivery stream's table the record arrives on. */
  stream: string;
  /** The sample event it starts from, by EventBridge id. */
  base?: string;
  mutate?: (event: Mutable) => void;
  /** Record data (text) instead of a sample event. */
  text?: string;
  /** Record data (base64 as sent) instead of text. */
  data?: string;
}

const STE_SEARCH = 'bf322dd3-2675-fdec-8bf9-e97a2a14d708';
const SUMMARIZER_PRED = 'dc9e33e0-9f5b-e589-30ff-edd8a9e7a1c7';
const HEADLINE_PUBLISH = '7bed9233-b984-f2fa-8a7c-e14c92a73e9c';
const STE_PRED = 'd019501d-cb97-b864-c46b-a7676ba95d40';
const IMAGE_MATCH = 'aaf5b5a6-3d18-d757-8dc3-3b27e89b58ae';
const UNROUTABLE = '7d7bff52-0546-362a-1d22-90f8d125e33b';

/** Inputs of the golden files under `dirty/`, by file name. */
const DIRTY_CASES: Record<string, DirtyCase> = {
  'missing-shape-id': {
    stream: 'ste_event',
    base: STE_SEARCH,
    mutate: (event) => {
      delete event.detail.evaluation.shape_id;
    },
  },
  'wrong-kinds': {
    stream: 'summarizer_pred',
    base: SUMMARIZER_PRED,
    mutate: (event) => {
      event.detail.prediction.timestamp = '2022-03-29T09:12:17Z';
      event.detail.prediction.input.reduction_percentage = { value: 0.3 };
      event.detail.prediction.output.metadata[0].idx = 0.5;
    },
  },
  'unknown-evaluation-type': {
    stream: 'headliner_event',
    base: HEADLINE_PUBLISH,
    mutate: (event) => {
      event.detail.evaluation.type = 'SHARE';
    },
  },
  'timestamp-before-2020': {
    stream: 'ste_pred',
    base: STE_PRED,
    mutate: (event) => {
      const old = Date.UTC(2019, 11, 31, 23, 59, 59);
      event.detail.timestamp = old;
      event.detail.prediction.timestamp = old;
    },
  },
  'unknown-service': {
    stream: 'semantic_image_matcher_event',
    base: IMAGE_MATCH,
    mutate: (event) => {
      event.detail.evaluation.service = 'translator';
    },
  },
  'unroutable-sample': { stream: 'ste_event', base: UNROUTABLE },
  misrouted: { stream: 'ste_event', base: STE_PRED },
  'not-json': { stream: 'ste_event', text: '{"source":{"bucket":"dvault-la' },
  'not-base64': { stream: 'ste_event', data: '%%% not base64 %%%' },
};

interface DirtyGolden {
  why: string;
  expected: Pick<DirtyRecord, 'event_id' | 'kind' | 'table' | 'reasons'> | null;
}

function eventText(input: DirtyCase): string | undefined {
  if (input.base === undefined) return input.text;
  const event = sampleEventWithId(input.base);
  input.mutate?.(event);
  return JSON.stringify(event);
}

function recordFor(input: DirtyCase, index: number) {
  const text = eventText(input);
  const payload =
    text === undefined || input.base === undefined
      ? (text ?? '')
      : streamRecordText(text, { source: provenanceFor(index) });
  const record = firehoseRecord(payload, { index });
  return input.data === undefined ? record : { ...record, data: input.data };
}

describe('dirty fixtures', () => {
  const files = readdirSync(join(FIXTURES_DIR, 'dirty')).filter((file) =>
    file.endsWith('.json'),
  );

  it('have one input for every golden file and one golden file for every input', () => {
    const names = files.map((file) => file.replace(/\.json$/, ''));

    expect(names.sort()).toEqual(Object.keys(DIRTY_CASES).sort());
  });

  it.each(files)(
    '%s comes back Dropped with its reasons quarantined',
    async (file) => {
      const name = file.replace(/\.json$/, '');
      const input = DIRTY_CASES[name];
      const golden = readGolden<DirtyGolden>(`dirty/${file}`);
      const store = new MemoryObjectStore();
      const handler = createTransformerHandler({
        store,
        lakeBucket: 'lake',
        now: () => TEST_ARRIVAL,
      });
      const record = recordFor(input, 5);

      const { records } = await handler(firehoseEvent(input.stream, [record]));
      const [dirty] = store.dirtyRecords('lake');
      const { event_id, kind, table, reasons } = dirty;

      if (UPDATING_GOLDEN) {
        writeGolden(`dirty/${file}`, {
          ...golden,
          expected: { event_id, kind, table, reasons },
        });
      }
      expect(records).toEqual([
        {
          recordId: record.recordId,
          result: RecordResult.Dropped,
          data: record.data,
        },
      ]);
      expect(store.dirtyRecords('lake')).toHaveLength(1);
      expect({ event_id, kind, table, reasons }).toEqual(golden.expected);
      expect(store.puts[0].key).toMatch(
        new RegExp(`^dirty/${table}/dt=2026-03-02/[0-9a-f]{32}\\.jsonl$`),
      );
      expect(dirty.processed_at).toBe(TEST_ARRIVAL);
      expect(dirty.kinesis).toEqual({
        shard_id: record.kinesisRecordMetadata?.shardId,
        partition_key: record.kinesisRecordMetadata?.partitionKey,
        sequence_number: record.kinesisRecordMetadata?.sequenceNumber,
        subsequence_number: '0',
        approximate_arrival_timestamp: TEST_ARRIVAL,
        stream_arn: kinesisStreamArn(input.stream),
      });
    },
  );

  it.each(
    Object.entries(DIRTY_CASES).filter(([, input]) => input.base !== undefined),
  )(
    '%s keeps the event text, its provenance and ingestion time',
    async (_, input) => {
      const store = new MemoryObjectStore();
      const handler = createTransformerHandler({ store, lakeBucket: 'lake' });

      await handler(firehoseEvent(input.stream, [recordFor(input, 5)]));
      const [dirty] = store.dirtyRecords('lake');

      expect(dirty.raw).toBe(eventText(input));
      expect(dirty.source).toEqual(provenanceFor(5));
      expect(dirty.ingested_at).toBe(TEST_ARRIVAL - 1_000);
    },
  );

  it('keeps the record text of unreadable data, or the data itself when it is not base64', async () => {
    const store = new MemoryObjectStore();
    const handler = createTransformerHandler({ store, lakeBucket: 'lake' });
    const records = [
      recordFor(DIRTY_CASES['not-json'], 0),
      recordFor(DIRTY_CASES['not-base64'], 1),
    ];

    await handler(firehoseEvent('ste_event', records));

    expect(store.dirtyRecords('lake').map((dirty) => dirty.raw)).toEqual([
      DIRTY_CASES['not-json'].text,
      DIRTY_CASES['not-base64'].data,
    ]);
  });
});
