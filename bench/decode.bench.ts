import { generateDvaultFiles } from '../schemas/generate/generateDvaultFiles.js';
import { decodeEvent } from '../schemas/index.js';
import { result, timed } from './BenchResult.js';

const EVENTS = 40_000;
const ROUNDS = 7;

function eventTexts(): string[] {
  const texts: string[] = [];
  for (const file of generateDvaultFiles({ events: EVENTS, seed: 7 })) {
    texts.push(
      ...file.text.replaceAll('}{"version"', '}\n{"version"').split('\n'),
    );
  }
  return texts;
}

/**
 * `decode`: JSON.parse then decode and normalise each realistic event into
 * its row, against JSON.parse then JSON.stringify of the same events. The
 * two alternate over several rounds and the fastest round of each counts,
 * which keeps a busy machine from favouring either. `row_json_ratio` also
 * counts serialising the rows, as the transformer does.
 */
export default async function decodeBenchmark() {
  const texts = eventTexts();
  const now = Date.now();
  let floor = Number.POSITIVE_INFINITY;
  let decode = Number.POSITIVE_INFINITY;
  let decodeAndSerialise = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    floor = Math.min(
      floor,
      await timed(() => {
        for (const text of texts)
          sink += JSON.stringify(JSON.parse(text)).length;
      }),
    );
    decode = Math.min(
      decode,
      await timed(() => {
        for (const text of texts)
          sink += decodeEvent(JSON.parse(text), { now })._tag.length;
      }),
    );
    decodeAndSerialise = Math.min(
      decodeAndSerialise,
      await timed(() => {
        for (const text of texts) {
          const decoded = decodeEvent(JSON.parse(text), { now });
          if (decoded._tag === 'Right')
            sink += JSON.stringify(decoded.right.row).length;
        }
      }),
    );
  }
  return result('decode', texts.length, decode, floor, {
    row_json_ratio: Math.round((floor / decodeAndSerialise) * 1000) / 1000,
    checksum: sink % 1000,
  });
}
