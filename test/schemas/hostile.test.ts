import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { DirtyKind, decodeEvent, TABLES } from '../../schemas/index.js';
import { bodyOf, EVENTS } from '../helpers/dvaultEvents.js';

type Json = Record<string, any>;

const NOW = Date.UTC(2026, 0, 1);

/** Every path to a value inside a JSON value, with its parent and key. */
function* pathsOf(value: unknown, path: string[] = []): Generator<string[]> {
  if (path.length > 0) yield path;
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    yield* pathsOf(child, [...path, key]);
  }
}

function replaceAt(event: Json, path: string[], value: unknown): Json {
  const copy = structuredClone(event);
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key];
  target[path.at(-1) as string] = value;
  return copy;
}

const WRONG_KINDS: unknown[] = [
  { nested: 1 },
  ['x'],
  true,
  'text',
  1.5,
  -1,
  null,
];

function dotted(path: string[]): string {
  return path
    .map((key) => (/^\d+$/.test(key) ? `[${key}]` : key))
    .join('.')
    .replaceAll('.[', '[');
}

describe('decodeEvent on hostile input', () => {
  it('never throws, and names the replaced path, for wrong kinds at every level of every table', () => {
    let verdicts = 0;
    for (const table of TABLES) {
      const event = EVENTS[table.name as keyof typeof EVENTS]() as Json;
      for (const path of pathsOf(event)) {
        for (const value of WRONG_KINDS) {
          const decoded = decodeEvent(replaceAt(event, path, value), {
            now: NOW,
          });
          if (E.isRight(decoded)) continue;
          verdicts++;
          const target = dotted(path);
          const named = decoded.left.reasons.some(
            (r) =>
              target.startsWith(r.path) ||
              r.path.startsWith(target) ||
              r.message.includes(path.at(-1) as string),
          );
          expect(
            named,
            `${table.name} ${target} = ${JSON.stringify(value)}`,
          ).toBe(true);
          expect(decoded.left.reasons.every((r) => r.message.length > 0)).toBe(
            true,
          );
        }
      }
    }
    expect(verdicts).toBeGreaterThan(500);
  });

  it('never lets __proto__, constructor or prototype keys reach a prototype', () => {
    const text = JSON.stringify(EVENTS.ste_event()).replace(
      '"payload":{',
      '"payload":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
    );

    const decoded = decodeEvent(JSON.parse(text), { now: NOW });

    expect(E.isRight(decoded)).toBe(true);
    if (E.isRight(decoded)) {
      expect(Object.getPrototypeOf(decoded.right.row)).toBe(Object.prototype);
      expect(JSON.parse(decoded.right.row.extra as string)).toEqual({
        'detail.evaluation.payload.__proto__': { polluted: true },
        'detail.evaluation.payload.constructor': {
          prototype: { polluted: true },
        },
      });
    }
    expect(({} as Json).polluted).toBeUndefined();
  });

  it('rejects 1e400 (Infinity once parsed) where a number belongs', () => {
    const text = JSON.stringify(EVENTS.ste_pred()).replace('0.336', '1e400');

    const decoded = decodeEvent(JSON.parse(text), { now: NOW });

    expect(E.isLeft(decoded) && decoded.left.reasons).toEqual([
      expect.objectContaining({
        path: 'detail.prediction.output.scores[0]',
        actual: 'Infinity',
      }),
    ]);
  });

  it('quarantines an unknown field nested 10,000 levels deep with a reason', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const text = JSON.stringify(EVENTS.headliner_event()).replace(
      '"payload":{',
      `"payload":{"tree":${deep},`,
    );

    const decoded = decodeEvent(JSON.parse(text), { now: NOW });

    expect(E.isLeft(decoded) && decoded.left).toMatchObject({
      kind: DirtyKind.Invalid,
      reasons: [
        expect.objectContaining({ path: 'detail.evaluation.payload.tree' }),
      ],
    });
  });

  it('keeps a 50 MB string as it is', () => {
    const event = EVENTS.headliner_event() as Json;
    const text = 'x'.repeat(50 * 1024 * 1024);
    bodyOf(event).payload.text = text;

    const decoded = decodeEvent(event, { now: NOW });

    expect(E.isRight(decoded) && decoded.right.row.text === text).toBe(true);
  });

  it('shortens a 50 MB value in the reason it gives', () => {
    const event = EVENTS.headliner_event() as Json;
    bodyOf(event).payload.text = ['y'.repeat(50 * 1024 * 1024)];

    const decoded = decodeEvent(event, { now: NOW });

    expect(
      E.isLeft(decoded) && decoded.left.reasons[0]?.actual.length,
    ).toBeLessThan(300);
  });

  it.each([
    ['a string', 'event'],
    ['an array', [1, 2]],
    ['null', null],
    ['a number', 42],
  ])('calls %s at the top level unroutable', (_, value) => {
    const decoded = decodeEvent(value, { now: NOW });

    expect(E.isLeft(decoded) && decoded.left.kind).toBe(DirtyKind.Unroutable);
  });
});

describe('decodeEvent on text that UTF-8 cannot hold', () => {
  it('calls a lone surrogate in a known string field dirty, saying why', () => {
    const text = JSON.stringify(EVENTS.summarizer_event()).replace(
      'Plan for',
      'lone \\ud800 surrogate',
    );

    const decoded = decodeEvent(JSON.parse(text), { now: NOW });

    expect(E.isLeft(decoded) && decoded.left.reasons).toEqual([
      expect.objectContaining({
        path: 'detail.evaluation.payload.text',
        expected: 'text without lone surrogates (it cannot be stored as UTF-8)',
      }),
    ]);
  });

  it('keeps a well-formed astral character such as an emoji', () => {
    const event = EVENTS.summarizer_event() as Json;
    bodyOf(event).payload.text = 'Launch 🚀 day';

    const decoded = decodeEvent(event, { now: NOW });

    expect(E.isRight(decoded) && decoded.right.row.text).toBe('Launch 🚀 day');
  });

  it('keeps a lone surrogate inside an unknown field, escaped in extra', () => {
    const text = JSON.stringify(EVENTS.headliner_event()).replace(
      '"payload":{',
      '"payload":{"note":"\\udfff",',
    );

    const decoded = decodeEvent(JSON.parse(text), { now: NOW });

    expect(E.isRight(decoded) && decoded.right.row.extra).toBe(
      '{"detail.evaluation.payload.note":"\\udfff"}',
    );
  });
});
