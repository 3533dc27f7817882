import {
  EventScanner,
  type ScannerLimits,
  type SplitPiece,
} from './EventScanner.js';

/**
 * Streams the JSON objects of a landed file, one piece at a time, holding
 * only the object being read. Accepts objects back to back, one per line,
 * or in a top-level array; skips a byte-order mark; turns bytes that are
 * not an object into unparsable stretches and goes on after them.
 *
 * @example
 * for await (const piece of splitEvents(createReadStream(path))) {
 *   if (piece.kind === PieceKind.Event) route(piece.value, piece.text);
 * }
 *
 * @param body the file's bytes, for example an S3 object's body stream
 * @param limits overrides for the scanner's bounds
 */
export async function* splitEvents(
  body: AsyncIterable<Uint8Array | string>,
  limits: Partial<ScannerLimits> = {},
): AsyncGenerator<SplitPiece> {
  const scanner = new EventScanner(limits);
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    yield* scanner.push(bytes);
  }
  yield* scanner.end();
}
