import { describe, expect, it } from 'vitest';
import { decodeS3Key } from '../../producer/decodeS3Key.js';
import { NotificationKeyError } from '../../producer/errors.js';
import { encodeS3EventKey } from '../helpers/s3Events.js';

describe('decodeS3Key', () => {
  it.each([
    ['landing/file+one.json', 'landing/file one.json'],
    ['landing/a%2Bb.json', 'landing/a+b.json'],
    ['landing/report+%281%29.json', 'landing/report (1).json'],
    ['landing/%C3%A9t%C3%A9/%E6%97%A5%E6%9C%AC.json', 'landing/été/日本.json'],
    ['landing/100%25.json', 'landing/100%.json'],
    ['landing/plain-key_1.json', 'landing/plain-key_1.json'],
  ])('decodes %s to %s', (encoded, key) => {
    expect(decodeS3Key(encoded)).toBe(key);
  });

  it('undoes the encoding S3 applies to notification keys', () => {
    const key = "dvault/2022/04/27/a + b (copy) 'é'!.json";

    expect(decodeS3Key(encodeS3EventKey(key))).toBe(key);
  });

  it.each(['landing/100%.json', 'landing/%E9.json', 'landing/%zz'])(
    'refuses %s, naming the key',
    (encoded) => {
      expect(() => decodeS3Key(encoded)).toThrow(NotificationKeyError);
      expect(() => decodeS3Key(encoded)).toThrow(
        `The notification names key ${JSON.stringify(encoded)}, which is not form-encoded`,
      );
    },
  );
});
