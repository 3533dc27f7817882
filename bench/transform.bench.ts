import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
} from 'aws-lambda';
import * as E from 'fp-ts/lib/Either.js';
import { decodeEvent, routeEvent } from '../schemas/index.js';
import type { ObjectStore } from '../schemas/ports/ObjectStore.js';
import { StreamRecord } from '../schemas/StreamRecord.js';
import {
  firehoseEvent,
  firehoseRecord,
  provenanceFor,
  streamRecordText,
} from '../test/helpers/firehoseEvents.js';
import { sampleEvents } from '../test/helpers/samples.js';
import { createTransformerHandler } from '../transformer/createTransformerHandler.js';
import { type BenchResult, result, timed } from './BenchResult.js';

/** Firehose's largest Lambda buffer: 3 MB of record data before base64. */
const BATCH_BYTES = 3 * 1024 * 1024;
const ROUNDS = 15;

/** Counts writes; the batches are clean, so none is expected. */
const NO_STORE: ObjectStore = {
  open: () => Promise.reject(new Error('The benchmark opens nothing.')),
  put: () => Promise.reject(new Error('The benchmark writes nothing.')),
  list: async function* () {},
};

/** One 3 MB batch per table: its real sample events, repeated. */
function batches(): FirehoseTransformationEvent[] {
  const byTable = new Map<string, unknown[]>();
  for (const event of sampleEvents()) {
    const routed = routeEvent(event);
    if (E.isLeft(routed)) continue;
    const events = byTable.get(routed.right.name) ?? [];
    events.push(event);
    byTable.set(routed.right.name, events);
  }
  return [...byTable].map(([table, events]) =>
    firehoseEvent(table, batchRecords(events)),
  );
}

function batchRecords(events: readonly unknown[]) {
  const records: FirehoseTransformationEventRecord[] = [];
  let bytes = 0;
  for (let index = 0; bytes < BATCH_BYTES; index++) {
    const text = streamRecordText(events[index % events.length], {
      source: provenanceFor(index),
    });
    bytes += Buffer.byteLength(text);
    records.push(firehoseRecord(text, { index, shard: index % 4 }));
  }
  return records;
}

/** Base64 decode, JSON.parse, JSON.stringify, base64 encode: the least any transform does. */
function floor(event: FirehoseTransformationEvent): number {
  let bytes = 0;
  for (const record of event.records) {
    const value = JSON.parse(Buffer.from(record.data, 'base64').toString());
    bytes += Buffer.from(JSON.stringify(value)).toString('base64').length;
  }
  return bytes;
}

/** The floor plus the schemas' decode: what the handler cannot avoid. */
function floorWithDecode(event: FirehoseTransformationEvent, now: number) {
  let bytes = 0;
  for (const record of event.records) {
    const value = JSON.parse(Buffer.from(record.data, 'base64').toString());
    const wrapped = StreamRecord.is(value);
    const decoded = decodeEvent(wrapped ? value.event : value, {
      now,
      source: wrapped ? value.source : null,
      ingestedAt: wrapped ? value.ingested_at : null,
    });
    if (E.isLeft(decoded)) throw new Error('The benchmark batch is clean.');
    const line = `${JSON.stringify(decoded.right.row)}\n`;
    bytes += Buffer.from(line).toString('base64').length;
  }
  return bytes;
}

export default async function transformBenchmark(): Promise<BenchResult[]> {
  const events = batches();
  const handler = createTransformerHandler({
    store: NO_STORE,
    lakeBucket: 'lake',
  });
  const now = Date.now();
  let checksum = 0;
  const best = { floor: Infinity, decode: Infinity, handler: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    best.floor = Math.min(
      best.floor,
      await timed(() => {
        for (const event of events) checksum += floor(event);
      }),
    );
    best.decode = Math.min(
      best.decode,
      await timed(() => {
        for (const event of events) checksum += floorWithDecode(event, now);
      }),
    );
    best.handler = Math.min(
      best.handler,
      await timed(async () => {
        for (const event of events) {
          checksum += (await handler(event)).records.length;
        }
      }),
    );
  }

  const records = events.reduce((sum, e) => sum + e.records.length, 0);
  const perBatch = (seconds: number) =>
    Math.round((seconds / events.length) * 1e4) / 10;
  return [
    result('transform', records, best.handler, best.floor, {
      batches: events.length,
      ms_per_3mb_batch: perBatch(best.handler),
      floor_ms_per_3mb_batch: perBatch(best.floor),
      decode_ms_per_3mb_batch: perBatch(best.decode - best.floor),
      handler_own_ms_per_3mb_batch: perBatch(best.handler - best.decode),
      checksum,
    }),
  ];
}
