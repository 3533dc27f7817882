import { decodeEvent } from '../schemas/index.js';
import { generateDvaultFiles } from '../schemas/generate/generateDvaultFiles.js';
import { result, timed } from './BenchResult.js';

const EVENTS = 40_000;
const ROUNDS = 3;

function eventTexts(): string[] {
  const texts: string[] = [];
  for (const file of generateDvaultFiles({
    events: EVENTS,
    seed: 7,
    dirtyShare: 0,
  })) {
    for (const line of file.text
      .replaceAll('}{"version"', '}\n{"version"')
      .split('\n')) {
      texts.push(line);
    }
  }
  return texts;
}

/**
 * `decode`: parse, decode and normalise, and serialise the row of realistic
 * events, against parsing and serialising the same events, in one run.
 */
export default async function decodeBenchmark() {
  const texts = eventTexts();
  const now = Date.now();
  let floor = Number.POSITIVE_INFINITY;
  let decode = Number.POSITIVE_INFINITY;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    floor = Math.min(
      floor,
      await timed(() => {
        for (const text of texts)
          bytes += JSON.stringify(JSON.parse(text)).length;
      }),
    );
    decode = Math.min(
      decode,
      await timed(() => {
        for (const text of texts) {
          const decoded = decodeEvent(JSON.parse(text), { now });
          if (decoded._tag === 'Right')
            bytes += JSON.stringify(decoded.right.row).length;
        }
      }),
    );
  }
  return result('decode', texts.length, decode, floor, {
    checksum_bytes: bytes,
  });
}
