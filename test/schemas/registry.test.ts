import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { lenientList, str } from '../../schemas/codecs.js';
import {
  breakingChanges,
  buildRegistry,
  type ColumnSnapshot,
  columnSnapshot,
  duckDbType,
  glueColumns,
  hiveType,
  SERVICES,
  TABLES,
  tableNamed,
} from '../../schemas/index.js';
import {
  defineEvaluation,
  defineService,
} from '../../schemas/ServiceModule.js';

const COMMITTED: ColumnSnapshot = JSON.parse(
  readFileSync(
    new URL('../../schemas/columns.snapshot.json', import.meta.url),
    'utf8',
  ),
);

describe('the table registry', () => {
  it('lists the eight tables of the contract', () => {
    expect(TABLES.map((t) => t.name).sort()).toEqual([
      'headliner_event',
      'headliner_pred',
      'image_tagging_event',
      'semantic_image_matcher_event',
      'ste_event',
      'ste_pred',
      'summarizer_event',
      'summarizer_pred',
    ]);
  });

  it('gives every row the identifiers, times and provenance columns', () => {
    for (const table of TABLES) {
      const names = table.columns.map((c) => c.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'event_id',
          'event_time',
          'account',
          'region',
          'shape_id',
          'prediction_id',
          'source_bucket',
          'source_key',
          'source_etag',
          'source_index',
          'source_offset',
          'ingested_at',
          'extra',
        ]),
      );
      expect(names).toContain(
        table.kind === 'prediction' ? 'predicted_at' : 'evaluated_at',
      );
    }
  });

  it('derives Hive types for nested columns', () => {
    const pred = Object.fromEntries(
      glueColumns(tableNamed('summarizer_pred')!).map((c) => [c.name, c.type]),
    );

    expect(pred).toMatchObject({
      input_sentences_scores: 'array<struct<sentence:string,score:double>>',
      output_metadata:
        'array<struct<filtered_sentences:array<string>,scores:array<double>,idx:int>>',
      service_version: 'struct<software:string,model:string>',
      predicted_at: 'timestamp',
      source_offset: 'bigint',
    });
  });

  it('derives DuckDB types that DuckDB itself accepts for every column', async () => {
    const db = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await db.connect();

    for (const table of TABLES) {
      const columns = table.columns
        .map((c) => `"${c.name}" ${duckDbType(c.type)}`)
        .join(', ');
      await connection.run(`CREATE TABLE "${table.name}" (${columns})`);
      const described = await connection.runAndReadAll(
        `DESCRIBE "${table.name}"`,
      );
      expect(described.getRowObjects().map((r) => r.column_name)).toEqual(
        table.columns.map((c) => c.name),
      );
    }
    connection.closeSync();
  });

  it('renders the same type tree for Glue and DuckDB', () => {
    const type = tableNamed('summarizer_pred')!.columns.find(
      (c) => c.name === 'input_sentences_scores',
    )!.type;

    expect(hiveType(type)).toBe('array<struct<sentence:string,score:double>>');
    expect(duckDbType(type)).toBe(
      'STRUCT("sentence" VARCHAR, "score" DOUBLE)[]',
    );
  });

  it('grows by one table when a service module is added', () => {
    const translator = defineService({
      service: 'translator',
      evaluation: defineEvaluation({
        table: 'translator_event',
        types: ['PUBLISH'],
        payload: { text: str, languages: lenientList(str) },
      }),
    });

    const tables = buildRegistry([...SERVICES, translator]);

    expect(tables).toHaveLength(TABLES.length + 1);
    expect(glueColumns(tables.at(-1)!)).toEqual(
      expect.arrayContaining([{ name: 'languages', type: 'array<string>' }]),
    );
  });

  it('refuses a module whose field collides with a common column', () => {
    const broken = defineService({
      service: 'broken',
      evaluation: defineEvaluation({
        table: 'broken_event',
        types: ['X'],
        payload: { event_id: str },
      }),
    });

    expect(() => buildRegistry([broken])).toThrow('two columns named event_id');
  });
});

describe('the committed column snapshot', () => {
  it('matches the tables without a removed, renamed or retyped column', () => {
    expect(breakingChanges(COMMITTED, columnSnapshot(TABLES))).toEqual([]);
  });

  it('flags a removed, a renamed and a retyped column, and lets an added one pass', () => {
    const committed = { ste_pred: { a: 'string', b: 'int', c: 'double' } };
    const current = {
      ste_pred: { a: 'string', b2: 'int', c: 'string', d: 'boolean' },
    };

    expect(breakingChanges(committed, current)).toEqual([
      'Column ste_pred.b was removed or renamed.',
      'Column ste_pred.c changed from double to string.',
    ]);
  });

  it('flags a removed table', () => {
    expect(breakingChanges({ gone: { a: 'string' } }, {})).toEqual([
      'Table gone was removed.',
    ]);
  });
});
