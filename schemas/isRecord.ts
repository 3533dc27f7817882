/**
 * Whether a value is a JSON object (not null, not an array): the one test
 * every reader of untrusted events and settings makes before it looks
 * inside.
 *
 * @example
 * isRecord(JSON.parse('{"id":"e-1"}')); // true
 */
export function isRecord(u: unknown): u is Record<string, unknown> {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}
