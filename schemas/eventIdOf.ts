import { createHash } from 'node:crypto';
import { isRecord } from './isRecord.js';
import type { Provenance } from './Provenance.js';

/**
 * The id that de-duplicates an event: its EventBridge `id`, else a hash of
 * where it was read, so a redelivered copy gets the same id.
 */
export function eventIdOf(
  value: unknown,
  source?: Provenance | null,
): string | null {
  if (isRecord(value) && typeof value.id === 'string' && value.id !== '') {
    return value.id;
  }
  if (!source) return null;
  const where = [
    source.bucket,
    source.key,
    source.etag ?? source.version_id ?? '',
    source.index,
  ];
  return `sha256:${createHash('sha256').update(JSON.stringify(where)).digest('hex').slice(0, 32)}`;
}

/**
 * The shape (presentation) an event belongs to: the body's `shape_id`,
 * else `detail.partitionKey`; undefined when neither is a string.
 */
export function shapeIdOf(value: unknown): string | undefined {
  if (!isRecord(value) || !isRecord(value.detail)) return undefined;
  const detail = value.detail;
  const body = isRecord(detail.prediction)
    ? detail.prediction
    : isRecord(detail.evaluation)
      ? detail.evaluation
      : undefined;
  if (typeof body?.shape_id === 'string' && body.shape_id !== '')
    return body.shape_id;
  return typeof detail.partitionKey === 'string' && detail.partitionKey !== ''
    ? detail.partitionKey
    : undefined;
}
