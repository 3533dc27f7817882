import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from '../../producer/firstInvalidUtf8.js';

describe('firstInvalidUtf8', () => {
  it.each([
    ['ASCII', [0x61, 0x62], -1],
    [
      'two-, three- and four-byte characters',
      [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80],
      -1,
    ],
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['a lead byte followed by ASCII', [0x61, 0xc3, 0x28], 1],
    ['an overlong two-byte form', [0xc0, 0x80], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0x80], 0],
    ['an encoded surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a byte no character starts with', [0x61, 0x62, 0xff], 2],
    ['a character cut off at the end', [0x61, 0xe2, 0x82], 1],
  ])('finds the first bad byte in %s', (_, bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(expected);
  });

  it('agrees with isUtf8 on any bytes, and every byte before its answer is valid', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc
        .tuple(fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 3 }))
        .map(([text, noise]) =>
          Buffer.concat([Buffer.from(text), noise, Buffer.from(text)]),
        ),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        const at = firstInvalidUtf8(input);

        expect(at === -1).toBe(isUtf8(input));
        if (at !== -1) expect(isUtf8(input.subarray(0, at))).toBe(true);
      }),
    );
  });
});
