import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AddOutcome,
  MAX_BYTES_PER_CALL,
  MAX_RECORD_BYTES,
} from '../../producer/constants.js';
import { DeliveryError } from '../../producer/errors.js';
import {
  type KinesisEntry,
  KinesisWriter,
} from '../../producer/KinesisWriter.js';
import {
  acceptAll,
  refuseAll,
  refuseAt,
  sentData,
} from './kinesisResponses.js';

const kinesis = mockClient(KinesisClient);
const STREAM = 'dvault-ste_event';

function entry(text: string, partitionKey = 'shape-1'): KinesisEntry {
  return { data: Buffer.from(text), partitionKey };
}

/** An entry whose data and one-byte key add up to `bytes`. */
function entryOfBytes(bytes: number): KinesisEntry {
  return { data: Buffer.alloc(bytes - 1, 0x61), partitionKey: 'k' };
}

function writer(
  options: { maxAttempts?: number; sleep?: () => Promise<void> } = {},
) {
  return new KinesisWriter({
    client: new KinesisClient({ region: 'eu-west-1' }),
    sleep: options.sleep ?? (async () => undefined),
    maxAttempts: options.maxAttempts ?? 4,
  });
}

function callSizes(): number[] {
  return kinesis
    .commandCalls(PutRecordsCommand)
    .map((call) => call.args[0].input.Records?.length ?? 0);
}

describe('KinesisWriter', () => {
  beforeEach(() => {
    kinesis.reset();
    kinesis.on(PutRecordsCommand).callsFake(acceptAll);
  });

  it('sends 501 records in two calls of 500 and 1', async () => {
    const out = writer();

    for (let n = 0; n < 501; n++) await out.add(STREAM, entry(`{"n":${n}}`));
    await out.flush();

    expect(callSizes()).toEqual([500, 1]);
    expect(sentData(kinesis.commandCalls(PutRecordsCommand)).flat()).toEqual(
      Array.from({ length: 501 }, (_, n) => `{"n":${n}}`),
    );
    expect(out.stats).toEqual({ calls: 2, records: 501, retried: 0 });
  });

  it.each([
    ['exactly 5 MiB', 10, [6]],
    ['one byte over 5 MiB', 11, [5, 1]],
  ])('packs records adding up to %s accordingly', async (_, last, sizes) => {
    const out = writer();
    const mib = MAX_RECORD_BYTES;
    const records = [mib, mib, mib, mib, mib - 10, last].map(entryOfBytes);
    expect(4 * mib + (mib - 10) + 10).toBe(MAX_BYTES_PER_CALL);

    for (const record of records) await out.add(STREAM, record);
    await out.flush();

    expect(callSizes()).toEqual(sizes);
  });

  it.each([
    ['ab', AddOutcome.Queued],
    ['é', AddOutcome.Queued],
    ['abc', AddOutcome.TooLarge],
    ['éa', AddOutcome.TooLarge],
  ])(
    'counts the UTF-8 bytes of partition key %j toward the 1 MiB limit',
    async (partitionKey, outcome) => {
      const out = writer();
      const data = Buffer.alloc(MAX_RECORD_BYTES - 2);

      const added = await out.add(STREAM, { data, partitionKey });

      expect(added).toBe(outcome);
    },
  );

  it('refuses a record over 1 MiB without failing the rest of its batch', async () => {
    const out = writer();

    const before = await out.add(STREAM, entry('{"n":1}'));
    const large = await out.add(STREAM, entryOfBytes(MAX_RECORD_BYTES + 1));
    const after = await out.add(STREAM, entry('{"n":2}'));
    await out.flush();

    expect([before, large, after]).toEqual([
      AddOutcome.Queued,
      AddOutcome.TooLarge,
      AddOutcome.Queued,
    ]);
    expect(sentData(kinesis.commandCalls(PutRecordsCommand))).toEqual([
      ['{"n":1}', '{"n":2}'],
    ]);
  });

  it('keeps one batch per stream', async () => {
    const out = writer();

    await out.add('dvault-a', entry('{"a":1}'));
    await out.add('dvault-b', entry('{"b":1}'));
    await out.add('dvault-a', entry('{"a":2}'));
    await out.flush();

    const calls = kinesis.commandCalls(PutRecordsCommand);
    expect(calls.map((call) => call.args[0].input.StreamName)).toEqual([
      'dvault-a',
      'dvault-b',
    ]);
    expect(sentData(calls)).toEqual([['{"a":1}', '{"a":2}'], ['{"b":1}']]);
  });

  it('resends only the refused entries of a partial failure, with the same data and key', async () => {
    kinesis
      .on(PutRecordsCommand)
      .callsFakeOnce(refuseAt([1, 3]))
      .callsFake(acceptAll);
    const out = writer();
    const entries = [0, 1, 2, 3, 4].map((n) => entry(`{"n":${n}}`, `key-${n}`));

    for (const item of entries) await out.add(STREAM, item);
    await out.flush();

    const calls = kinesis.commandCalls(PutRecordsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input).toEqual({
      StreamName: STREAM,
      Records: [
        { Data: Buffer.from('{"n":1}'), PartitionKey: 'key-1' },
        { Data: Buffer.from('{"n":3}'), PartitionKey: 'key-3' },
      ],
    });
    expect(out.stats).toEqual({ calls: 2, records: 5, retried: 2 });
  });

  it('fails with DeliveryError when throttling outlasts the attempts', async () => {
    kinesis.on(PutRecordsCommand).callsFake(refuseAll);
    const out = writer({ maxAttempts: 3 });
    await out.add(STREAM, entry('{"n":1}'));
    await out.add(STREAM, entry('{"n":2}'));

    const flushed = out.flush();

    await expect(flushed).rejects.toThrow(DeliveryError);
    await expect(flushed).rejects.toThrow(
      /2 of 2 records for stream dvault-ste_event were still refused after 3 attempts; the last refusal was ProvisionedThroughputExceededException/,
    );
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 3);
  });

  it('waits with exponential backoff and full jitter between attempts', async () => {
    kinesis.on(PutRecordsCommand).callsFake(refuseAll);
    const sleep = vi.fn(async () => undefined);
    const out = new KinesisWriter({
      client: new KinesisClient({ region: 'eu-west-1' }),
      maxAttempts: 4,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep,
    });
    await out.add(STREAM, entry('{"n":1}'));

    await expect(out.flush()).rejects.toThrow(DeliveryError);

    expect(sleep.mock.calls).toEqual([[50], [100], [200]]);
  });

  it('retries a call that throws a throttling exception', async () => {
    const throttled = Object.assign(new Error('Rate exceeded.'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    kinesis.on(PutRecordsCommand).rejectsOnce(throttled).callsFake(acceptAll);
    const out = writer();
    await out.add(STREAM, entry('{"n":1}'));

    await out.flush();

    expect(sentData(kinesis.commandCalls(PutRecordsCommand))).toEqual([
      ['{"n":1}'],
      ['{"n":1}'],
    ]);
  });

  it('fails at once when the stream does not exist', async () => {
    const missing = Object.assign(new Error('Stream dvault-x not found.'), {
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    kinesis.on(PutRecordsCommand).rejects(missing);
    const out = writer();
    await out.add('dvault-x', entry('{"n":1}'));

    const flushed = out.flush();

    await expect(flushed).rejects.toThrow(
      'PutRecords to stream dvault-x failed and cannot be retried: Stream dvault-x not found.',
    );
    await expect(flushed).rejects.toHaveProperty('cause', missing);
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 1);
  });

  it('resends every entry when the response does not list one result each', async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({ FailedRecordCount: 0, Records: [] })
      .callsFake(acceptAll);
    const out = writer();
    await out.add(STREAM, entry('{"n":1}'));

    await out.flush();

    expect(callSizes()).toEqual([1, 1]);
  });
});
