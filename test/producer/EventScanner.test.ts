import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PieceKind, StretchCause } from '../../producer/constants.js';
import {
  EventScanner,
  type ScannerLimits,
  type SplitPiece,
  type UnparsableStretch,
} from '../../producer/EventScanner.js';

function scan(
  input: string | Buffer,
  chunkSize = 7,
  limits: Partial<ScannerLimits> = {},
): SplitPiece[] {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const scanner = new EventScanner(limits);
  const pieces: SplitPiece[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) {
    pieces.push(...scanner.push(bytes.subarray(at, at + chunkSize)));
  }
  return [...pieces, ...scanner.end()];
}

function texts(pieces: SplitPiece[]): string[] {
  return pieces.flatMap((piece) =>
    piece.kind === PieceKind.Event ? [piece.text] : [],
  );
}

function stretches(pieces: SplitPiece[]): UnparsableStretch[] {
  return pieces.filter(
    (piece): piece is UnparsableStretch => piece.kind === PieceKind.Unparsable,
  );
}

const jsonObject = fc
  .dictionary(
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.jsonValue({ maxDepth: 3 }),
    { maxKeys: 6 },
  )
  .map((value) => JSON.stringify(value));

// Objects that open like a dvault envelope take the scanner's fast path.
const envelope = fc
  .tuple(fc.string({ maxLength: 3 }), jsonObject)
  .map(([version, rest]) =>
    rest === '{}'
      ? `{"version":${JSON.stringify(version)}}`
      : `{"version":${JSON.stringify(version)},${rest.slice(1)}`,
  );

const anyObject = fc.oneof(jsonObject, envelope);

describe('EventScanner', () => {
  it.each([
    ['back to back', (items: string[]) => items.join('')],
    ['one per line', (items: string[]) => `${items.join('\n')}\n`],
    ['one per CRLF line', (items: string[]) => items.join('\r\n')],
    ['in an array', (items: string[]) => `[${items.join(',\n  ')}]`],
  ])(
    'finds every object of a file laid out %s, in any chunking',
    (_, layout) => {
      fc.assert(
        fc.property(
          fc.array(anyObject, { maxLength: 8 }),
          fc.integer({ min: 1, max: 64 }),
          (items, chunkSize) => {
            const pieces = scan(layout(items), chunkSize);

            expect(texts(pieces)).toEqual(items);
            expect(stretches(pieces)).toEqual([]);
          },
        ),
      );
    },
  );

  it('reports each event with its parsed value, index, byte offset and length', () => {
    const input = '{"a":"é"} {"b":[1,{"c":2}]}';

    const pieces = scan(input, 3);

    expect(pieces).toEqual([
      {
        kind: PieceKind.Event,
        index: 0,
        offset: 0,
        length: 10,
        text: '{"a":"é"}',
        value: { a: 'é' },
      },
      {
        kind: PieceKind.Event,
        index: 1,
        offset: 11,
        length: 17,
        text: '{"b":[1,{"c":2}]}',
        value: { b: [1, { c: 2 }] },
      },
    ]);
  });

  it('keeps braces and escaped quotes inside strings out of the depth count', () => {
    const input = '{"a":"}{\\"{\\\\"}{"b":"\\\\\\""}';

    expect(texts(scan(input, 1))).toEqual([
      '{"a":"}{\\"{\\\\"}',
      '{"b":"\\\\\\""}',
    ]);
  });

  it.each([
    [
      'an envelope nested inside an event',
      '{"version":"0","detail":{"version":"1"}}',
    ],
    [
      'a guess that closes early',
      '{"version":"0","a":[{"b":1},{"version":2}]}',
    ],
    ['a string holding "}{"', '{"version":"0","t":"}{\\"version\\"}"}'],
  ])('reads an event whole despite %s', (_, event) => {
    const input = `${event}{"version":"0","id":"next"}`;

    const pieces = scan(input, 1024);

    expect(texts(pieces)).toEqual([event, '{"version":"0","id":"next"}']);
  });

  it.each([1, 2, 3, 64])(
    'skips a byte-order mark at byte 0 when chunks hold %i bytes',
    (chunkSize) => {
      const input = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('{"a":1}{"b":2}'),
      ]);

      const pieces = scan(input, chunkSize);

      expect(texts(pieces)).toEqual(['{"a":1}', '{"b":2}']);
      expect(pieces[0]?.offset).toBe(3);
    },
  );

  it('quarantines a byte-order mark that is not at byte 0', () => {
    const input = Buffer.concat([
      Buffer.from('{"a":1}'),
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"b":2}'),
    ]);

    const pieces = scan(input);

    expect(texts(pieces)).toEqual(['{"a":1}', '{"b":2}']);
    expect(stretches(pieces)).toMatchObject([
      { offset: 7, length: 3, message: expect.stringContaining('0xef') },
    ]);
  });

  it('delivers the events before a truncated tail and quarantines the tail', () => {
    const input = '{"a":1}{"b":2}{"version":"0","id":"x","det';

    const pieces = scan(input);

    expect(texts(pieces)).toEqual(['{"a":1}', '{"b":2}']);
    expect(stretches(pieces)).toEqual([
      {
        kind: PieceKind.Unparsable,
        cause: StretchCause.NotJson,
        index: 2,
        offset: 14,
        length: 28,
        message: 'The file ends inside the object that opens at byte 14.',
        raw: '{"version":"0","id":"x","det',
        rawBase64: null,
        rawTruncated: false,
      },
    ]);
  });

  it('delivers the events on both sides of garbage between objects', () => {
    const input = '{"a":1}\nnot json at all\n{"b":2}';

    const pieces = scan(input, 5);

    expect(texts(pieces)).toEqual(['{"a":1}', '{"b":2}']);
    expect(stretches(pieces)).toEqual([
      {
        kind: PieceKind.Unparsable,
        cause: StretchCause.NotJson,
        index: 1,
        offset: 8,
        length: 16,
        message: 'Expected a JSON object at byte 8, found "n".',
        raw: 'not json at all\n',
        rawBase64: null,
        rawTruncated: false,
      },
    ]);
  });

  it('quarantines a balanced object the parser rejects, with its message', () => {
    const input = '{"a":NaN}{"b":2}';

    const pieces = scan(input, 4);

    expect(texts(pieces)).toEqual(['{"b":2}']);
    const [stretch] = stretches(pieces);
    expect(stretch).toMatchObject({ offset: 0, length: 9, raw: '{"a":NaN}' });
    expect(stretch?.message).toMatch(
      /^The object at byte 0 is not valid JSON: .*Unexpected token/,
    );
  });

  it('finds the next envelope inside an object cut off mid-way', () => {
    const cut = '{"version":"0","id":"a","detail":{"text":"half';
    const whole = '{"version":"0","id":"b"}';
    const input = `${cut}${whole}{"version":"0","id":"c"}`;

    const pieces = scan(input, 9);

    expect(texts(pieces)).toEqual([whole, '{"version":"0","id":"c"}']);
    expect(stretches(pieces)).toMatchObject([
      { offset: 0, length: cut.length, raw: cut },
    ]);
  });

  it('resumes at the next line after a broken line of NDJSON', () => {
    const input = '{"a":1}\n{"b":2\n{"c":3}\n';

    const pieces = scan(input, 5);

    expect(texts(pieces)).toEqual(['{"a":1}', '{"c":3}']);
    expect(stretches(pieces)).toMatchObject([
      { offset: 8, length: 7, raw: '{"b":2\n' },
    ]);
  });

  describe.each([1, 7, 64, 4096])(
    'with an object longer than the limit, in chunks of %i bytes',
    (chunkSize) => {
      const LIMITS = { maxObjectBytes: 100, maxStretchRawBytes: 50 };
      const before = '{"version":"0","id":"a"}';
      const after = '{"version":"0","id":"b"}';

      it('reports it as oversized with its offset and length, keeping its start, and reads on', () => {
        const big = `{"version":"0","t":"${'}{\\"'.repeat(40)}","n":[{"m":-1.5e3},true,null]}`;

        const pieces = scan(`${before}\n${big}${after}`, chunkSize, LIMITS);

        expect(texts(pieces)).toEqual([before, after]);
        expect(stretches(pieces)).toEqual([
          {
            kind: PieceKind.Unparsable,
            cause: StretchCause.Oversized,
            index: 1,
            offset: before.length + 1,
            length: big.length,
            message: `The object at byte ${before.length + 1} is ${big.length} bytes long; the producer reads objects of at most 100 bytes.`,
            raw: big.slice(0, 50),
            rawBase64: null,
            rawTruncated: true,
          },
        ]);
        expect(pieces.map((piece) => piece.index)).toEqual([0, 1, 2]);
      });

      it.each([
        ['a line break inside a string', `{"a":"${'x'.repeat(300)}\n`],
        ['a string cut off', `{"version":"0","t":"${'x'.repeat(300)}`],
        ['a number cut off', `{"version":"0","n":${'9'.repeat(300)}`],
        ['a closing brace too few', `{"a":{"b":"${'x'.repeat(300)}"}`],
      ])(
        'quarantines it as broken when it shows %s, and finds the next event',
        (_, broken) => {
          const pieces = scan(`${broken}${after}`, chunkSize, LIMITS);

          expect(texts(pieces)).toEqual([after]);
          const [stretch] = stretches(pieces);
          expect(stretch).toMatchObject({
            cause: StretchCause.NotJson,
            offset: 0,
            length: broken.length,
            raw: broken.slice(0, 50),
            rawTruncated: true,
          });
          expect(stretch?.message).toMatch(
            /^The object that opens at byte 0 runs past 100 bytes and is not valid JSON at byte \d+: .+\.$/,
          );
        },
      );

      it('quarantines it as a truncated tail when the file ends inside it', () => {
        const tail = `{"version":"0","t":"${'x'.repeat(300)}`;

        const pieces = scan(`${before}${tail}`, chunkSize, LIMITS);

        expect(texts(pieces)).toEqual([before]);
        expect(stretches(pieces)).toMatchObject([
          { cause: StretchCause.NotJson, offset: before.length },
        ]);
        expect(stretches(pieces)[0]?.length).toBe(tail.length);
      });
    },
  );

  it('reads on after an object of 9 MiB with the default limits, keeping 1 MiB of it', () => {
    const big = `{"version":"0","t":"${'x'.repeat(9 * 1024 * 1024)}"}`;
    const after = '{"version":"0","id":"b"}';

    const pieces = scan(`${big}${after}`, 64 * 1024);

    expect(texts(pieces)).toEqual([after]);
    const [stretch] = stretches(pieces);
    expect(stretch).toMatchObject({
      cause: StretchCause.Oversized,
      offset: 0,
      length: big.length,
      rawTruncated: true,
    });
    expect(stretch?.raw).toHaveLength(1024 * 1024);
  });

  describe.each([1, 5, 4096])(
    'with bytes that are not UTF-8, in chunks of %i bytes',
    (chunkSize) => {
      it.each([
        ['plain objects', '{"a":1}', '{"c":3}'],
        ['envelopes', '{"version":"0","id":"a"}', '{"version":"0","id":"c"}'],
      ])(
        'quarantines an object of %s holding them whole, in base64, and delivers its neighbours',
        (_, first, last) => {
          const bad = Buffer.from([
            ...Buffer.from('{"version":"0","t":"caf'),
            0xe9,
            ...Buffer.from('"}'),
          ]);
          const input = Buffer.concat([
            Buffer.from(first),
            bad,
            Buffer.from(last),
          ]);

          const pieces = scan(input, chunkSize);

          expect(texts(pieces)).toEqual([first, last]);
          expect(stretches(pieces)).toEqual([
            {
              kind: PieceKind.Unparsable,
              cause: StretchCause.NotUtf8,
              index: 1,
              offset: first.length,
              length: bad.length,
              message: `The object at byte ${first.length} is not valid UTF-8: the sequence at byte ${first.length + 23} is not a character.`,
              raw: '{"version":"0","t":"caf\ufffd"}',
              rawBase64: bad.toString('base64'),
              rawTruncated: false,
            },
          ]);
        },
      );

      it('keeps stray bytes that are not UTF-8 in base64 and names the first', () => {
        const stray = Buffer.from([0x78, 0xff, 0xfe, 0x0a]);
        const input = Buffer.concat([
          Buffer.from('{"a":1}'),
          stray,
          Buffer.from('{"b":2}'),
        ]);

        const pieces = scan(input, chunkSize);

        expect(texts(pieces)).toEqual(['{"a":1}', '{"b":2}']);
        expect(stretches(pieces)).toMatchObject([
          {
            cause: StretchCause.NotJson,
            offset: 7,
            length: 4,
            message:
              'Expected a JSON object at byte 7, found "x". Its bytes are not valid UTF-8 from byte 8.',
            rawBase64: stray.toString('base64'),
          },
        ]);
      });
    },
  );

  it('cuts a kept stretch before a character the raw limit would split', () => {
    const input = `{"a":1}x${'é'.repeat(10)}{"b":2}`;

    const pieces = scan(input, 3, { maxStretchRawBytes: 4 });

    expect(stretches(pieces)).toMatchObject([
      { length: 21, raw: 'xé', rawBase64: null, rawTruncated: true },
    ]);
  });

  it('quarantines a broken object whole once the rescan budget is spent', () => {
    const input = '{"a":{"version":1}x}{"b":2}';

    const withBudget = scan(input, 64);
    const withoutBudget = scan(input, 64, { maxRescanBytes: 5 });

    expect(texts(withBudget)).toEqual(['{"version":1}', '{"b":2}']);
    expect(texts(withoutBudget)).toEqual(['{"b":2}']);
    expect(stretches(withoutBudget)).toMatchObject([
      { offset: 0, length: 20, raw: '{"a":{"version":1}x}' },
    ]);
  });

  it('yields nothing for an empty or blank file', () => {
    expect(scan('')).toEqual([]);
    expect(scan(' \n\t\r\n')).toEqual([]);
  });

  it.each([
    ['the default limits', {}],
    ['tiny limits', { maxObjectBytes: 24, maxStretchRawBytes: 10 }],
  ])(
    'covers every byte once, in order, whatever the input, with %s',
    (_, limits) => {
      const noise = fc.constantFrom(
        '{',
        '}',
        '"',
        '\\',
        '[',
        ',',
        'x',
        '\n',
        ' ',
      );
      const text = fc.array(fc.oneof(anyObject, noise), { maxLength: 30 });
      fc.assert(
        fc.property(text, fc.integer({ min: 1, max: 40 }), (parts, chunk) => {
          const input = Buffer.from(parts.join(''));

          const pieces = scan(input, chunk, limits);

          let covered = 0;
          pieces.forEach((piece, index) => {
            expect(piece.index).toBe(index);
            expect(piece.offset).toBeGreaterThanOrEqual(covered);
            const skipped = input.subarray(covered, piece.offset).toString();
            expect(skipped).toMatch(/^[\s,[\]]*$/);
            const end = piece.offset + piece.length;
            const slice = input.subarray(piece.offset, end).toString();
            if (piece.kind === PieceKind.Event) {
              expect(piece.text).toBe(slice);
            } else {
              expect(slice.startsWith(piece.raw)).toBe(true);
              expect(piece.rawTruncated).toBe(piece.raw !== slice);
            }
            covered = piece.offset + piece.length;
          });
          expect(input.subarray(covered).toString()).toMatch(/^[\s,[\]]*$/);
        }),
      );
    },
  );
});
