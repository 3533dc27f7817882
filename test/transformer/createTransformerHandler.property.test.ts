import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableNamed } from '../../schemas/index.js';
import {
  MAX_RESPONSE_BYTES,
  RecordResult,
} from '../../transformer/constants.js';
import { createTransformerHandler } from '../../transformer/createTransformerHandler.js';
import {
  firehoseEvent,
  firehoseRecord,
  type MetadataStyle,
  provenanceFor,
  streamRecordText,
} from '../helpers/firehoseEvents.js';
import {
  decodeData,
  MemoryObjectStore,
  sampleEventsByTable,
} from './helpers.js';

const byTable = sampleEventsByTable();
const TABLES = [...byTable.keys()];
const SAMPLES = [...byTable.values()].flat();

/** The payload of one random record on the delivery stream of `table`. */
const payloadFor = (table: string) =>
  fc.oneof(
    // a real event of this stream's table, mostly
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(...(byTable.get(table) ?? []))
        .map((event) => streamRecordText(event)),
    },
    // a real event of any table
    fc
      .nat(SAMPLES.length - 1)
      .map((index) =>
        streamRecordText(SAMPLES[index], { source: provenanceFor(index) }),
      ),
    // a real event without a stream record around it
    fc.nat(SAMPLES.length - 1).map((index) => JSON.stringify(SAMPLES[index])),
    // a real event with one envelope field replaced by anything
    fc
      .tuple(
        fc.nat(SAMPLES.length - 1),
        fc.constantFrom('id', 'detail', 'detail-type', 'time', 'version'),
        fc.jsonValue(),
      )
      .map(([index, field, value]) =>
        streamRecordText({ ...(SAMPLES[index] as object), [field]: value }),
      ),
    // any JSON, any text
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string(),
  );

const recordFor = (table: string) =>
  fc
    .record({
      payload: payloadFor(table),
      recordId: fc.oneof(fc.string(), fc.stringMatching(/^[0-9]{56,62}$/)),
      metadata: fc.constantFrom<MetadataStyle>('number', 'string', 'absent'),
      // now and then, data that is not base64 at all
      rawData: fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.string() },
      ),
    })
    .map(({ payload: text, recordId, metadata, rawData }) => {
      const built = firehoseRecord(text, { metadata });
      return {
        ...built,
        recordId,
        data: rawData ?? built.data,
      } satisfies FirehoseTransformationEventRecord;
    });

const batch = fc.constantFrom(...TABLES).chain((table) =>
  fc.record({
    table: fc.constant(table),
    records: fc.array(recordFor(table), { maxLength: 30 }),
    failingWrites: fc.boolean(),
  }),
);

describe('createTransformerHandler over random batches', () => {
  it('answers every record once, in order, with data, within 6 MB', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(batch, async ({ table, records, failingWrites }) => {
        const store = new MemoryObjectStore();
        store.failing = failingWrites ? ['dirty/'] : [];
        const handler = createTransformerHandler({ store, lakeBucket: 'lake' });
        const columns = tableNamed(table)?.columns.map((c) => c.name);

        const response = await handler(firehoseEvent(table, records));
        for (const { result } of response.records) {
          seen.set(result, (seen.get(result) ?? 0) + 1);
        }

        expect(response.records.map((r) => r.recordId)).toEqual(
          records.map((r) => r.recordId),
        );
        expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThanOrEqual(
          MAX_RESPONSE_BYTES,
        );
        response.records.forEach((answer, index) => {
          expect(typeof answer.data).toBe('string');
          if (answer.result === RecordResult.Ok) {
            expect(Object.keys(decodeData(answer.data) as object)).toEqual(
              columns,
            );
          } else {
            expect(answer.data).toBe(records[index].data);
          }
        });
        const dropped = response.records.filter(
          (r) => r.result === RecordResult.Dropped,
        );
        expect(store.dirtyRecords('lake')).toHaveLength(dropped.length);
        if (failingWrites) expect(dropped).toEqual([]);
      }),
      { numRuns: 150 },
    );

    // The batches exercised every answer, not only the easy one.
    expect([...seen.keys()].sort()).toEqual([
      RecordResult.Dropped,
      RecordResult.Ok,
      RecordResult.ProcessingFailed,
    ]);
  });
});
