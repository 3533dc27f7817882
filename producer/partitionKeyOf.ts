import { eventIdOf, type Provenance, shapeIdOf } from '../schemas/index.js';
import { MAX_PARTITION_KEY_LENGTH } from './constants.js';

/**
 * An event's Kinesis partition key: its shape id, which keeps a
 * presentation's events on one shard, else its event id, which spreads the
 * rest. Cut to the 256 UTF-16 code units Kinesis allows, never inside a
 * surrogate pair.
 *
 * @param value the parsed event
 * @param source where it was read, for events without any id
 */
export function partitionKeyOf(value: unknown, source: Provenance): string {
  const key = shapeIdOf(value) ?? eventIdOf(value, source) ?? source.key;
  if (key.length <= MAX_PARTITION_KEY_LENGTH) return key;
  const cut = key.slice(0, MAX_PARTITION_KEY_LENGTH);
  return isHighSurrogate(cut.charCodeAt(cut.length - 1))
    ? cut.slice(0, -1)
    : cut;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
