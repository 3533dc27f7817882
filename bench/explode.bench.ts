import { isRight } from 'fp-ts/lib/Either.js';
import { PieceKind } from '../producer/constants.js';
import { splitEvents } from '../producer/splitEvents.js';
import { routeEvent } from '../schemas/index.js';
import { result, timed } from './BenchResult.js';
import { chunksOf, eventPool, repeatedEvents } from './producer-corpus.js';

const POOL = 40_000;
const COPIES = 5;
const ROUNDS = 5;
const TARGET_RATIO = 0.5;

/**
 * `explode`: the producer's read path over one large generated file (about
 * 210 MB, 200,000 events back to back, fed in 64 KiB chunks): split it,
 * parse each event once and route it, against `JSON.parse` of the same
 * events already cut into strings. The two alternate over several rounds
 * and the fastest round of each counts. Target: ratio of at least 0.5.
 */
export default async function explodeBenchmark() {
  const texts = [...repeatedEvents(eventPool(POOL), COPIES)];
  const file = Buffer.from(texts.join(''));
  let floor = Number.POSITIVE_INFINITY;
  let explode = Number.POSITIVE_INFINITY;
  let parsed = 0;
  let routed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    floor = Math.min(
      floor,
      await timed(() => {
        parsed = 0;
        for (const text of texts) if (JSON.parse(text) !== null) parsed++;
      }),
    );
    explode = Math.min(
      explode,
      await timed(async () => {
        routed = 0;
        for await (const piece of splitEvents(chunksOf(file))) {
          if (
            piece.kind === PieceKind.Event &&
            isRight(routeEvent(piece.value))
          )
            routed++;
        }
      }),
    );
  }
  return result('explode', texts.length, explode, floor, {
    bytes: file.length,
    mb_per_s: Math.round(file.length / 1e6 / explode),
    routed,
    parsed,
    target_ratio: TARGET_RATIO,
    meets_target: floor / explode >= TARGET_RATIO,
  });
}
