import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableNamed } from '../../schemas/index.js';
import { RecordResult } from '../../transformer/constants.js';
import { createTransformerHandler } from '../../transformer/createTransformerHandler.js';
import {
  firehoseEvent,
  firehoseRecord,
  provenanceFor,
  streamEventsEvent,
  streamRecordText,
  TEST_ARRIVAL,
} from '../helpers/firehoseEvents.js';
import { SAMPLE_COUNTS, SAMPLE_UNROUTABLE } from '../helpers/samples.js';
import {
  FIXTURES_DIR,
  readGolden,
  UPDATING_GOLDEN,
  writeGolden,
} from './golden.js';
import {
  decodeData,
  MemoryObjectStore,
  sampleEventsByTable,
  sampleEventWithId,
} from './helpers.js';

interface CleanGolden {
  table: string;
  event_id: string;
  why: string;
  row: Record<string, unknown> | null;
}

const GOLDEN_INGESTED_AT = TEST_ARRIVAL - 1_000;

function handlerWithStore() {
  const store = new MemoryObjectStore();
  const handler = createTransformerHandler({
    store,
    lakeBucket: 'lake',
    now: () => TEST_ARRIVAL,
  });
  return { store, handler };
}

describe('the transformer on the real samples', () => {
  const byTable = sampleEventsByTable();

  it('routes every sample event but the unroutable ones to a table', () => {
    const counts = Object.fromEntries(
      [...byTable].map(([table, events]) => [table, events.length]),
    );
    const routed = [...byTable.values()].flat().length;

    expect(counts).toEqual(
      Object.fromEntries(
        Object.entries(SAMPLE_COUNTS).filter(([, count]) => count > 0),
      ),
    );
    expect(routed).toBe(780);
    expect(routed + SAMPLE_UNROUTABLE).toBe(782);
  });

  it.each([...byTable.keys()])(
    'answers every sample event of %s Ok with a row of exactly its columns',
    async (table) => {
      const { store, handler } = handlerWithStore();
      const events = byTable.get(table) ?? [];
      const columns = tableNamed(table)?.columns.map((column) => column.name);

      const { records } = await handler(streamEventsEvent(table, events));

      expect(records.map((record) => record.result)).toEqual(
        events.map(() => RecordResult.Ok),
      );
      for (const record of records) {
        expect(Object.keys(decodeData(record.data) as object)).toEqual(columns);
      }
      expect(store.puts).toEqual([]);
    },
  );

  it('ends every clean row with a newline', async () => {
    const { handler } = handlerWithStore();
    const events = byTable.get('headliner_event') ?? [];

    const { records } = await handler(
      streamEventsEvent('headliner_event', events),
    );

    for (const record of records) {
      expect(Buffer.from(record.data ?? '', 'base64').toString()).toMatch(
        /^\{.*\}\n$/s,
      );
    }
  });
});

describe('golden rows', () => {
  const files = readdirSync(join(FIXTURES_DIR, 'clean')).filter((file) =>
    file.endsWith('.json'),
  );

  it('cover one event of every table present in the samples', () => {
    const tables = files.map(
      (file) => readGolden<CleanGolden>(`clean/${file}`).table,
    );

    expect(tables.sort()).toEqual([...sampleEventsByTable().keys()].sort());
  });

  it.each(files)('the row of %s equals its golden file', async (file) => {
    const golden = readGolden<CleanGolden>(`clean/${file}`);
    const event = sampleEventWithId(golden.event_id);
    const text = streamRecordText(event, {
      source: provenanceFor(3),
      ingestedAt: GOLDEN_INGESTED_AT,
    });
    const { handler } = handlerWithStore();

    const { records } = await handler(
      firehoseEvent(golden.table, [firehoseRecord(text)]),
    );
    const row = decodeData(records[0].data);

    if (UPDATING_GOLDEN) writeGolden(`clean/${file}`, { ...golden, row });
    expect(records[0].result).toBe(RecordResult.Ok);
    expect(row).toEqual(golden.row);
  });
});
