import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_RESPONSE_BYTES,
  RecordResult,
} from '../../transformer/constants.js';
import { ResponseLimitError } from '../../transformer/errors.js';
import { type Answer, fitResponse } from '../../transformer/fitResponse.js';
import { firehoseRecord } from '../helpers/firehoseEvents.js';

function bytesOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

function recordsOf(
  sizes: readonly number[],
): FirehoseTransformationEventRecord[] {
  return sizes.map((size, index) =>
    firehoseRecord('x'.repeat(size), { index }),
  );
}

function okAnswers(sizes: readonly number[]): Answer[] {
  return sizes.map((size) => ({
    result: RecordResult.Ok,
    data: Buffer.from('y'.repeat(size)).toString('base64'),
  }));
}

describe('fitResponse', () => {
  it('keeps every wanted answer when the response fits', () => {
    const records = recordsOf([10, 20, 30]);
    const answers = okAnswers([40, 50, 60]);

    const { response, overflowed } = fitResponse(records, answers);

    expect(response.records).toEqual(
      records.map((record, index) => ({
        recordId: record.recordId,
        ...answers[index],
      })),
    );
    expect(overflowed).toEqual([]);
  });

  it('keeps every answer when the response is exactly at the limit', () => {
    const records = recordsOf([10, 20, 30]);
    const answers = okAnswers([400, 500, 600]);
    const exact = bytesOf(fitResponse(records, answers).response);

    const { response, overflowed } = fitResponse(records, answers, exact);

    expect(bytesOf(response)).toBe(exact);
    expect(overflowed).toEqual([]);
  });

  it('answers the last record ProcessingFailed with its data when one byte is missing', () => {
    const records = recordsOf([10, 20, 30]);
    const answers = okAnswers([400, 500, 600]);
    const exact = bytesOf(fitResponse(records, answers).response);

    const { response, overflowed } = fitResponse(records, answers, exact - 1);

    expect(overflowed).toEqual([records[2].recordId]);
    expect(response.records[2]).toEqual({
      recordId: records[2].recordId,
      result: RecordResult.ProcessingFailed,
      data: records[2].data,
    });
    expect(response.records.slice(0, 2).map((r) => r.result)).toEqual([
      RecordResult.Ok,
      RecordResult.Ok,
    ]);
    expect(bytesOf(response)).toBeLessThan(exact);
  });

  it('keeps a later small answer when an earlier large one had to give way', () => {
    const records = recordsOf([10, 10, 10]);
    const answers = okAnswers([10, 5_000, 10]);
    const limit =
      bytesOf(fitResponse(records, okAnswers([10, 10, 10])).response) + 100;

    const { response, overflowed } = fitResponse(records, answers, limit);

    expect(overflowed).toEqual([records[1].recordId]);
    expect(response.records.map((r) => r.result)).toEqual([
      RecordResult.Ok,
      RecordResult.ProcessingFailed,
      RecordResult.Ok,
    ]);
  });

  it('counts record ids that JSON must escape byte for byte', () => {
    const records = [
      { ...firehoseRecord('a'), recordId: 'id "quoted" \\ é ✓ \u0001' },
    ];
    const answers = okAnswers([30]);
    const exact = bytesOf(fitResponse(records, answers).response);

    const { overflowed } = fitResponse(records, answers, exact);

    expect(overflowed).toEqual([]);
    expect(() => fitResponse(records, answers, exact - 1)).not.toThrow();
    expect(fitResponse(records, answers, exact - 1).overflowed).toEqual([
      records[0].recordId,
    ]);
  });

  it('answers an empty batch with an empty list', () => {
    const { response } = fitResponse([], []);

    expect(response).toEqual({ records: [] });
  });

  it('throws when neither the wanted answers nor the echoes fit', () => {
    const records = recordsOf([4_600_000]);

    expect(() => fitResponse(records, okAnswers([4_600_000]))).toThrow(
      ResponseLimitError,
    );
  });

  it('answers rows that fit even when the records own data would not', () => {
    const records = recordsOf([4_600_000]);

    const { response, overflowed } = fitResponse(records, okAnswers([10]));

    expect(response.records[0].result).toBe(RecordResult.Ok);
    expect(overflowed).toEqual([]);
  });

  it('never exceeds the limit, answers every record once, in order, with data', () => {
    const batch = fc.record({
      sizes: fc.array(fc.record({ input: fc.nat(300), output: fc.nat(600) }), {
        maxLength: 40,
      }),
      slack: fc.nat(4_000),
      dirty: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    });
    fc.assert(
      fc.property(batch, ({ sizes, slack, dirty }) => {
        const records = recordsOf(sizes.map((size) => size.input));
        const answers: Answer[] = okAnswers(sizes.map((s) => s.output)).map(
          (answer, index) =>
            dirty[index] ? { result: RecordResult.Dropped } : answer,
        );
        const floor = bytesOf({
          records: records.map((record) => ({
            recordId: record.recordId,
            result: RecordResult.ProcessingFailed,
            data: record.data,
          })),
        });
        const limit = floor + slack;

        const { response, overflowed } = fitResponse(records, answers, limit);

        expect(bytesOf(response)).toBeLessThanOrEqual(limit);
        expect(response.records.map((r) => r.recordId)).toEqual(
          records.map((r) => r.recordId),
        );
        response.records.forEach((answer, index) => {
          const wanted = answers[index];
          const kept = answer.result === wanted.result;
          expect(answer.data).toBe(
            wanted.result === RecordResult.Ok && kept
              ? wanted.data
              : records[index].data,
          );
          expect(kept).toBe(!overflowed.includes(answer.recordId));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('uses a limit of six million bytes by default', () => {
    expect(MAX_RESPONSE_BYTES).toBe(6_000_000);
  });
});
