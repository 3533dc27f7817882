'use strict';
// kinesalite spends most of its time in bignumber.js: every record put or
// read converts a 56-digit sequence number between decimal and hex, and
// hashes its partition key into a 128-bit number. These replacements do
// the same arithmetic with native BigInt and return exactly what the
// originals return (test/local/kinesis/fastSequences.test.ts checks that
// on generated values); anything but the current (version 2) sequence
// layout is handed to the originals.

const crypto = require('node:crypto');

const POW_2_124 = 2n ** 124n;
const POW_2_129 = 2n ** 129n;
const POW_2_185 = 2n ** 185n;
const POW_2_185_AND_HALF = 3n * 2n ** 184n;
const MAX_SHARD_CREATE_SECS = 16025175000;

/**
 * Replaces kinesalite's sequence-number and hash-key helpers, on its own
 * `db` module object, with BigInt versions. Its actions call them through
 * that object, so the change takes effect for every request.
 *
 * @param {Record<string, Function>} db kinesalite's `db/index.js` exports
 */
function speedUpKinesalite(db) {
  const original = {
    parseSequence: db.parseSequence,
    stringifySequence: db.stringifySequence,
  };
  db.parseSequence = (seq) => parseSequence(seq, original.parseSequence);
  db.stringifySequence = (obj) =>
    stringifySequence(obj, original.stringifySequence);
  db.partitionKeyToHashKey = partitionKeyToHashKey;
}

function parseSequence(seq, fallback) {
  let number;
  try {
    number = BigInt(seq);
  } catch {
    return fallback(seq);
  }
  if (number < POW_2_124) number += POW_2_124;
  const hex = number.toString(16);
  const isVersion2 =
    number >= POW_2_129 &&
    number > POW_2_185 &&
    number < POW_2_185_AND_HALF &&
    hex.endsWith('2');
  if (!isVersion2) return fallback(seq);
  const seqIxHex = hex.slice(11, 27);
  let shardIxHex = hex.slice(38, 46);
  if (Number.parseInt(seqIxHex[0], 16) > 7) {
    throw new Error('Sequence index too high');
  }
  if (Number.parseInt(shardIxHex[0], 16) > 7) shardIxHex = `-${shardIxHex}`;
  const shardCreateSecs = Number.parseInt(hex.slice(1, 10), 16);
  if (shardCreateSecs >= MAX_SHARD_CREATE_SECS) {
    throw new Error(`Date too large: ${shardCreateSecs}`);
  }
  return {
    shardCreateTime: shardCreateSecs * 1000,
    seqIx: BigInt(`0x${seqIxHex}`).toString(),
    byte1: hex.slice(27, 29),
    seqTime: Number.parseInt(hex.slice(29, 38), 16) * 1000,
    shardIx: Number.parseInt(shardIxHex, 16),
    version: 2,
  };
}

function stringifySequence(obj, fallback) {
  if (obj.version != null && obj.version !== 2) return fallback(obj);
  const hex = [
    '2',
    `00000000${Math.floor(obj.shardCreateTime / 1000).toString(16)}`.slice(-9),
    (obj.shardIx || 0).toString(16).slice(-1),
    `0000000000000000${BigInt(obj.seqIx || 0).toString(16)}`.slice(-16),
    obj.byte1 || '00',
    `00000000${Math.floor((obj.seqTime || obj.shardCreateTime) / 1000).toString(16)}`.slice(
      -9,
    ),
    `0000000${(obj.shardIx || 0).toString(16)}`.slice(-8),
    '2',
  ].join('');
  return BigInt(`0x${hex}`).toString();
}

/** The partition key's 128-bit MD5 hash key, compared as kinesalite does. */
function partitionKeyToHashKey(partitionKey) {
  const value = BigInt(
    `0x${crypto.createHash('md5').update(partitionKey, 'utf8').digest('hex')}`,
  );
  return {
    comparedTo(other) {
      const that = BigInt(String(other));
      return value < that ? -1 : value > that ? 1 : 0;
    },
    toFixed: () => value.toString(),
  };
}

module.exports = { speedUpKinesalite };
