import { describe, expect, it } from 'vitest';
import { prestoType } from '../../cdk/glue/prestoType.js';
import type { ColumnType } from '../../schemas/index.js';

const row = (...fields: [string, ColumnType][]): ColumnType => ({
  kind: 'struct',
  fields: fields.map(([name, type]) => ({ name, type })),
});

describe('prestoType', () => {
  it.each<[string, ColumnType, string]>([
    ['a string as varchar', { kind: 'string' }, 'varchar'],
    ['an int as integer', { kind: 'int' }, 'integer'],
    ['a bigint', { kind: 'bigint' }, 'bigint'],
    ['a double', { kind: 'double' }, 'double'],
    ['a boolean', { kind: 'boolean' }, 'boolean'],
    [
      'a timestamp with the milliseconds Parquet holds',
      { kind: 'timestamp' },
      'timestamp(3)',
    ],
    [
      'an array of strings',
      { kind: 'array', element: { kind: 'string' } },
      'array(varchar)',
    ],
    [
      'a struct as a row with quoted field names',
      row(['software', { kind: 'string' }], ['model', { kind: 'string' }]),
      'row("software" varchar, "model" varchar)',
    ],
    [
      'fields called like keywords',
      row(['table', { kind: 'string' }], ['offset', { kind: 'bigint' }]),
      'row("table" varchar, "offset" bigint)',
    ],
    [
      'an array of rows holding arrays',
      {
        kind: 'array',
        element: row(
          [
            'filtered_sentences',
            { kind: 'array', element: { kind: 'string' } },
          ],
          ['scores', { kind: 'array', element: { kind: 'double' } }],
          ['idx', { kind: 'int' }],
        ),
      },
      'array(row("filtered_sentences" array(varchar), "scores" array(double), "idx" integer))',
    ],
  ])('spells %s', (_, type, expected) => {
    expect(prestoType(type)).toBe(expected);
  });
});
