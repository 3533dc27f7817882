import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { generateDvaultFiles } from '../../schemas/generate/generateDvaultFiles.js';
import { decodeEvent, routeEvent } from '../../schemas/index.js';
import { bodyOf, EVENTS } from '../helpers/dvaultEvents.js';

type Json = Record<string, any>;

const NOW = Date.UTC(2026, 0, 1);

function eventsOf(text: string): unknown[] {
  return JSON.parse(`[${text.replaceAll('}{"version"', '},{"version"')}]`);
}

/** Required fields of every event, whatever its table. */
const ENVELOPE_PATHS = [
  'id',
  'account',
  'time',
  'detail.id',
  'detail.timestamp',
];

/** Required fields of an event's body, by the body's key. */
const BODY_PATHS: Record<string, string[]> = {
  evaluation: ['id', 'shape_id', 'timestamp', 'reporter', 'type'],
  prediction: ['id', 'shape_id', 'timestamp'],
};

type Table = keyof typeof EVENTS;

/** Every table with one of its required paths. */
const REQUIRED = (Object.keys(EVENTS) as Table[]).flatMap((table) => {
  const bodyKey = table.endsWith('_pred') ? 'prediction' : 'evaluation';
  const body = (BODY_PATHS[bodyKey] ?? []).map(
    (field) => `detail.${bodyKey}.${field}`,
  );
  return [...ENVELOPE_PATHS, ...body].map((path) => [table, path] as const);
});

function setPath(event: Json, path: string, value: unknown) {
  const keys = path.split('.');
  let target = event;
  for (const key of keys.slice(0, -1)) target = target[key];
  target[keys.at(-1) as string] = value;
}

const wrongKind = fc.oneof(
  fc.constant(null),
  fc.constant(true),
  fc.constant([]),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
  fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
  fc.constant(''),
);

describe('decodeEvent properties', () => {
  it('decodes every event the generator makes without breakage as clean', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        for (const file of generateDvaultFiles({
          events: 40,
          seed,
          dirtyShare: 0,
        })) {
          for (const event of eventsOf(file.text)) {
            const decoded = decodeEvent(event, { now: NOW });
            expect(E.isRight(decoded) ? [] : decoded.left.reasons).toEqual([]);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('keeps any string and integer a payload field may hold', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 })),
        (text, paragraph) => {
          const event = EVENTS.summarizer_event() as Json;
          Object.assign(bodyOf(event).payload, { text, paragraph });

          const decoded = decodeEvent(event, { now: NOW });

          expect(E.isRight(decoded) && decoded.right.row).toMatchObject({
            text,
            paragraph,
          });
        },
      ),
    );
  });

  it('makes an event of any table dirty naming the path when a required field changes kind', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REQUIRED),
        wrongKind,
        ([table, path], value) => {
          const event = EVENTS[table]() as Json;
          setPath(event, path, value);

          const decoded = decodeEvent(event, { now: NOW });

          expect(E.isLeft(decoded)).toBe(true);
          if (E.isLeft(decoded)) {
            expect(decoded.left.reasons.map((r) => r.path)).toContain(path);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('routes a generated event to the table that decoding picks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const [file] = generateDvaultFiles({ events: 10, seed, dirtyShare: 0 });
        for (const event of eventsOf(file?.text ?? '')) {
          const routed = routeEvent(event);
          const decoded = decodeEvent(event, { now: NOW });
          expect(
            E.isRight(routed) &&
              E.isRight(decoded) &&
              routed.right === decoded.right.table,
          ).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });
});
