import { describe, expect, it } from 'vitest';
import { encodeS3EventKey, s3PutEvent } from '../../../local/run/s3PutEvent.js';

describe('s3PutEvent', () => {
  it('builds an ObjectCreated:Put notification for the object', () => {
    const event = s3PutEvent(
      { bucket: 'landing', key: 'dvault/a.json', size: 42, etag: 'abc' },
      Date.UTC(2026, 0, 2),
    );

    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      eventTime: '2026-01-02T00:00:00.000Z',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: 'landing', arn: 'arn:aws:s3:::landing' },
        object: {
          key: 'dvault/a.json',
          size: 42,
          eTag: 'abc',
          sequencer: expect.stringMatching(/^[0-9A-F]{16}$/),
        },
      },
    });
  });

  it.each([
    ['a key with spaces', 'my file.json', 'my+file.json'],
    ['folders', 'in box/2026/a b', 'in+box/2026/a+b'],
    ['reserved characters', "a+b=(c)!'*.json", 'a%2Bb%3D%28c%29%21%27%2A.json'],
    ['non-ASCII text', 'café/ü.json', 'caf%C3%A9/%C3%BC.json'],
  ])('form-encodes %s as S3 does', (_, key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
    expect(decodeURIComponent(encoded.replaceAll('+', ' '))).toBe(key);
  });
});
