import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  isoTime,
  lenientList,
  mediaId,
  nonEmptyList,
  str,
  struct,
} from '../../schemas/codecs.js';

describe('isoTime', () => {
  it.each([
    ['2022-03-29T09:00:08Z', Date.UTC(2022, 2, 29, 9, 0, 8)],
    ['2022-03-29T09:00:08.5Z', Date.UTC(2022, 2, 29, 9, 0, 8, 500)],
    ['2022-03-29T09:00:08.25Z', Date.UTC(2022, 2, 29, 9, 0, 8, 250)],
    ['2022-03-29T09:00:08.123Z', Date.UTC(2022, 2, 29, 9, 0, 8, 123)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T23:59:59Z', Date.UTC(2000, 1, 29, 23, 59, 59)],
  ])('reads %s as epoch milliseconds', (text, ms) => {
    expect(isoTime.decode(text)).toEqual(E.right(ms));
  });

  it.each([
    '2023-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2022-13-01T00:00:00Z',
    '2022-04-31T00:00:00Z',
    '2022-03-29T24:00:00Z',
    '2022-03-29T09:60:00Z',
    '2022-03-29 09:00:08Z',
    '2022-03-29T09:00:08',
    '2022-03-29T09:00:08+01:00',
    '2022-03-29T09:00:08.Z',
    '2022-03-29T09:00:08.1234Z',
    'x022-03-29T09:00:08Z',
    '',
  ])('refuses %j', (text) => {
    expect(E.isLeft(isoTime.decode(text))).toBe(true);
  });
});

describe('column codecs', () => {
  it('returns the very same object when a struct holds exactly its fields', () => {
    const Pair = struct('Pair', { a: str, b: lenientList(str) });
    const input = { a: 'x', b: ['y'] };

    const decoded = Pair.decode(input);

    expect(E.isRight(decoded) && decoded.right).toBe(input);
  });

  it('copies a struct that needs normalising and leaves the input alone', () => {
    const Pair = struct('Pair', { a: str, b: lenientList(str) });
    const input = { a: 'x', b: 'y' };

    const decoded = Pair.decode(input);

    expect(decoded).toEqual(E.right({ a: 'x', b: ['y'] }));
    expect(input).toEqual({ a: 'x', b: 'y' });
  });

  it('refuses to define a struct field every object inherits', () => {
    expect(() => struct('Bad', { toString: str })).toThrow(
      'every object inherits',
    );
  });

  it.each([
    [67726, '67726'],
    ['67726', '67726'],
    [null, null],
    [undefined, null],
  ])('stores media id %j as %j', (value, expected) => {
    expect(mediaId.decode(value)).toEqual(E.right(expected));
  });

  it.each([1.5, true, {}, Number.MAX_SAFE_INTEGER + 2])(
    'refuses media id %j',
    (value) => {
      expect(E.isLeft(mediaId.decode(value))).toBe(true);
    },
  );
});

describe('nonEmptyList', () => {
  const Labels = nonEmptyList(str);

  it.each([
    [['Outer Space'], ['Outer Space']],
    ['Night', ['Night']],
  ])('accepts %j as %j', (value, expected) => {
    expect(Labels.decode(value)).toEqual(E.right(expected));
  });

  it.each([[[]], [null], [undefined], ['null'], [[1]]])(
    'refuses %j',
    (value) => {
      expect(E.isLeft(Labels.decode(value))).toBe(true);
    },
  );
});
