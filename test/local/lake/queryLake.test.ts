import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandArgumentError, LakeQueryError } from '../../../local/errors.js';
import { conformRow } from '../../../local/firehose/conformRow.js';
import type { DeliveryRecord } from '../../../local/firehose/DeliveryRecord.js';
import { errorRecords } from '../../../local/firehose/errorRecords.js';
import { ParquetWriter } from '../../../local/firehose/ParquetWriter.js';
import { openDuckDb } from '../../../local/lake/openDuckDb.js';
import { jsonValue, queryLake } from '../../../local/lake/queryLake.js';
import {
  type DirtyRecord,
  type TableSpec,
  tableNamed,
} from '../../../schemas/index.js';
import { ARRIVAL, deliveryRecords } from '../helpers/deliveryRecords.js';

const STE_EVENT = tableNamed('ste_event') as TableSpec;

let lake: string;

beforeEach(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dvault-query-'));
});

afterEach(async () => {
  await rm(lake, { recursive: true, force: true });
});

async function writeRows(file: string, records: Record<string, unknown>[]) {
  const duck = await openDuckDb();
  const connection = await duck.connect();
  const writer = await ParquetWriter.open(connection);
  const rows = records.map((record) => {
    const conformed = conformRow(JSON.stringify(record), STE_EVENT.columns);
    if (!conformed.ok) throw new Error(conformed.reason);
    return conformed.row;
  });
  await writer.write(
    rows,
    STE_EVENT.columns,
    join(lake, 'clean/ste_event/dt=2026-12-03', file),
  );
  await writer.close();
  connection.closeSync();
  duck.closeSync();
}

async function writeDirty(file: string, records: Partial<DirtyRecord>[]) {
  const path = join(lake, 'dirty', file);
  await mkdir(join(path, '..'), { recursive: true });
  const lines = records.map((record) =>
    JSON.stringify({
      event_id: null,
      kind: 'invalid',
      table: 'ste_event',
      reasons: [],
      raw: '{}',
      source: null,
      ingested_at: null,
      kinesis: null,
      processed_at: 5000,
      ...record,
    }),
  );
  await writeFile(path, `${lines.join('\n')}\n`);
}

const SOURCE = {
  bucket: 'landing',
  key: 'a.json',
  etag: 'e',
  version_id: null,
  index: 0,
  offset: 10,
};

function kinesisAt(sequenceNumber: string) {
  return {
    shard_id: 'shardId-000000000000',
    partition_key: 'p',
    sequence_number: sequenceNumber,
    subsequence_number: '0',
    approximate_arrival_timestamp: 1000,
    stream_arn:
      'arn:aws:kinesis:eu-west-1:123456789012:stream/dvault-ste_event',
  };
}

describe('queryLake', () => {
  it('gives a table without files an empty view with its columns and dt', async () => {
    const { rows } = await queryLake(
      lake,
      'SELECT column_name FROM (DESCRIBE ste_event)',
    );

    expect(rows.map((row) => row.column_name)).toEqual([
      ...STE_EVENT.columns.map((column) => column.name),
      'dt',
    ]);
    expect(
      (await queryLake(lake, 'SELECT count(*) AS n FROM ste_event_all')).rows,
    ).toEqual([{ n: 0 }]);
  });

  it('gives an empty dirty view and errors view before anything is quarantined', async () => {
    const dirty = await queryLake(lake, 'SELECT * FROM dirty');
    const dirtyAll = await queryLake(lake, 'SELECT * FROM dirty_all');
    const errors = await queryLake(lake, 'SELECT * FROM errors');

    expect(dirty.columns).toEqual([
      'event_id',
      'kind',
      'table',
      'reasons',
      'raw',
      'raw_bytes',
      'raw_truncated',
      'raw_base64',
      'source',
      'ingested_at',
      'kinesis',
      'processed_at',
      'dt',
      'filename',
    ]);
    expect(dirtyAll.columns).toEqual(dirty.columns);
    expect(dirty.rows).toEqual([]);
    expect(dirtyAll.rows).toEqual([]);
    expect(errors.rows).toEqual([]);
  });

  it('reads how faithful the raw text of a dirty record is, null where the writer did not say', async () => {
    await writeDirty('_producer/dt=2026-12-03/a.jsonl', [
      {
        event_id: 'e1',
        kind: 'unparsable',
        raw: '\ufffd',
        raw_bytes: 1,
        raw_truncated: false,
        raw_base64: '/w==',
      },
      { event_id: 'e2' },
    ]);

    const { rows } = await queryLake(
      lake,
      'SELECT event_id, raw_bytes, raw_truncated, raw_base64 FROM dirty ORDER BY event_id',
    );

    expect(rows).toEqual([
      {
        event_id: 'e1',
        raw_bytes: 1,
        raw_truncated: false,
        raw_base64: '/w==',
      },
      {
        event_id: 'e2',
        raw_bytes: null,
        raw_truncated: null,
        raw_base64: null,
      },
    ]);
  });

  it('types dt and the dirty times as Athena does: text and epoch ms in the _all views, a date and timestamps in the views', async () => {
    await writeRows('a.parquet', [{ event_id: 'e1', ingested_at: 1000 }]);
    await writeDirty('_producer/dt=2026-12-03/a.jsonl', [
      { event_id: 'd1', ingested_at: 2000, processed_at: 3000 },
    ]);

    const { rows } = await queryLake(
      lake,
      `SELECT
         (SELECT typeof(dt) FROM ste_event_all) AS all_dt,
         (SELECT typeof(dt) FROM ste_event) AS view_dt,
         (SELECT typeof(dt) || ' ' || typeof(ingested_at) || ' ' || ingested_at FROM dirty_all) AS dirty_all,
         (SELECT typeof(dt) || ' ' || typeof(processed_at) || ' ' || processed_at FROM dirty) AS dirty`,
    );

    expect(rows).toEqual([
      {
        all_dt: 'VARCHAR',
        view_dt: 'DATE',
        dirty_all: 'VARCHAR BIGINT 2000',
        dirty: 'DATE TIMESTAMP 1970-01-01 00:00:03',
      },
    ]);
  });

  it('keeps one dirty record per table, kind and identity, the earliest ingested, and all in dirty_all', async () => {
    await writeDirty('_producer/dt=2026-12-03/a.jsonl', [
      {
        event_id: 'e1',
        kind: 'unroutable',
        table: '_producer',
        ingested_at: 2000,
        raw: 'later',
      },
      { event_id: null, source: SOURCE, raw: 'placed' },
      { kinesis: kinesisAt('s1'), kind: 'unparsable', raw: 'x' },
      { raw: 'same text' },
    ]);
    await writeDirty('_producer/dt=2026-12-04/b.jsonl', [
      {
        event_id: 'e1',
        kind: 'unroutable',
        table: '_producer',
        ingested_at: 1000,
        raw: 'earlier',
      },
      {
        event_id: 'e1',
        kind: 'invalid',
        table: 'ste_event',
        ingested_at: 3000,
        raw: 'other kind',
      },
      { event_id: null, source: SOURCE, raw: 'placed' },
      { kinesis: kinesisAt('s1'), kind: 'unparsable', raw: 'x' },
      { kinesis: kinesisAt('s2'), kind: 'unparsable', raw: 'x' },
      { raw: 'same text' },
      { raw: 'other text' },
    ]);

    const { rows } = await queryLake(
      lake,
      'SELECT kind, "table", event_id, raw, dt FROM dirty ORDER BY kind, "table", raw, dt',
    );
    const all = await queryLake(lake, 'SELECT count(*) AS n FROM dirty_all');

    expect(rows).toEqual([
      {
        kind: 'invalid',
        table: 'ste_event',
        event_id: 'e1',
        raw: 'other kind',
        dt: '2026-12-04',
      },
      {
        kind: 'invalid',
        table: 'ste_event',
        event_id: null,
        raw: 'other text',
        dt: '2026-12-04',
      },
      {
        kind: 'invalid',
        table: 'ste_event',
        event_id: null,
        raw: 'placed',
        dt: '2026-12-03',
      },
      {
        kind: 'invalid',
        table: 'ste_event',
        event_id: null,
        raw: 'same text',
        dt: '2026-12-03',
      },
      {
        kind: 'unparsable',
        table: 'ste_event',
        event_id: null,
        raw: 'x',
        dt: '2026-12-03',
      },
      {
        kind: 'unparsable',
        table: 'ste_event',
        event_id: null,
        raw: 'x',
        dt: '2026-12-04',
      },
      {
        kind: 'unroutable',
        table: '_producer',
        event_id: 'e1',
        raw: 'earlier',
        dt: '2026-12-04',
      },
    ]);
    expect(all.rows).toEqual([{ n: 11 }]);
  });

  it('keeps one row per event_id in the table view, the earliest ingested, and all in _all', async () => {
    await writeRows('a.parquet', [
      { event_id: 'e1', ingested_at: 2000, source_key: 'second' },
      { event_id: 'e2', ingested_at: 1000, source_key: 'only' },
    ]);
    await writeRows('b.parquet', [
      { event_id: 'e1', ingested_at: 1000, source_key: 'first' },
    ]);

    const deduplicated = await queryLake(
      lake,
      'SELECT event_id, source_key, ingested_at, dt FROM ste_event ORDER BY event_id',
    );
    const all = await queryLake(
      lake,
      'SELECT count(*) AS n FROM ste_event_all',
    );

    expect(deduplicated.rows).toEqual([
      {
        event_id: 'e1',
        source_key: 'first',
        ingested_at: '1970-01-01T00:00:01.000Z',
        dt: '2026-12-03',
      },
      {
        event_id: 'e2',
        source_key: 'only',
        ingested_at: '1970-01-01T00:00:01.000Z',
        dt: '2026-12-03',
      },
    ]);
    expect(all.rows).toEqual([{ n: 3 }]);
  });

  it('shows what the local Firehose kept under errors/, both kinds in one view', async () => {
    const [record] = deliveryRecords(['{"a":1}']);
    const facts = {
      attemptsMade: 4,
      endedMs: ARRIVAL + 5,
      errorCode: 'Lambda.FunctionError',
      errorMessage: 'It threw.',
    };
    const failed = join(
      lake,
      'errors/ste_event/processing-failed/dt=2026-03-02',
    );
    const unconverted = join(
      lake,
      'errors/ste_pred/format-conversion-failed/dt=2026-03-02',
    );
    await mkdir(failed, { recursive: true });
    await mkdir(unconverted, { recursive: true });
    await writeFile(
      join(failed, 'a'),
      `${JSON.stringify(errorRecords.processingFailed(record as DeliveryRecord, facts))}\n`,
    );
    await writeFile(
      join(unconverted, 'b'),
      `${JSON.stringify(errorRecords.formatConversionFailed(record as DeliveryRecord, Buffer.from('{}'), 'ste_pred', { ...facts, attemptsMade: 1, errorCode: 'DataFormatConversion.MalformedData' }))}\n`,
    );

    const { rows } = await queryLake(
      lake,
      'SELECT "table", error_type, error_code, error_message, arrived_at, attempts_made, raw_data FROM errors ORDER BY "table"',
    );

    expect(rows).toEqual([
      {
        table: 'ste_event',
        error_type: 'processing-failed',
        error_code: 'Lambda.FunctionError',
        error_message: 'It threw.',
        arrived_at: new Date(ARRIVAL).toISOString(),
        attempts_made: 4,
        raw_data: Buffer.from('{"a":1}').toString('base64'),
      },
      {
        table: 'ste_pred',
        error_type: 'format-conversion-failed',
        error_code: 'DataFormatConversion.MalformedData',
        error_message: 'It threw.',
        arrived_at: new Date(ARRIVAL).toISOString(),
        attempts_made: 1,
        raw_data: Buffer.from('{}').toString('base64'),
      },
    ]);
  });

  it.each([
    [
      'WITH',
      'WITH e AS (SELECT * FROM ste_event) SELECT count(*) AS n FROM e',
      [{ n: 1 }],
    ],
    ['FROM first', 'FROM ste_event_all SELECT event_id', [{ event_id: 'e1' }]],
    [
      'DESCRIBE',
      `SELECT column_type FROM (DESCRIBE ste_event) WHERE column_name = 'dt'`,
      [{ column_type: 'DATE' }],
    ],
    [
      'SHOW',
      `SELECT name FROM (SHOW TABLES) WHERE name LIKE 'dirty%' ORDER BY name`,
      [{ name: 'dirty' }, { name: 'dirty_all' }],
    ],
    [
      'SUMMARIZE',
      `SELECT count FROM (SUMMARIZE ste_event) WHERE column_name = 'event_id'`,
      [{ count: 1 }],
    ],
    [
      'EXPLAIN',
      'EXPLAIN SELECT * FROM ste_event',
      [
        {
          explain_key: 'physical_plan',
          explain_value: expect.stringContaining('READ_PARQUET'),
        },
      ],
    ],
  ])('answers a %s statement over the views', async (_, sql, expected) => {
    await writeRows('a.parquet', [{ event_id: 'e1', ingested_at: 1000 }]);

    const { rows } = await queryLake(lake, sql);

    expect(rows).toEqual(expected);
  });

  it('refuses a COPY over a lake file and leaves the file as it was', async () => {
    await writeRows('a.parquet', [{ event_id: 'e1', ingested_at: 1000 }]);
    const file = join(lake, 'clean/ste_event/dt=2026-12-03/a.parquet');
    const before = await readFile(file);

    const copying = queryLake(
      lake,
      `COPY (SELECT 1 AS a) TO '${file}' (USE_TMP_FILE false)`,
    );

    await expect(copying).rejects.toBeInstanceOf(CommandArgumentError);
    await expect(copying).rejects.toThrow(/; got a COPY statement\.$/);
    expect(await readFile(file)).toEqual(before);
  });

  it('refuses an EXPLAIN ANALYZE, so the statement it explains never runs on the lake', async () => {
    await writeRows('a.parquet', [{ event_id: 'e1', ingested_at: 1000 }]);
    const file = join(lake, 'clean/ste_event/dt=2026-12-03/a.parquet');
    const before = await readFile(file);

    const analyzing = queryLake(
      lake,
      'EXPLAIN ANALYZE SELECT * FROM ste_event',
    );
    await expect(analyzing).rejects.toBeInstanceOf(CommandArgumentError);
    await expect(analyzing).rejects.toThrow(
      /; got an EXPLAIN ANALYZE, which runs the statement it explains\.$/,
    );

    const copying = queryLake(
      lake,
      `EXPLAIN ANALYZE COPY (SELECT 1 AS a) TO '${file}' (USE_TMP_FILE false)`,
    );
    await expect(copying).rejects.toThrow(
      /^The query failed: Permission Error/,
    );
    expect(await readFile(file)).toEqual(before);
  });

  it('opens no file outside the lake', async () => {
    const outside = join(lake, '..', `${basename(lake)}-outside.csv`);
    await writeFile(outside, 'a\n1\n');

    const reading = queryLake(lake, `SELECT * FROM read_csv('${outside}')`);

    await expect(reading).rejects.toBeInstanceOf(LakeQueryError);
    await expect(reading).rejects.toThrow(
      /^The query failed: Permission Error: Cannot access file/,
    );
    await rm(outside);
  });

  it('names a lake file that is not Parquet instead of failing inside its own views', async () => {
    await writeRows('a.parquet', [{ event_id: 'e1', ingested_at: 1000 }]);
    const broken = join(lake, 'clean/ste_event/dt=2026-12-03/broken.parquet');
    await writeFile(broken, 'x');

    const querying = queryLake(lake, 'SELECT count(*) FROM summarizer_event');

    await expect(querying).rejects.toBeInstanceOf(LakeQueryError);
    await expect(querying).rejects.toThrow(
      `A file of the lake cannot be read, so no query can run until it is moved away: Invalid Input Error: File '${broken}' too small to be a Parquet file`,
    );
  });

  it('refuses two statements, running neither', async () => {
    const twice = queryLake(lake, 'SELECT 1; SELECT 2');

    await expect(twice).rejects.toBeInstanceOf(CommandArgumentError);
    await expect(twice).rejects.toThrow(/; got 2 statements\.$/);
  });

  it('reports a query error with the message DuckDB gave', async () => {
    await expect(queryLake(lake, 'SELECT nope FROM ste_event')).rejects.toThrow(
      /^The query failed: .*nope/s,
    );
  });

  it('rejects a lake folder that does not exist', async () => {
    await expect(queryLake(join(lake, 'missing'), 'SELECT 1')).rejects.toThrow(
      /does not exist/,
    );
  });
});

describe('jsonValue', () => {
  it.each([
    ['a safe bigint as a number', 380n, 380],
    ['a huge bigint as text', 2n ** 70n, '1180591620717411303424'],
    [
      'a timestamp as ISO text',
      new Date(Date.UTC(2022, 2, 29, 9, 0, 8)),
      '2022-03-29T09:00:08.000Z',
    ],
    ['bytes as base64', new Uint8Array([104, 105]), 'aGk='],
    [
      'nested values',
      { xs: [1n, { at: new Date(0) }] },
      { xs: [1, { at: '1970-01-01T00:00:00.000Z' }] },
    ],
  ])('turns %s', (_, value, expected) => {
    expect(jsonValue(value)).toEqual(expected);
  });
});
