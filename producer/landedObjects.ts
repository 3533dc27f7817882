import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { Log } from '../schemas/index.js';
import { decodeS3Key } from './decodeS3Key.js';
import { NotificationKeyError } from './errors.js';

/** A landed file a notification announces, its key decoded. */
export interface LandedObject {
  bucket: string;
  key: string;
  etag: string | null;
  versionId: string | null;
  /** When S3 recorded the event, epoch ms; the same on redelivery. */
  eventTime: number | null;
  /**
   * Why the key could not be decoded; `key` is then the key as the
   * notification wrote it. Such a file fails alone, after the others.
   */
  keyError?: NotificationKeyError;
}

const OBJECT_CREATED = 'ObjectCreated:';

/**
 * The files an S3 notification asks the producer to read: one per
 * `ObjectCreated:*` record. The `s3:TestEvent` S3 sends when notifications
 * are configured, and records of any other event, are skipped with a log
 * line, since there is nothing to read.
 *
 * @param event the notification, as S3 delivers it to Lambda
 * @param log where skipped records are reported
 */
export function landedObjects(event: S3Event, log: Log): LandedObject[] {
  if (!Array.isArray(event.Records)) {
    log.info('Skipping a notification without records', {
      s3_event: (event as { Event?: unknown }).Event ?? null,
    });
    return [];
  }
  return event.Records.flatMap((record) => {
    if (record.eventName?.startsWith(OBJECT_CREATED)) return [landed(record)];
    log.info('Skipping a notification record that creates no object', {
      event_name: record.eventName ?? null,
      bucket: record.s3?.bucket?.name ?? null,
      key: record.s3?.object?.key ?? null,
    });
    return [];
  });
}

function landed(record: S3EventRecord): LandedObject {
  const time = Date.parse(record.eventTime);
  const object: LandedObject = {
    bucket: record.s3.bucket.name,
    key: record.s3.object.key,
    etag: record.s3.object.eTag || null,
    versionId: record.s3.object.versionId || null,
    eventTime: Number.isNaN(time) ? null : time,
  };
  try {
    object.key = decodeS3Key(object.key);
  } catch (error) {
    if (!(error instanceof NotificationKeyError)) throw error;
    object.keyError = error;
  }
  return object;
}
