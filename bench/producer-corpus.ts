import { generateDvaultFiles } from '../schemas/generate/generateDvaultFiles.js';

/**
 * Realistic event texts for the producer's benchmarks, from the schemas'
 * generator. Generating is slow next to splitting, so benchmarks generate
 * a pool once and repeat it with fresh envelope ids.
 */
export function eventPool(events: number, seed = 11): string[] {
  const texts: string[] = [];
  for (const file of generateDvaultFiles({ events, seed })) {
    // Event text holds no raw line breaks (JSON escapes them), so a line
    // break between glued envelopes splits them safely.
    texts.push(
      ...file.text.replaceAll('}{"version"', '}\n{"version"').split('\n'),
    );
  }
  return texts;
}

const ENVELOPE_START = '{"version":"0","id":"';

/** The pool's events `repetitions` times, each copy's ids made unique. */
export function* repeatedEvents(
  pool: readonly string[],
  repetitions: number,
): Generator<string> {
  for (let copy = 0; copy < repetitions; copy++) {
    for (const text of pool) {
      yield text.replace(ENVELOPE_START, `${ENVELOPE_START}c${copy}-`);
    }
  }
}

/** A buffer's bytes as an async stream of chunks, like a file read. */
export async function* chunksOf(
  bytes: Buffer,
  chunkBytes = 64 * 1024,
): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    yield bytes.subarray(at, at + chunkBytes);
  }
}
