import { randomUUID } from 'node:crypto';
import type { ErrorOutputType } from '../constants.js';

/**
 * The keys a local delivery stream writes, laid out as the deployed
 * Firehose prefixes lay them out: `clean/<table>/dt=YYYY-MM-DD/` and
 * `errors/<table>/<error-output-type>/dt=YYYY-MM-DD/`. The date is UTC, as
 * Firehose evaluates `!{timestamp:yyyy-MM-dd}`.
 */
export const lakeKeys = {
  /** The Parquet object of one delivered batch. */
  clean(table: string, arrivalMs: number, name: string): string {
    return `clean/${table}/dt=${utcDate(arrivalMs)}/${name}.parquet`;
  },

  /** The JSON-lines object of one batch's failed records. */
  error(
    table: string,
    type: ErrorOutputType,
    arrivalMs: number,
    name: string,
  ): string {
    return `errors/${table}/${type}/dt=${utcDate(arrivalMs)}/${name}`;
  },

  /**
   * An object name as Firehose forms it: the delivery stream, a version,
   * the UTC time written and a random id, so names never collide.
   */
  objectName(deliveryStreamName: string, writtenMs: number): string {
    const time = new Date(writtenMs)
      .toISOString()
      .slice(0, 19)
      .replace(/[T:]/g, '-');
    return `${deliveryStreamName}-1-${time}-${randomUUID()}`;
  },
};

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
