/**
 * The index of the first byte that does not begin a well-formed UTF-8
 * sequence (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF), or -1 when every byte belongs to one. A sequence cut off by
 * the end of the bytes counts as malformed.
 *
 * `isUtf8` from `node:buffer` answers the same question faster but not
 * where; call this only once it said no.
 *
 * @example
 * firstInvalidUtf8(Buffer.from([0x61, 0xc3, 0x28])); // 1
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const width = sequenceWidth(bytes, at);
    if (width === 0) return at;
    at += width;
  }
  return -1;
}

/** The length of the well-formed sequence at `at`, or 0. */
function sequenceWidth(bytes: Uint8Array, at: number): number {
  const lead = bytes[at] as number;
  if (lead < 0x80) return 1;
  const [width, low, high] = secondByteRange(lead);
  const second = bytes[at + 1];
  if (width === 0 || second === undefined) return 0;
  if (second < low || second > high) return 0;
  for (let next = 2; next < width; next++) {
    const byte = bytes[at + next];
    if (byte === undefined || (byte & 0xc0) !== 0x80) return 0;
  }
  return width;
}

/**
 * A lead byte's sequence width and the range its second byte must fall
 * in; the narrow ranges after E0, ED, F0 and F4 are what exclude overlong
 * forms, surrogates and code points past U+10FFFF. Width 0: not a lead.
 */
function secondByteRange(lead: number): [number, number, number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}
