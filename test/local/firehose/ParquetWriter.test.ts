import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParquetWriter } from '../../../local/firehose/ParquetWriter.js';
import { openDuckDb } from '../../../local/lake/openDuckDb.js';
import type { Column } from '../../../schemas/ColumnType.js';

const COLUMNS: readonly Column[] = [
  { name: 'id', type: { kind: 'string' } },
  { name: 'at', type: { kind: 'timestamp' } },
  {
    name: 'visits',
    type: {
      kind: 'array',
      element: {
        kind: 'struct',
        fields: [
          { name: 'at', type: { kind: 'timestamp' } },
          { name: 'pages', type: { kind: 'int' } },
        ],
      },
    },
  },
  { name: "it's", type: { kind: 'double' } },
];

let folder: string;
let duck: DuckDBInstance;
let connection: DuckDBConnection;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'dvault-parquet-test-'));
  duck = await openDuckDb();
  connection = await duck.connect();
});

afterEach(async () => {
  connection.closeSync();
  duck.closeSync();
  await rm(folder, { recursive: true, force: true });
});

describe('ParquetWriter', () => {
  it('writes epoch milliseconds as timestamps, nested ones too, with the columns typed', async () => {
    const writer = await ParquetWriter.open(connection);
    const path = join(folder, 'clean/t/dt=2026-01-01/a.parquet');

    await writer.write(
      [
        {
          id: 'a',
          at: 1648544408123,
          visits: [{ at: 0, pages: 2 }, null],
          "it's": 0.5,
        },
        { id: 'b', at: null, visits: null, "it's": null },
      ],
      COLUMNS,
      path,
    );
    await writer.close();

    const reader = await connection.runAndReadAll(
      `SELECT *, typeof("at") AS at_type, typeof(visits) AS visits_type FROM read_parquet('${path}', hive_partitioning = false) ORDER BY id`,
    );
    expect(reader.getRowObjectsJS()).toEqual([
      {
        id: 'a',
        at: new Date('2022-03-29T09:00:08.123Z'),
        visits: [{ at: new Date(0), pages: 2 }, null],
        "it's": 0.5,
        at_type: 'TIMESTAMP',
        visits_type: 'STRUCT("at" TIMESTAMP, pages INTEGER)[]',
      },
      {
        id: 'b',
        at: null,
        visits: null,
        "it's": null,
        at_type: 'TIMESTAMP',
        visits_type: 'STRUCT("at" TIMESTAMP, pages INTEGER)[]',
      },
    ]);
    expect(await readdir(join(folder, 'clean/t/dt=2026-01-01'))).toEqual([
      'a.parquet',
    ]);
  });

  it('leaves no partial file behind when the rows do not fit the columns', async () => {
    const writer = await ParquetWriter.open(connection);
    const path = join(folder, 'b.parquet');

    await expect(
      writer.write([{ id: 'a', at: 'not a number' }], COLUMNS, path),
    ).rejects.toThrow(`Cannot write Parquet file ${path}.`);
    await writer.close();

    expect(await readdir(folder)).toEqual([]);
  });
});
