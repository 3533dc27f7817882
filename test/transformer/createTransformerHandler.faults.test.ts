import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordResult } from '../../transformer/constants.js';
import {
  fakeContext,
  firehoseEvent,
  firehoseRecord,
  provenanceFor,
  streamRecordText,
} from '../helpers/firehoseEvents.js';
import {
  decodeData,
  metricValue,
  sampleEventWithId,
  transformerSetup,
} from './helpers.js';

const STE_SEARCH = 'bf322dd3-2675-fdec-8bf9-e97a2a14d708';

/** The id of the record whose judging the mocked classifier breaks. */
const BROKEN = 'broken-record';

// A fault of our own code cannot be provoked through any input (every
// input ends as a verdict), so one is injected: classifying the record
// named BROKEN throws, every other record is classified for real.
vi.mock('../../transformer/classifyRecord.js', async (importOriginal) => {
  const real =
    await importOriginal<
      typeof import('../../transformer/classifyRecord.js')
    >();
  return {
    ...real,
    classifyRecord: (...args: Parameters<typeof real.classifyRecord>) => {
      if (args[0].recordId === BROKEN) {
        throw new RangeError('Maximum call stack size exceeded');
      }
      return real.classifyRecord(...args);
    },
  };
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const setup = transformerSetup;

function steRecord(index: number, recordId?: string) {
  const text = streamRecordText(sampleEventWithId(STE_SEARCH), {
    source: provenanceFor(index),
  });
  const record = firehoseRecord(text, { index });
  return recordId === undefined ? record : { ...record, recordId };
}

describe('createTransformerHandler when judging a record throws', () => {
  it('answers that record ProcessingFailed with its own data and the rest as usual', async () => {
    const { handler, store } = setup();
    const records = [steRecord(0), steRecord(1, BROKEN), steRecord(2)];

    const { records: answers } = await handler(
      firehoseEvent('ste_event', records),
      fakeContext(),
    );

    expect(answers.map((a) => [a.recordId, a.result])).toEqual([
      [records[0].recordId, RecordResult.Ok],
      [BROKEN, RecordResult.ProcessingFailed],
      [records[2].recordId, RecordResult.Ok],
    ]);
    expect(answers[1].data).toBe(records[1].data);
    expect(decodeData(answers[0].data)).toHaveProperty(
      'event_id',
      sampleEventWithId(STE_SEARCH).id,
    );
    expect(store.puts).toEqual([]);
  });

  it('logs the fault with the record id and counts it as failed', async () => {
    const { handler, errors, emf } = setup();

    await handler(
      firehoseEvent('ste_event', [steRecord(0, BROKEN), steRecord(1)]),
      fakeContext(),
    );

    expect(errors()).toEqual([
      expect.objectContaining({
        message: 'Judging a record failed; Firehose keeps it.',
        record_id: BROKEN,
        table: 'ste_event',
        cause: 'judge_failed',
        error: expect.objectContaining({
          name: 'RangeError',
          message: 'Maximum call stack size exceeded',
        }),
      }),
    ]);
    const table = { table: 'ste_event' };
    expect(metricValue(emf(), 'FailedRecords', table)).toBe(1);
    expect(metricValue(emf(), 'CleanRecords', table)).toBe(1);
  });
});
