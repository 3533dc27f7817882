import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type Db = Record<string, (...args: never[]) => unknown>;
interface HashKey {
  comparedTo(other: string): number;
}

const require = createRequire(import.meta.url);
const original = require('kinesalite/db/index.js') as Db;
const { speedUpKinesalite } =
  require('../../../local/kinesis/fastSequences.cjs') as {
    speedUpKinesalite: (db: Db) => void;
  };

// Patch a copy, so kinesalite's own module (and other tests) stay as shipped.
const fast: Db = { ...original };
speedUpKinesalite(fast);

const call = (db: Db, name: string, ...args: unknown[]) =>
  (db[name] as (...a: unknown[]) => unknown)(...args);

const sequenceFields = fc.record({
  shardCreateTime: fc
    .integer({ min: 0, max: 16_025_174_999 })
    .map((s) => s * 1000),
  shardIx: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  seqIx: fc.oneof(
    fc.integer({ min: 0, max: 2 ** 40 }),
    fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
  ),
  seqTime: fc.integer({ min: 1, max: 16_025_174_999 }).map((s) => s * 1000),
});

describe('speedUpKinesalite', () => {
  it('writes the same sequence numbers as kinesalite', () => {
    fc.assert(
      fc.property(sequenceFields, (fields) => {
        expect(call(fast, 'stringifySequence', fields)).toBe(
          call(original, 'stringifySequence', fields),
        );
      }),
    );
  });

  it('reads sequence numbers back to the same fields as kinesalite', () => {
    fc.assert(
      fc.property(sequenceFields, (fields) => {
        const sequence = call(original, 'stringifySequence', fields);
        expect(call(fast, 'parseSequence', sequence)).toEqual(
          call(original, 'parseSequence', sequence),
        );
      }),
    );
  });

  it('hands older sequence layouts to kinesalite and rejects what it rejects', () => {
    const older = call(original, 'stringifySequence', {
      version: 1,
      shardCreateTime: 1_600_000_000_000,
      seqTime: 1_600_000_001_000,
      shardIx: 3,
      seqIx: 5,
    });

    expect(call(fast, 'parseSequence', older)).toEqual(
      call(original, 'parseSequence', older),
    );
    expect(() => call(fast, 'parseSequence', 'not a number')).toThrow();
    expect(() => call(original, 'parseSequence', 'not a number')).toThrow();
  });

  it('orders partition keys against hash-key bounds as kinesalite does', () => {
    const bound = fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }).map(String);
    fc.assert(
      fc.property(fc.string(), bound, (key, limit) => {
        const fastKey = call(fast, 'partitionKeyToHashKey', key) as HashKey;
        const slowKey = call(original, 'partitionKeyToHashKey', key) as HashKey;
        expect(fastKey.comparedTo(limit)).toBe(slowKey.comparedTo(limit));
      }),
    );
  });
});
