import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformRow } from '../../../local/firehose/conformRow.js';
import { ParquetWriter } from '../../../local/firehose/ParquetWriter.js';
import { openDuckDb } from '../../../local/lake/openDuckDb.js';
import { jsonValue } from '../../../local/lake/queryLake.js';
import { type TableSpec, tableNamed } from '../../../schemas/index.js';

/**
 * Golden files of the local Firehose's record format conversion: each
 * `<table>.records.jsonl` in test/fixtures/local holds transformed records,
 * `<table>.expected.json` the rows read back from the Parquet file and the
 * records rejected with their reasons. See the folder's README.
 * `DVAULT_UPDATE_GOLDEN=1` rewrites the expected files.
 */
const FIXTURES = join(import.meta.dirname, '../../fixtures/local');
const cases = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.records.jsonl'))
  .map((name) => name.slice(0, -'.records.jsonl'.length));

async function convert(table: TableSpec, lines: string[]) {
  const rows: Record<string, unknown>[] = [];
  const rejected: { line: number; reason: string }[] = [];
  lines.forEach((line, index) => {
    const conformed = conformRow(line, table.columns);
    if (conformed.ok) rows.push(conformed.row);
    else rejected.push({ line: index + 1, reason: conformed.reason });
  });
  const folder = await mkdtemp(join(tmpdir(), 'dvault-golden-'));
  const duck = await openDuckDb();
  const connection = await duck.connect();
  try {
    const writer = await ParquetWriter.open(connection);
    const path = join(folder, 'batch.parquet');
    await writer.write(rows, table.columns, path);
    await writer.close();
    const reader = await connection.runAndReadAll(
      `SELECT * FROM read_parquet('${path}')`,
    );
    return { rows: reader.getRowObjectsJS().map(jsonValue), rejected };
  } finally {
    connection.closeSync();
    duck.closeSync();
    await rm(folder, { recursive: true, force: true });
  }
}

describe('record format conversion', () => {
  it('finds a golden case per fixture named in the folder README', () => {
    expect(cases.sort()).toEqual(['ste_event', 'summarizer_pred']);
  });

  it.each(cases)(
    'converts %s.records.jsonl as its expected file says',
    async (name) => {
      const table = tableNamed(name) as TableSpec;
      const text = await readFile(
        join(FIXTURES, `${name}.records.jsonl`),
        'utf8',
      );
      const expectedPath = join(FIXTURES, `${name}.expected.json`);

      const actual = await convert(
        table,
        text.split('\n').filter((line) => line !== ''),
      );

      if (process.env.DVAULT_UPDATE_GOLDEN === '1') {
        await writeFile(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
      }
      expect(actual).toEqual(JSON.parse(await readFile(expectedPath, 'utf8')));
    },
  );
});
