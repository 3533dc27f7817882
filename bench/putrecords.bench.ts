import {
  MAX_BYTES_PER_CALL,
  MAX_RECORDS_PER_CALL,
} from '../producer/constants.js';
import { createProducerHandler } from '../producer/createProducerHandler.js';
import { result, timed } from './BenchResult.js';
import { eventPool, repeatedEvents } from './producer-corpus.js';
import {
  countingKinesisClient,
  landedEvent,
  MemoryObjectStore,
} from './producer-fakes.js';

const POOL = 25_000;
const COPIES = 4;

/**
 * `putrecords`: the whole producer handler over one landed file of 100,000
 * generated events, with a Kinesis client that counts PutRecords calls
 * in-process. For every stream the calls made must equal the least the
 * limits allow, `max(ceil(records / 500), ceil(bytes / 5 MiB))`, bytes
 * counting data and partition keys.
 */
export default async function putRecordsBenchmark() {
  const texts = [...repeatedEvents(eventPool(POOL), COPIES)];
  const store = new MemoryObjectStore();
  await store.put('landing', 'bench/file-1', texts.join(''));
  const { client, streams } = countingKinesisClient();
  const handler = createProducerHandler({
    kinesis: client,
    store,
    lakeBucket: 'lake',
  });
  const event = landedEvent('landing', 'bench/file-1');

  const seconds = await timed(() => handler(event));

  const perStream = Object.fromEntries(
    [...streams].map(([stream, tally]) => [
      stream,
      { ...tally, minimum: minimumCalls(tally.records, tally.bytes) },
    ]),
  );
  const calls = sum(Object.values(perStream).map((tally) => tally.calls));
  const minimum = sum(Object.values(perStream).map((tally) => tally.minimum));
  return result('putrecords', texts.length, seconds, undefined, {
    calls,
    minimum_calls: minimum,
    at_minimum: Object.values(perStream).every(
      (tally) => tally.calls === tally.minimum,
    ),
    per_stream: perStream,
  });
}

function minimumCalls(records: number, bytes: number): number {
  return Math.max(
    Math.ceil(records / MAX_RECORDS_PER_CALL),
    Math.ceil(bytes / MAX_BYTES_PER_CALL),
  );
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
