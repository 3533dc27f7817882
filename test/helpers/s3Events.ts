import { randomBytes } from 'node:crypto';
import type { Context, S3Event, S3EventRecord } from 'aws-lambda';

/**
 * Factories for the S3 notifications the producer receives, shaped like
 * the ones S3 sends to Lambda (event version 2.1), and a fake Lambda
 * context. Keys are form-encoded as S3 encodes them.
 */

/** The object a notification record announces. */
export interface NotifiedObject {
  bucket: string;
  /** The key as stored, before S3 encodes it for the notification. */
  key: string;
  etag?: string;
  versionId?: string;
  size?: number;
  /** `ObjectCreated:Put` unless set. */
  eventName?: string;
  /** ISO time of the event; a fixed 2022-04-27 time unless set. */
  eventTime?: string;
}

/** The time notification records carry unless told otherwise. */
export const EVENT_TIME = '2022-04-27T15:07:13.402Z';

/**
 * A key as S3 writes it into a notification: form encoding, so a space is
 * `+`, `/` stays, and everything else outside letters, digits and `-_.~*`
 * is percent-encoded (including `+`, `(`, `)` and non-ASCII bytes).
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(
          /[!'()]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        )
        .replaceAll('%20', '+'),
    )
    .join('/');
}

/** One notification record for an object. */
export function s3Record(object: NotifiedObject): S3EventRecord {
  const versionId =
    object.versionId === undefined ? {} : { versionId: object.versionId };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'eu-west-1',
    eventTime: object.eventTime ?? EVENT_TIME,
    eventName: object.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AIDAEXAMPLEPRODUCER' },
    requestParameters: { sourceIPAddress: '203.0.113.17' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2':
        'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'dvault-landing-created',
      bucket: {
        name: object.bucket,
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: `arn:aws:s3:::${object.bucket}`,
      },
      object: {
        key: encodeS3EventKey(object.key),
        size: object.size ?? 1024,
        eTag: object.etag ?? 'd41d8cd98f00b204e9800998ecf8427e',
        ...versionId,
        sequencer: '0062696C7A1B2C3D4E',
      },
    },
  };
}

/** A notification with one record per object. */
export function s3Event(...objects: NotifiedObject[]): S3Event {
  return { Records: objects.map(s3Record) };
}

/**
 * The message S3 sends once when a notification is configured. It has no
 * `Records`, so the published `S3Event` type does not describe it.
 */
export function s3TestEvent(bucket = 'dvault-landing'): S3Event {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: '2022-04-27T15:00:00.000Z',
    Bucket: bucket,
    RequestId: '5582815E1AEA5ADF',
    HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
  } as unknown as S3Event;
}

/** A Lambda context for the producer function, with a fresh request id. */
export function fakeContext(functionName = 'dvault-producer'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomBytes(16).toString('hex'),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2022/04/27/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
