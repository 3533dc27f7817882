import { NotificationKeyError } from './errors.js';

/**
 * The object key an S3 notification names. Notifications carry keys
 * form-encoded: a space arrives as `+` and other reserved characters as
 * percent escapes, so `+` must become a space before percent-decoding
 * (a real `+` arrives as `%2B`).
 *
 * @throws NotificationKeyError when a percent escape is malformed
 *
 * @example
 * decodeS3Key('landing/file+%28copy%29+%C3%A9.json'); // 'landing/file (copy) é.json'
 */
export function decodeS3Key(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replaceAll('+', ' '));
  } catch (cause) {
    throw new NotificationKeyError(
      `The notification names key ${JSON.stringify(encoded)}, which is not form-encoded as S3 writes keys (a % escape is malformed or not UTF-8).`,
      { cause },
    );
  }
}
