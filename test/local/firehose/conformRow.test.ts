import { describe, expect, it } from 'vitest';
import { conformRow } from '../../../local/firehose/conformRow.js';
import type { Column } from '../../../schemas/ColumnType.js';

const COLUMNS: readonly Column[] = [
  { name: 'media_id', type: { kind: 'string' } },
  { name: 'paragraph', type: { kind: 'int' } },
  { name: 'offset', type: { kind: 'bigint' } },
  { name: 'score', type: { kind: 'double' } },
  { name: 'published', type: { kind: 'boolean' } },
  { name: 'at', type: { kind: 'timestamp' } },
  { name: 'tags', type: { kind: 'array', element: { kind: 'string' } } },
  {
    name: 'meta',
    type: {
      kind: 'struct',
      fields: [
        { name: 'idx', type: { kind: 'int' } },
        {
          name: 'scores',
          type: { kind: 'array', element: { kind: 'double' } },
        },
      ],
    },
  },
];

const NULLS = {
  media_id: null,
  paragraph: null,
  offset: null,
  score: null,
  published: null,
  at: null,
  tags: null,
  meta: null,
};

describe('conformRow', () => {
  it.each([
    [
      'keeps values of the right kind',
      {
        media_id: 'm',
        paragraph: 2,
        offset: 9007199254740991,
        score: -0.5,
        published: false,
        tags: ['a'],
        meta: { idx: 1, scores: [1, 0.5] },
      },
      {
        media_id: 'm',
        paragraph: 2,
        offset: 9007199254740991,
        score: -0.5,
        published: false,
        tags: ['a'],
        meta: { idx: 1, scores: [1, 0.5] },
      },
    ],
    [
      'matches keys without regard to case',
      { MEDIA_ID: 'm', Meta: { IDX: 3 } },
      { media_id: 'm', meta: { idx: 3, scores: null } },
    ],
    [
      'prefers the exact key when two differ only in case',
      { Media_Id: 'loose', media_id: 'exact' },
      { media_id: 'exact' },
    ],
    ['fills missing fields with null', {}, {}],
    [
      'drops fields no column names',
      { media_id: 'm', surplus: { deep: [1] } },
      { media_id: 'm' },
    ],
    [
      'writes a number in a string column as its text',
      { media_id: 1234567 },
      { media_id: '1234567' },
    ],
    [
      'reads epoch milliseconds as a timestamp',
      { at: 1648544408123 },
      { at: 1648544408123 },
    ],
    [
      'reads ISO text without a zone as UTC',
      { at: '2022-03-29 09:00:08' },
      { at: 1648544408000 },
    ],
    [
      'reads ISO text with an offset',
      { at: '2022-03-29T11:00:08+02:00' },
      { at: 1648544408000 },
    ],
  ])('%s', (_, record, expected) => {
    expect(conformRow(JSON.stringify(record), COLUMNS)).toEqual({
      ok: true,
      row: { ...NULLS, ...expected },
    });
  });

  it.each([
    [
      'a string in an int column',
      { paragraph: 'two' },
      'Column paragraph expects an int but the record has "two".',
    ],
    [
      'a fraction in an int column',
      { paragraph: 1.5 },
      'Column paragraph expects an int but the record has 1.5.',
    ],
    [
      'an int beyond 32 bits',
      { paragraph: 2 ** 31 },
      'Column paragraph expects an int but the record has 2147483648.',
    ],
    [
      'an object in a string column',
      { media_id: { id: 1 } },
      'Column media_id expects a string but the record has {"id":1}.',
    ],
    [
      'a string in a double column',
      { score: '0.5' },
      'Column score expects a double but the record has "0.5".',
    ],
    [
      'a number in a boolean column',
      { published: 1 },
      'Column published expects a boolean but the record has 1.',
    ],
    [
      'text that is no time',
      { at: 'yesterday' },
      'Column at expects a timestamp (epoch ms or ISO-8601) but the record has "yesterday".',
    ],
    [
      'a scalar where an array belongs',
      { tags: 'a' },
      'Column tags expects an array but the record has "a".',
    ],
    [
      'a bad element deep in a struct',
      { meta: { scores: [1, 'x'] } },
      'Column meta.scores[1] expects a double but the record has "x".',
    ],
  ])('rejects %s, naming the column', (_, record, reason) => {
    expect(conformRow(JSON.stringify(record), COLUMNS)).toEqual({
      ok: false,
      reason,
    });
  });

  it('rejects data that is not a JSON object', () => {
    expect(conformRow('[1]', COLUMNS)).toEqual({
      ok: false,
      reason: 'The record is [1], not a JSON object.',
    });
    expect(conformRow('{"media_id":', COLUMNS)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^The record is not JSON: /),
    });
  });
});
