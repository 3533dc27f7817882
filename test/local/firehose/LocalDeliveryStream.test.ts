import { setTimeout as sleep } from 'node:timers/promises';
import type { FirehoseTransformationResult } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_DELIVERY_ATTEMPTS,
  MAX_WRITE_ATTEMPTS,
} from '../../../local/constants.js';
import { DeliveryStreamError } from '../../../local/errors.js';
import type { DeliverySink } from '../../../local/firehose/deliverBatch.js';
import type { TransformationHandler } from '../../../local/firehose/transformBatch.js';
import {
  type DeliveryHarness,
  passThrough,
  startDeliveryHarness,
  TEST_TABLE,
} from '../helpers/deliveryHarness.js';

const ROW_A = {
  event_id: 'a',
  count: 3,
  score: 0.25,
  seen_at: Date.UTC(2022, 2, 29, 9, 0, 8, 123),
  ok: true,
  pairs: [{ sentence: 'One.', score: -1 }],
};
const ROW_B = {
  event_id: 'b',
  count: 4,
  score: 1,
  seen_at: '2022-03-29T09:00:09Z',
};

let harness: DeliveryHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function deliver(
  transform: TransformationHandler,
  texts: readonly string[],
  options = {},
): Promise<DeliveryHarness> {
  harness = await startDeliveryHarness(transform, options);
  await harness.put(texts);
  await harness.stream.drain();
  return harness;
}

function answer(
  map: (records: { recordId: string; data: string }[]) => unknown[],
): TransformationHandler {
  return async (event) =>
    ({ records: map(event.records) }) as FirehoseTransformationResult;
}

describe('LocalDeliveryStream', () => {
  it('writes Ok rows as typed Parquet under clean/<table>/dt=<arrival date>/', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const { cleanRows, keys, stream } = await deliver(passThrough, [
      JSON.stringify(ROW_A),
      JSON.stringify(ROW_B),
    ]);

    const after = new Date().toISOString().slice(0, 10);
    const today = `(${before}|${after})`;
    expect(await keys('clean/')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^clean/${TEST_TABLE}/dt=${today}/dvault-${TEST_TABLE}-1-[-0-9]{19}-[-0-9a-f]{36}\\.parquet$`,
        ),
      ),
    ]);
    expect(await cleanRows()).toEqual([
      {
        event_id: 'a',
        count: 3,
        score: 0.25,
        seen_at: new Date('2022-03-29T09:00:08.123Z'),
        ok: true,
        pairs: [{ sentence: 'One.', score: -1 }],
      },
      {
        event_id: 'b',
        count: 4,
        score: 1,
        seen_at: new Date('2022-03-29T09:00:09Z'),
        ok: null,
        pairs: null,
      },
    ]);
    expect(stream.stats()).toMatchObject({ read: 2, clean: 2, buffered: 0 });
  });

  // A 4.6 MB record base64-encodes past the 6 MB response limit.
  const bigData = Buffer.alloc(4_600_000, 'x').toString('base64');
  it.each<[string, TransformationHandler, string]>([
    [
      'a recordId is missing',
      answer((rs) => rs.slice(1).map(ok)),
      'Lambda.MissingRecordId',
    ],
    [
      'a recordId comes back twice',
      answer((rs) => [...rs.map(ok), ok(rs[0])]),
      'Lambda.DuplicatedRecordId',
    ],
    [
      'an Ok record has no data',
      answer((rs) => rs.map((r) => ({ recordId: r.recordId, result: 'Ok' }))),
      'Lambda.JsonProcessingException',
    ],
    [
      'a result is unknown',
      answer((rs) => rs.map((r) => ({ ...ok(r), result: 'Fine' }))),
      'Lambda.JsonProcessingException',
    ],
    [
      'the response exceeds 6 MB',
      answer((rs) => rs.map((r) => ({ ...ok(r), data: bigData }))),
      'Lambda.FunctionError',
    ],
  ])(
    'sends the whole batch to processing-failed when %s',
    async (_, transform, code) => {
      const texts = [JSON.stringify(ROW_A), JSON.stringify(ROW_B)];

      const { errorLines, cleanRows, stream } = await deliver(transform, texts);

      const lines = await errorLines('processing-failed');
      expect(lines.map((line) => line.errorCode)).toEqual([code, code]);
      expect(
        lines.map((line) =>
          Buffer.from(line.rawData as string, 'base64').toString(),
        ),
      ).toEqual(texts);
      expect(lines[0]).toMatchObject({
        attemptsMade: 1,
        lambdaArn: expect.stringContaining(':function:'),
      });
      expect(await cleanRows()).toEqual([]);
      expect(stream.stats()).toMatchObject({ processingFailed: 2, clean: 0 });
    },
  );

  it('gives a batch to processing-failed as Lambda.FunctionError after four throwing attempts', async () => {
    let calls = 0;
    const throwing: TransformationHandler = async () => {
      calls++;
      throw new Error('The transformer fell over.');
    };

    const { errorLines } = await deliver(throwing, [JSON.stringify(ROW_A)]);

    expect(calls).toBe(4);
    expect(await errorLines('processing-failed')).toEqual([
      expect.objectContaining({
        errorCode: 'Lambda.FunctionError',
        errorMessage:
          'The Lambda function was successfully invoked but it returned an error result.',
        attemptsMade: 4,
      }),
    ]);
  });

  it('keeps only the ProcessingFailed records under processing-failed and delivers the rest', async () => {
    const transform = answer((rs) =>
      rs.map((r, i) =>
        i === 0 ? { ...ok(r), result: 'ProcessingFailed' } : ok(r),
      ),
    );

    const { errorLines, cleanRows, stream } = await deliver(transform, [
      JSON.stringify(ROW_A),
      JSON.stringify(ROW_B),
    ]);

    expect(await errorLines('processing-failed')).toEqual([
      expect.objectContaining({
        errorCode: 'Lambda.ProcessingFailedStatus',
        rawData: Buffer.from(JSON.stringify(ROW_A)).toString('base64'),
      }),
    ]);
    expect((await cleanRows()).map((row) => row.event_id)).toEqual(['b']);
    expect(stream.stats()).toMatchObject({ processingFailed: 1, clean: 1 });
  });

  it('writes nothing for Dropped records and counts them', async () => {
    const transform = answer((rs) =>
      rs.map((r) => ({ recordId: r.recordId, result: 'Dropped' })),
    );

    const { keys, stream } = await deliver(transform, [JSON.stringify(ROW_A)]);

    expect(await keys('')).toEqual([]);
    expect(stream.stats()).toMatchObject({ read: 1, dropped: 1, clean: 0 });
  });

  it('converts keys case-insensitively, fills missing fields with null and drops extra ones', async () => {
    const record = {
      EVENT_ID: 'c',
      Count: 7,
      Pairs: [{ SENTENCE: 'Two.' }],
      surplus: { x: 1 },
    };

    const { cleanRows } = await deliver(passThrough, [JSON.stringify(record)]);

    expect(await cleanRows()).toEqual([
      {
        event_id: 'c',
        count: 7,
        score: null,
        seen_at: null,
        ok: null,
        pairs: [{ sentence: 'Two.', score: null }],
      },
    ]);
  });

  it('sends a record whose value does not fit its column to format-conversion-failed and delivers the rest', async () => {
    const mismatched = JSON.stringify({ event_id: 'm', count: 'three' });

    const { errorLines, cleanRows, stream } = await deliver(passThrough, [
      mismatched,
      JSON.stringify(ROW_B),
    ]);

    expect(await errorLines('format-conversion-failed')).toEqual([
      expect.objectContaining({
        ErrorCode: 'DataFormatConversion.MalformedData',
        ErrorMessage: expect.stringContaining(
          'Column count expects an int but the record has "three".',
        ),
        rawData: Buffer.from(mismatched).toString('base64'),
        dataCatalogTable: expect.objectContaining({
          databaseName: 'dvault',
          tableName: `${TEST_TABLE}_all`,
        }),
      }),
    ]);
    expect((await cleanRows()).map((row) => row.event_id)).toEqual(['b']);
    expect(stream.stats()).toMatchObject({
      formatConversionFailed: 1,
      clean: 1,
    });
  });

  it('sends a record the Parquet writer refuses alone to format-conversion-failed and writes the rest of its batch', async () => {
    // A lone surrogate passes the column rules, but DuckDB refuses it.
    const refused =
      '{"event_id":"s","count":1,"ok":true,"pairs":[{"sentence":"\\ud800"}]}';

    const { errorLines, cleanRows, stream } = await deliver(
      passThrough,
      [JSON.stringify(ROW_A), refused, JSON.stringify(ROW_B)],
      { writeRetryMs: 1 },
    );

    expect(await errorLines('format-conversion-failed')).toEqual([
      expect.objectContaining({
        ErrorCode: 'DataFormatConversion.MalformedData',
        ErrorMessage: expect.stringContaining('no low surrogate'),
        attemptsMade: MAX_WRITE_ATTEMPTS,
        rawData: Buffer.from(refused).toString('base64'),
      }),
    ]);
    expect((await cleanRows()).map((row) => row.event_id)).toEqual(['a', 'b']);
    expect(stream.stats()).toMatchObject({
      formatConversionFailed: 1,
      clean: 2,
      batches: 1,
    });
  });

  it('holds a buffer below its size until the buffer interval has passed, then delivers it', async () => {
    let clock = Date.UTC(2026, 11, 4);
    harness = await startDeliveryHarness(passThrough, {
      bufferMs: 60_000,
      now: () => clock,
    });

    await harness.put([JSON.stringify(ROW_A), JSON.stringify(ROW_B)]);
    await vi.waitFor(() => expect(harness?.stream.stats().read).toBe(2));
    await sleep(100);
    const heldBack = await harness.keys('clean/');
    clock += 60_000;
    await vi.waitFor(async () =>
      expect(await harness?.keys('clean/')).toHaveLength(1),
    );

    expect(heldBack).toEqual([]);
    expect(harness.stream.stats()).toMatchObject({ batches: 1, clean: 2 });
  });

  it('flushes a batch per buffer size when more than one buffer is read', async () => {
    const texts = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ ...ROW_B, event_id: `e${String(i).padStart(2, '0')}` }),
    );

    const { keys, cleanRows, stream } = await deliver(passThrough, texts, {
      bufferBytes: 10 * texts[0].length,
    });

    expect(await keys('clean/')).toHaveLength(3);
    expect(await cleanRows()).toHaveLength(30);
    expect(stream.stats()).toMatchObject({ batches: 3, clean: 30 });
  });

  it('reads every shard of a stream that has several', async () => {
    const texts = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ ...ROW_B, event_id: `s${String(i).padStart(2, '0')}` }),
    );
    harness = await startDeliveryHarness(passThrough, {}, undefined, 4);

    await harness.put(texts);
    await harness.stream.drain();

    expect(await harness.cleanRows()).toHaveLength(40);
    expect([...harness.stream.checkpoints().keys()].sort()).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
      'shardId-000000000003',
    ]);
  });

  it('retries a batch whose write failed and moves the checkpoint only once it is written', async () => {
    const checkpointsAtFailure: unknown[] = [];
    // Every write of the first delivery fails, so the batch is delivered
    // again rather than saved by writeCleanRows' own retries.
    let failures = MAX_WRITE_ATTEMPTS;
    const flaky = (sink: DeliverySink): DeliverySink => ({
      putLines: (key, lines) => sink.putLines(key, lines),
      checkParquet: (rows, columns) => sink.checkParquet(rows, columns),
      putParquet: async (key, rows, columns) => {
        if (failures-- > 0) {
          checkpointsAtFailure.push([...(harness?.stream.checkpoints() ?? [])]);
          throw new Error('The disk is full.');
        }
        await sink.putParquet(key, rows, columns);
      },
    });
    harness = await startDeliveryHarness(
      passThrough,
      { retryMs: 10, writeRetryMs: 1 },
      flaky,
    );

    await harness.put([JSON.stringify(ROW_A), JSON.stringify(ROW_B)]);
    await harness.stream.drain();

    expect(checkpointsAtFailure).toEqual([[], [], []]);
    expect((await harness.cleanRows()).map((row) => row.event_id)).toEqual([
      'a',
      'b',
    ]);
    expect([...harness.stream.checkpoints().keys()]).toEqual([
      'shardId-000000000000',
    ]);
    expect(harness.stream.stats()).toMatchObject({
      read: 2,
      clean: 2,
      batches: 1,
    });
  });

  it('gives up on a batch no write can save and rejects drain with the reason', async () => {
    const failures: DeliveryStreamError[] = [];
    const broken = (sink: DeliverySink): DeliverySink => ({
      putLines: (key, lines) => sink.putLines(key, lines),
      checkParquet: (rows, columns) => sink.checkParquet(rows, columns),
      putParquet: async () => {
        throw new Error('The lake is read-only.');
      },
    });
    harness = await startDeliveryHarness(
      passThrough,
      {
        retryMs: 10,
        writeRetryMs: 1,
        onFailure: (error) => failures.push(error),
      },
      broken,
    );

    await harness.put([JSON.stringify(ROW_A)]);
    const drained = harness.stream.drain();

    await expect(drained).rejects.toThrow(DeliveryStreamError);
    await expect(drained).rejects.toThrow(
      `after ${MAX_DELIVERY_ATTEMPTS} attempts`,
    );
    await expect(drained).rejects.toThrow('The lake is read-only.');
    expect(failures).toHaveLength(1);
    expect(harness.stream.failure).toBe(failures[0]);
    await expect(harness.stream.drain()).rejects.toBe(failures[0]);
    expect(await harness.keys('clean/')).toEqual([]);
    expect(harness.stream.checkpoints().size).toBe(0);
  });
});

function ok(record: { recordId: string; data: string } | undefined) {
  return { recordId: record?.recordId, result: 'Ok', data: record?.data };
}
