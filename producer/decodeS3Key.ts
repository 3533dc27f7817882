/**
 * The object key an S3 notification names. Notifications carry keys
 * form-encoded: a space arrives as `+` and other reserved characters as
 * percent escapes, so `+` must become a space before percent-decoding
 * (a real `+` arrives as `%2B`).
 *
 * @example
 * decodeS3Key('landing/file+%28copy%29+%C3%A9.json'); // 'landing/file (copy) é.json'
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replaceAll('+', ' '));
}
