import { describe, expect, it } from 'vitest';
import { pathWithin } from '../../../local/files/pathWithin.js';

describe('pathWithin', () => {
  it.each([
    ['/data', '/data/in/a', 'in/a'],
    ['/data', '/data', ''],
    ['/data', '/tmp/a', undefined],
    ['/data/in', '/data', undefined],
  ])('gives %s then %s as %j', (folder, path, expected) => {
    expect(pathWithin(folder, path)).toBe(expected);
  });
});
