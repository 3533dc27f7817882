import { type Either, left, right } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { Provenance } from '../../schemas/index.js';
import type { FailedEvent } from './FailureRecord.js';

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** A dirty line as `schemas/DirtyRecord.ts` describes it, read leniently. */
const DirtyLine = t.type(
  {
    event_id: nullable(t.string),
    kind: t.string,
    table: t.string,
    reasons: t.array(
      t.type(
        {
          path: t.string,
          expected: t.string,
          actual: t.string,
          message: t.string,
        },
        'DirtyReason',
      ),
    ),
    raw: t.string,
    source: nullable(Provenance),
  },
  'DirtyLine',
);

/**
 * Reads one line of a `dirty/` object as a failed event, or says why it
 * is not a dirty record (not JSON, or a field of the wrong kind).
 *
 * @param text the line
 */
export function dirtyLineRecord(text: string): Either<string, FailedEvent> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return left(`The line is not JSON: ${(error as Error).message}`);
  }
  const decoded = DirtyLine.decode(value);
  if (decoded._tag === 'Left') {
    return left(PathReporter.report(decoded).join('; '));
  }
  const fields = value as Record<string, unknown>;
  return right({
    ...decoded.right,
    kind: decoded.right.kind as FailedEvent['kind'],
    ingested_at: numberOrNull(fields.ingested_at),
    kinesis: (fields.kinesis ?? null) as FailedEvent['kinesis'],
    processed_at: numberOrNull(fields.processed_at),
  });
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
