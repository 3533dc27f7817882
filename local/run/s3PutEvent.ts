import { randomBytes } from 'node:crypto';
import type { S3Event } from 'aws-lambda';
import { LOCAL_REGION } from '../constants.js';

/** The object a notification announces. */
export interface LandedObject {
  bucket: string;
  key: string;
  size: number;
  etag: string;
}

let sequence = 0;

/**
 * The notification S3 sends when an object is put, as the producer would
 * receive it: one `ObjectCreated:Put` record whose key is form-encoded
 * (a space becomes `+`, other reserved characters are percent-encoded,
 * `/` stays), exactly the encoding the producer must undo.
 *
 * @example
 * await producer(s3PutEvent({ bucket: 'landing', key: 'a b.json', size: 10, etag: 'e' }));
 */
export function s3PutEvent(object: LandedObject, now = Date.now()): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: LOCAL_REGION,
        eventTime: new Date(now).toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:LOCAL' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
          'x-amz-id-2': randomBytes(32).toString('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'dvault-landing',
          bucket: {
            name: object.bucket,
            ownerIdentity: { principalId: 'LOCAL' },
            arn: `arn:aws:s3:::${object.bucket}`,
          },
          object: {
            key: encodeS3EventKey(object.key),
            size: object.size,
            eTag: object.etag,
            sequencer: (now * 1000 + (sequence++ % 1000))
              .toString(16)
              .toUpperCase()
              .padStart(16, '0'),
          },
        },
      },
    ],
  };
}

/** Form-encodes a key as S3 notifications carry it. */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((part) =>
      encodeURIComponent(part)
        .replaceAll('%20', '+')
        .replace(
          /[!'()*]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        ),
    )
    .join('/');
}
