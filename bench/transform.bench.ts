import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
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
import { type BenchResult, result } from './BenchResult.js';

/** Firehose's largest Lambda buffer: 3 MB of record data before base64. */
const BATCH_BYTES = 3 * 1024 * 1024;
const ROUNDS = 15;

/** The batches are clean, so the handler never writes. */
const NO_STORE: ObjectStore = {
  open: () => Promise.reject(new Error('The benchmark opens nothing.')),
  put: () => Promise.reject(new Error('The benchmark writes nothing.')),
  list: async function* () {},
};

type Batch = FirehoseTransformationEvent;
type Variant = (batch: Batch) => Promise<number> | number;

/** One 3 MB batch per table that the samples hold: its events, repeated. */
function batches(): Batch[] {
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

/**
 * The floor: an identity transformation. Base64 decode, JSON.parse,
 * JSON.stringify and base64 encode of every record, answered `Ok` in a
 * response, as any transformation handler must answer.
 */
function floor(batch: Batch): number {
  return answer(batch, (value) => JSON.stringify(value));
}

/** The floor without building the response: the four steps alone. */
function bareFloor(batch: Batch): number {
  let bytes = 0;
  for (const record of batch.records) {
    const value = JSON.parse(Buffer.from(record.data, 'base64').toString());
    bytes += Buffer.from(JSON.stringify(value)).toString('base64').length;
  }
  return bytes;
}

/** The floor plus the schemas' `decodeEvent`: what the handler must do. */
function floorWithDecode(batch: Batch, now: number): number {
  return answer(batch, (value) => {
    const wrapped = StreamRecord.is(value);
    const decoded = decodeEvent(wrapped ? value.event : value, {
      now,
      source: wrapped ? value.source : null,
      ingestedAt: wrapped ? value.ingested_at : null,
    });
    if (E.isLeft(decoded)) throw new Error('The benchmark batch is clean.');
    return `${JSON.stringify(decoded.right.row)}\n`;
  });
}

function answer(batch: Batch, transform: (value: unknown) => string) {
  const response: FirehoseTransformationResult = { records: [] };
  for (const { recordId, data } of batch.records) {
    const value = JSON.parse(Buffer.from(data, 'base64').toString());
    const out = Buffer.from(transform(value)).toString('base64');
    response.records.push({ recordId, result: 'Ok', data: out });
  }
  return response.records.length;
}

/** Wall and CPU seconds of one pass over every batch. */
async function pass(batches: readonly Batch[], variant: Variant) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let checksum = 0;
  for (const batch of batches) checksum += await variant(batch);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  return { wall, cpu: (user + system) / 1e6, checksum };
}

/** The best wall and CPU time of each variant over interleaved rounds. */
async function bestTimes(
  batches: readonly Batch[],
  variants: Record<string, Variant>,
) {
  const best = new Map<string, { wall: number; cpu: number }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, variant] of Object.entries(variants)) {
      const { wall, cpu } = await pass(batches, variant);
      const previous = best.get(name) ?? { wall: Infinity, cpu: Infinity };
      best.set(name, {
        wall: Math.min(previous.wall, wall),
        cpu: Math.min(previous.cpu, cpu),
      });
    }
  }
  return (name: string) => best.get(name) ?? { wall: NaN, cpu: NaN };
}

/**
 * `transform`: one 3 MB batch per table of real sample events through the
 * handler, against the floor (an identity transformation: base64 decode,
 * JSON.parse, JSON.stringify, base64 encode, answered in a response) over
 * the same records in the same run. It also times the floor plus the
 * schemas' `decodeEvent`, which splits the handler's extra time into the
 * decode's part and the handler's own, and the bare floor without a
 * response. Best of interleaved rounds, in wall time (`ratio`) and in CPU
 * time (`cpu_ratio`, steadier on a busy machine).
 */
export default async function transformBenchmark(): Promise<BenchResult[]> {
  const all = batches();
  const handler = createTransformerHandler({
    store: NO_STORE,
    lakeBucket: 'lake',
  });
  const now = Date.now();
  const time = await bestTimes(all, {
    bare: bareFloor,
    floor,
    decode: (batch) => floorWithDecode(batch, now),
    handler: async (batch) => (await handler(batch)).records.length,
  });

  const records = all.reduce((sum, batch) => sum + batch.records.length, 0);
  const ms = (seconds: number) => Math.round((seconds / all.length) * 1e4) / 10;
  const [bare, base, decode, own] = ['bare', 'floor', 'decode', 'handler'].map(
    time,
  );
  return [
    result('transform', records, own.wall, base.wall, {
      batches: all.length,
      ms_per_3mb_batch: ms(own.wall),
      floor_ms_per_3mb_batch: ms(base.wall),
      cpu_ms_per_3mb_batch: ms(own.cpu),
      cpu_floor_ms_per_3mb_batch: ms(base.cpu),
      cpu_ratio: Math.round((base.cpu / own.cpu) * 1000) / 1000,
      cpu_decode_ms_per_3mb_batch: ms(decode.cpu - base.cpu),
      cpu_handler_own_ms_per_3mb_batch: ms(own.cpu - decode.cpu),
      bare_floor_ms_per_3mb_batch: ms(bare.wall),
      bare_ratio: Math.round((bare.wall / own.wall) * 1000) / 1000,
    }),
  ];
}
