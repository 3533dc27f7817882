import { Readable } from 'node:stream';
import {
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsCommandInput,
} from '@aws-sdk/client-kinesis';
import {
  GetObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createProducerHandler } from '../../producer/createProducerHandler.js';
import {
  DeliveryError,
  FileFailureError,
  NotificationKeyError,
  QuarantineWriteError,
  SourceReadError,
} from '../../producer/errors.js';
import type { DirtyRecord } from '../../schemas/DirtyRecord.js';
import type { Log } from '../../schemas/index.js';
import { S3ObjectStore } from '../../schemas/ports/S3ObjectStore.js';
import { EVENTS } from '../helpers/dvaultEvents.js';
import { fakeContext, s3Event, s3TestEvent } from '../helpers/s3Events.js';
import { acceptAll, refuseAll, refuseAt } from './kinesisResponses.js';

const s3 = mockClient(S3Client);
const kinesis = mockClient(KinesisClient);
const LANDING = 'dvault-landing';
const LAKE = 'dvault-lake';
const NOW = Date.UTC(2022, 3, 27, 15, 8, 0);
const SHAPE = '5f0c2a9e-0d4b-4c37-9a51-2b8f3e6d7c10';

type Json = Record<string, unknown>;

/** An event with its own id, as text. */
function eventText(table: keyof typeof EVENTS, id: string): string {
  return JSON.stringify({ ...EVENTS[table](), id });
}

/** Makes GetObject answer with these files' bytes, by key. */
function landFiles(files: Record<string, string | Buffer>, etag = 'e1') {
  s3.on(GetObjectCommand).callsFake(async (input: { Key: string }) => {
    const body = files[input.Key];
    if (body === undefined) {
      throw Object.assign(new Error('The specified key does not exist.'), {
        name: 'NoSuchKey',
        $metadata: { httpStatusCode: 404 },
      });
    }
    return {
      Body: Readable.from([Buffer.from(body)]),
      ETag: `"${etag}"`,
      ContentLength: Buffer.byteLength(body),
    };
  });
}

interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

function recordingLog(lines: LogLine[]): Log {
  const at =
    (level: string) =>
    (message: string, ...extra: object[]) =>
      lines.push(Object.assign({ level, message }, ...extra));
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

function producer(options: { maxAttempts?: number; log?: Log } = {}) {
  return createProducerHandler({
    kinesis: new KinesisClient({ region: 'eu-west-1' }),
    store: new S3ObjectStore(new S3Client({ region: 'eu-west-1' })),
    lakeBucket: LAKE,
    now: () => NOW,
    maxAttempts: options.maxAttempts ?? 3,
    baseDelayMs: 0,
    log: options.log,
  });
}

/** Every record put, as `[stream, partition key, decoded record]`. */
function putRecords(): [string, string, Json][] {
  return kinesis.commandCalls(PutRecordsCommand).flatMap((call) => {
    const input: PutRecordsCommandInput = call.args[0].input;
    return (input.Records ?? []).map(
      (entry) =>
        [
          input.StreamName ?? '',
          entry.PartitionKey ?? '',
          JSON.parse(Buffer.from(entry.Data ?? []).toString('utf8')),
        ] as [string, string, Json],
    );
  });
}

/** Every dirty object written, as key and parsed lines. */
function dirtyObjects(): { key: string; records: DirtyRecord[] }[] {
  return s3.commandCalls(PutObjectCommand).map((call) => {
    const input: PutObjectCommandInput = call.args[0].input;
    const lines = String(input.Body).trimEnd().split('\n');
    return {
      key: input.Key ?? '',
      records: lines.map((line) => JSON.parse(line) as DirtyRecord),
    };
  });
}

describe('createProducerHandler', () => {
  beforeEach(() => {
    s3.reset();
    kinesis.reset();
    kinesis.on(PutRecordsCommand).callsFake(acceptAll);
    s3.on(PutObjectCommand).resolves({});
  });

  it('puts each event on its table stream with provenance, keyed by shape id', async () => {
    const first = eventText('ste_event', 'ev-1');
    const second = eventText('summarizer_pred', 'ev-2');
    landFiles({ 'in/file-1': `${first}${second}` });

    const summary = await producer()(
      s3Event({ bucket: LANDING, key: 'in/file-1', etag: 'e1' }),
      fakeContext(),
    );

    expect(putRecords()).toEqual([
      [
        'dvault-ste_event',
        SHAPE,
        {
          source: {
            bucket: LANDING,
            key: 'in/file-1',
            etag: 'e1',
            version_id: null,
            index: 0,
            offset: 0,
          },
          ingested_at: NOW,
          event: JSON.parse(first),
        },
      ],
      [
        'dvault-summarizer_pred',
        SHAPE,
        expect.objectContaining({
          source: expect.objectContaining({ index: 1, offset: first.length }),
        }),
      ],
    ]);
    expect(summary).toEqual({
      files: 1,
      events: 2,
      sent: 2,
      records: { ste_event: 1, summarizer_pred: 1 },
      quarantined: 0,
      dirty: {},
    });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('carries the event bytes untouched inside the record', async () => {
    const text = eventText('ste_event', 'ev-1').replace(
      '"timestamp":1651072028395',
      '"timestamp" : 1651072028395',
    );
    landFiles({ 'in/file-1': text });

    await producer()(s3Event({ bucket: LANDING, key: 'in/file-1' }));

    const data =
      kinesis.commandCalls(PutRecordsCommand)[0]?.args[0].input.Records?.[0]
        ?.Data;
    expect(Buffer.from(data ?? []).toString('utf8')).toMatch(
      new RegExp(`,"event":${text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}}$`),
    );
  });

  it.each([
    ['a space', 'landing/2022/file one.json'],
    ['a plus sign', 'landing/a+b.json'],
    ['parentheses', 'landing/report (1).json'],
    ['non-ASCII characters', 'landing/été/日本語-ü.json'],
    ['a percent sign', 'landing/100%.json'],
  ])('reads a key with %s decoded from the notification', async (_, key) => {
    landFiles({ [key]: eventText('ste_event', 'ev-1') });

    const summary = await producer()(s3Event({ bucket: LANDING, key }));

    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: LANDING,
      Key: key,
    });
    expect(putRecords()[0]?.[2].source).toMatchObject({ key });
    expect(summary.records).toEqual({ ste_event: 1 });
  });

  it('skips the s3:TestEvent with a log line', async () => {
    const lines: LogLine[] = [];

    const summary = await producer({ log: recordingLog(lines) })(s3TestEvent());

    expect(summary).toEqual({
      files: 0,
      events: 0,
      sent: 0,
      records: {},
      quarantined: 0,
      dirty: {},
    });
    expect(lines).toEqual([
      {
        level: 'info',
        message: 'Skipping a notification without records',
        s3_event: 's3:TestEvent',
      },
    ]);
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('reads every created object of a notification and skips other records', async () => {
    landFiles({
      'in/a': eventText('ste_event', 'a'),
      'in/b': eventText('headliner_event', 'b'),
    });
    const lines: LogLine[] = [];

    const summary = await producer({ log: recordingLog(lines) })(
      s3Event(
        { bucket: LANDING, key: 'in/a' },
        { bucket: LANDING, key: 'in/gone', eventName: 'ObjectRemoved:Delete' },
        {
          bucket: LANDING,
          key: 'in/b',
          eventName: 'ObjectCreated:CompleteMultipartUpload',
        },
      ),
    );

    expect(summary).toMatchObject({
      files: 2,
      records: { ste_event: 1, headliner_event: 1 },
    });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 2);
    expect(lines).toContainEqual({
      level: 'info',
      message: 'Skipping a notification record that creates no object',
      event_name: 'ObjectRemoved:Delete',
      bucket: LANDING,
      key: 'in/gone',
    });
  });

  it('quarantines unroutable events and unparsable bytes under dirty/_producer', async () => {
    const orphan = EVENTS.ste_event();
    const body = (orphan.detail as Json).evaluation as Json;
    body.prediction_id = null;
    delete body.service;
    const orphanText = JSON.stringify({ ...orphan, id: 'orphan-1' });
    const good = eventText('ste_event', 'good-1');
    landFiles({ 'in/f': `${good}<html>oops</html>${orphanText}` });

    const summary = await producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    expect(summary).toEqual({
      files: 1,
      events: 3,
      sent: 1,
      records: { ste_event: 1 },
      quarantined: 2,
      dirty: { unparsable: 1, unroutable: 1 },
    });
    const [object, ...others] = dirtyObjects();
    expect(others).toEqual([]);
    expect(object?.key).toMatch(
      /^dirty\/_producer\/dt=2022-04-27\/[0-9a-f]{32}\.jsonl$/,
    );
    const garbageAt = good.length;
    expect(object?.records).toEqual([
      {
        event_id: expect.stringMatching(/^sha256:/),
        kind: 'unparsable',
        table: '_producer',
        reasons: [
          expect.objectContaining({
            message: `Expected a JSON object at byte ${garbageAt}, found "<".`,
          }),
        ],
        raw: '<html>oops</html>',
        raw_bytes: 17,
        raw_truncated: false,
        source: expect.objectContaining({ index: 1, offset: garbageAt }),
        ingested_at: NOW,
        kinesis: null,
        processed_at: NOW,
      },
      expect.objectContaining({
        event_id: 'orphan-1',
        kind: 'unroutable',
        table: '_producer',
        raw: orphanText,
        raw_bytes: orphanText.length,
        raw_truncated: false,
        source: expect.objectContaining({ index: 2, offset: garbageAt + 17 }),
        reasons: [
          expect.objectContaining({ path: 'detail.evaluation.service' }),
        ],
      }),
    ]);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: LAKE,
      ContentType: 'application/x-ndjson',
    });
  });

  it('quarantines an event of an unknown service', async () => {
    const event = EVENTS.ste_event();
    ((event.detail as Json).evaluation as Json).service = 'translator';
    landFiles({ 'in/f': JSON.stringify(event) });

    const summary = await producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    expect(summary.dirty).toEqual({ unknown_service: 1 });
    expect(dirtyObjects()[0]?.records[0]).toMatchObject({
      kind: 'unknown_service',
      reasons: [{ actual: '"translator"' }],
    });
  });

  it('delivers the events of a file with a byte-order mark, garbage and a truncated tail', async () => {
    const events = ['a', 'b', 'c'].map((id) => eventText('ste_event', id));
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${events[0]}\n,,garbage\n${events[1]}${events[2]}`),
      Buffer.from(events[0]?.slice(0, 40) ?? ''),
    ]);
    landFiles({ 'in/f': bytes });

    const summary = await producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    expect(
      putRecords().map(([, , record]) => (record.event as Json).id),
    ).toEqual(['a', 'b', 'c']);
    expect(putRecords()[0]?.[2].source).toMatchObject({ offset: 3 });
    expect(summary.dirty).toEqual({ unparsable: 2 });
    const records = dirtyObjects()[0]?.records ?? [];
    expect(records.map((record) => record.raw)).toEqual([
      'garbage\n',
      events[0]?.slice(0, 40),
    ]);
    expect(records[1]?.reasons[0]?.message).toBe(
      `The file ends inside the object that opens at byte ${bytes.length - 40}.`,
    );
  });

  it('quarantines a record over 1 MiB as too large and delivers the rest', async () => {
    const big = EVENTS.ste_event();
    ((big.detail as Json).evaluation as Json).payload = {
      text: 'x'.repeat(1024 * 1024),
    };
    const bigText = JSON.stringify({ ...big, id: 'big-1' });
    landFiles({
      'in/f': `${eventText('ste_event', 'a')}${bigText}${eventText('ste_event', 'b')}`,
    });

    const summary = await producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    expect(
      putRecords().map(([, , record]) => (record.event as Json).id),
    ).toEqual(['a', 'b']);
    expect(summary.dirty).toEqual({ too_large: 1 });
    expect(dirtyObjects()[0]?.records[0]).toMatchObject({
      event_id: 'big-1',
      kind: 'too_large',
      table: 'ste_event',
      raw: bigText,
      reasons: [
        {
          message: expect.stringMatching(
            /^The record for event big-1 would be \d+ bytes/,
          ),
        },
      ],
    });
  });

  it('quarantines an object over 8 MiB as too large by offset and length, with its start, and delivers the rest', async () => {
    const big = EVENTS.ste_event();
    ((big.detail as Json).evaluation as Json).payload = {
      text: 'x'.repeat(9 * 1024 * 1024),
    };
    const bigText = JSON.stringify({ ...big, id: 'huge-1' });
    const first = eventText('ste_event', 'a');
    landFiles({
      'in/f': `${first}${bigText}${eventText('ste_event', 'b')}`,
    });

    const summary = await producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    expect(
      putRecords().map(([, , record]) => (record.event as Json).id),
    ).toEqual(['a', 'b']);
    expect(summary).toMatchObject({
      events: 3,
      sent: 2,
      quarantined: 1,
      dirty: { too_large: 1 },
    });
    const [record] = dirtyObjects()[0]?.records ?? [];
    expect(record).toMatchObject({
      kind: 'too_large',
      table: '_producer',
      event_id: expect.stringMatching(/^sha256:/),
      reasons: [
        {
          path: '',
          expected: `a JSON object of at most ${8 * 1024 * 1024} bytes`,
          actual: `${bigText.length} bytes from byte ${first.length}`,
          message: `The object at byte ${first.length} is ${bigText.length} bytes long; the producer reads objects of at most ${8 * 1024 * 1024} bytes.`,
        },
      ],
      raw_bytes: bigText.length,
      raw_truncated: true,
      source: expect.objectContaining({ index: 1, offset: first.length }),
    });
    expect(record?.raw).toBe(bigText.slice(0, 1024 * 1024));
    expect(record).not.toHaveProperty('raw_base64');
  });

  it('quarantines an event that is not valid UTF-8 with its bytes in base64, and delivers its neighbours', async () => {
    const first = eventText('ste_event', 'a');
    const [head, tail] = eventText('ste_event', 'bad').split('"id":"bad"');
    const bad = Buffer.concat([
      Buffer.from(`${head}"id":"b`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`d"${tail}`),
    ]);
    landFiles({
      'in/f': Buffer.concat([
        Buffer.from(first),
        bad,
        Buffer.from(eventText('ste_event', 'c')),
      ]),
    });

    const summary = await producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    expect(
      putRecords().map(([, , record]) => (record.event as Json).id),
    ).toEqual(['a', 'c']);
    expect(summary.dirty).toEqual({ unparsable: 1 });
    const badAt = first.length + Buffer.byteLength(`${head}"id":"b`);
    expect(dirtyObjects()[0]?.records).toEqual([
      expect.objectContaining({
        kind: 'unparsable',
        reasons: [
          expect.objectContaining({
            expected: 'a JSON object in UTF-8',
            message: `The object at byte ${first.length} is not valid UTF-8: the sequence at byte ${badAt} is not a character.`,
          }),
        ],
        raw: bad.toString('utf8'),
        raw_bytes: bad.length,
        raw_truncated: false,
        raw_base64: bad.toString('base64'),
        source: expect.objectContaining({ index: 1, offset: first.length }),
      }),
    ]);
  });

  it('counts every piece of a file once, as sent or quarantined', async () => {
    const orphan = EVENTS.ste_event();
    const body = (orphan.detail as Json).evaluation as Json;
    body.prediction_id = null;
    delete body.service;
    const good = ['a', 'b', 'c'].map((id) => eventText('ste_event', id));
    const file = [
      good[0],
      'garbage between objects',
      good[1],
      JSON.stringify({ ...orphan, id: 'orphan-1' }),
      eventText('headliner_event', 'd'),
      good[2],
      good[0]?.slice(0, 50),
    ].join('');
    landFiles({ 'in/f': file });
    const lines: LogLine[] = [];

    const summary = await producer({ log: recordingLog(lines) })(
      s3Event({ bucket: LANDING, key: 'in/f' }),
    );

    const counts = {
      events: 7,
      sent: 4,
      quarantined: 3,
      records: { ste_event: 3, headliner_event: 1 },
      dirty: { unparsable: 2, unroutable: 1 },
    };
    expect(summary).toEqual({ files: 1, ...counts });
    expect(summary.events).toBe(summary.sent + summary.quarantined);
    expect(putRecords()).toHaveLength(summary.sent);
    expect(dirtyObjects()[0]?.records).toHaveLength(summary.quarantined);
    expect(lines).toEqual([
      expect.objectContaining({
        message: 'Produced a landed file',
        key: 'in/f',
        ...counts,
      }),
    ]);
  });

  it('sends 501 events of one table in calls of 500 and 1', async () => {
    const text = Array.from({ length: 501 }, (_, n) =>
      eventText('summarizer_event', `ev-${n}`),
    ).join('');
    landFiles({ 'in/f': text });

    const summary = await producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    const sizes = kinesis
      .commandCalls(PutRecordsCommand)
      .map((call) => call.args[0].input.Records?.length);
    expect(sizes).toEqual([500, 1]);
    expect(summary.records).toEqual({ summarizer_event: 501 });
  });

  it('keys an event without a shape id by its event id', async () => {
    const event = EVENTS.ste_event();
    const detail = event.detail as Json;
    delete (detail.evaluation as Json).shape_id;
    delete detail.partitionKey;
    landFiles({ 'in/f': JSON.stringify({ ...event, id: 'no-shape' }) });

    await producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    expect(putRecords()[0]?.[1]).toBe('no-shape');
  });

  it('resends only the refused records and then reports success', async () => {
    kinesis
      .on(PutRecordsCommand)
      .callsFakeOnce(refuseAt([1]))
      .callsFake(acceptAll);
    landFiles({
      'in/f': ['a', 'b', 'c'].map((id) => eventText('ste_event', id)).join(''),
    });

    const summary = await producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    const calls = kinesis.commandCalls(PutRecordsCommand);
    expect(calls[1]?.args[0].input.Records).toEqual([
      calls[0]?.args[0].input.Records?.[1],
    ]);
    expect(summary.records).toEqual({ ste_event: 3 });
  });

  it('fails when Kinesis keeps throttling, after producing the other files', async () => {
    kinesis
      .on(PutRecordsCommand)
      .callsFake(refuseAll)
      .on(PutRecordsCommand, { StreamName: 'dvault-headliner_event' })
      .callsFake(acceptAll);
    landFiles({
      'in/throttled': eventText('ste_event', 'a'),
      'in/fine': eventText('headliner_event', 'b'),
    });

    const invocation = producer({ maxAttempts: 3 })(
      s3Event(
        { bucket: LANDING, key: 'in/throttled' },
        { bucket: LANDING, key: 'in/fine' },
      ),
    );

    await expect(invocation).rejects.toThrow(FileFailureError);
    await expect(invocation).rejects.toThrow(
      /^1 of 2 landed file\(s\) could not be produced and will be retried: s3:\/\/dvault-landing\/in\/throttled \(1 of 1 records for stream dvault-ste_event were still refused after 3 attempts/,
    );
    await expect(invocation).rejects.toHaveProperty(
      'cause',
      expect.any(DeliveryError),
    );
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 4);
  });

  it('fails a notification naming a malformed key, naming it, after producing the other files', async () => {
    kinesis.on(PutRecordsCommand).callsFake(acceptAll);
    landFiles({ 'in/fine': eventText('headliner_event', 'b') });
    const event = s3Event(
      { bucket: LANDING, key: 'in/bad' },
      { bucket: LANDING, key: 'in/fine' },
    );
    event.Records[0].s3.object.key = 'in/100%+off%E9.json';

    const invocation = producer()(event);

    await expect(invocation).rejects.toThrow(
      /^1 of 2 landed file\(s\) could not be produced and will be retried: s3:\/\/dvault-landing\/in\/100%\+off%E9\.json \(The notification names key "in\/100%\+off%E9\.json", which is not form-encoded/,
    );
    await expect(invocation).rejects.toHaveProperty(
      'cause',
      expect.any(NotificationKeyError),
    );
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 1);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  it('fails when the dirty records cannot be written', async () => {
    s3.on(PutObjectCommand).rejects(new Error('Access Denied'));
    landFiles({ 'in/f': 'not json' });

    const invocation = producer()(s3Event({ bucket: LANDING, key: 'in/f' }));

    await expect(invocation).rejects.toHaveProperty(
      'cause',
      expect.any(QuarantineWriteError),
    );
  });

  it('fails when the landed file cannot be read', async () => {
    landFiles({});

    const invocation = producer()(
      s3Event({ bucket: LANDING, key: 'in/missing' }),
    );

    await expect(invocation).rejects.toHaveProperty(
      'cause',
      expect.any(SourceReadError),
    );
  });

  it('produces the same records and dirty keys for a duplicate notification', async () => {
    landFiles({
      'in/f': `${eventText('ste_event', 'a')}junk${eventText('ste_event', 'b')}`,
    });
    const event = s3Event({ bucket: LANDING, key: 'in/f', etag: 'e1' });
    const handler = producer();

    await handler(event);
    const firstRecords = putRecords();
    const firstDirty = dirtyObjects();
    kinesis.resetHistory();
    s3.resetHistory();
    await handler(structuredClone(event));

    expect(putRecords()).toEqual(firstRecords);
    expect(dirtyObjects()).toEqual(firstDirty);
    expect(firstDirty).toHaveLength(1);
  });

  it('names dirty objects after the file version', async () => {
    const keys: string[] = [];
    for (const etag of ['e1', 'e2']) {
      s3.reset();
      s3.on(PutObjectCommand).resolves({});
      landFiles({ 'in/f': 'junk' }, etag);
      await producer()(s3Event({ bucket: LANDING, key: 'in/f', etag }));
      keys.push(...dirtyObjects().map((object) => object.key));
    }

    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('dates dirty objects by the notification, not the clock', async () => {
    landFiles({ 'in/f': 'junk' });

    await producer()(
      s3Event({
        bucket: LANDING,
        key: 'in/f',
        eventTime: '2021-11-17T23:59:59Z',
      }),
    );

    expect(dirtyObjects()[0]?.key).toMatch(
      /^dirty\/_producer\/dt=2021-11-17\//,
    );
  });

  it('logs each produced file with its counts', async () => {
    landFiles({ 'in/f': eventText('ste_event', 'a') });
    const lines: LogLine[] = [];

    await producer({ log: recordingLog(lines) })(
      s3Event({ bucket: LANDING, key: 'in/f', etag: 'e1' }),
    );

    expect(lines).toEqual([
      {
        level: 'info',
        message: 'Produced a landed file',
        bucket: LANDING,
        key: 'in/f',
        etag: 'e1',
        version_id: null,
        events: 1,
        sent: 1,
        quarantined: 0,
        records: { ste_event: 1 },
        dirty: {},
        dirty_keys: [],
      },
    ]);
  });
});
