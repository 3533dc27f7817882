import * as E from 'fp-ts/lib/Either.js';
import { DetailType, DirtyKind, EventKind } from './constants.js';
import { dirtyReason } from './DirtyReason.js';
import type { DirtyVerdict } from './DirtyVerdict.js';
import { isRecord } from './isRecord.js';
import { isKnownService, tableFor } from './registry.js';
import type { TableSpec } from './TableSpec.js';

const KIND_OF: Record<string, { kind: EventKind; body: string }> = {
  [DetailType.Prediction]: { kind: EventKind.Prediction, body: 'prediction' },
  [DetailType.Evaluation]: { kind: EventKind.Evaluation, body: 'evaluation' },
};

function unroutable(
  value: unknown,
  path: string,
  expected: string,
  actual: unknown,
): E.Either<DirtyVerdict, TableSpec> {
  const id = isRecord(value) && typeof value.id === 'string' ? value.id : null;
  return E.left({
    table: null,
    kind: DirtyKind.Unroutable,
    eventId: id,
    reasons: [dirtyReason(path, expected, actual)],
  });
}

/**
 * The service of an event body: its `service`, else the text after the
 * last `#` of an evaluation's `prediction_id` (`<uuid>#summarizer`).
 */
export function serviceOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.service === 'string' && body.service !== '')
    return body.service;
  const predictionId = body.prediction_id;
  if (typeof predictionId !== 'string') return undefined;
  const hash = predictionId.lastIndexOf('#');
  return hash >= 0 && hash < predictionId.length - 1
    ? predictionId.slice(hash + 1)
    : undefined;
}

/**
 * Finds the table an event belongs to from its `detail-type` and service,
 * looking at nothing else, so the producer can route before validating.
 *
 * @example
 * const routed = routeEvent(JSON.parse(text));
 * if (E.isRight(routed)) console.log(routed.right.name); // 'ste_event'
 */
export function routeEvent(value: unknown): E.Either<DirtyVerdict, TableSpec> {
  if (!isRecord(value)) {
    return unroutable(value, '', 'a JSON object (a dvault event)', value);
  }
  const detailType = value['detail-type'];
  const kind = typeof detailType === 'string' ? KIND_OF[detailType] : undefined;
  if (kind === undefined) {
    return unroutable(
      value,
      'detail-type',
      `"${DetailType.Prediction}" or "${DetailType.Evaluation}"`,
      detailType,
    );
  }
  const detail = value.detail;
  if (!isRecord(detail)) {
    return unroutable(value, 'detail', 'an object', detail);
  }
  const body = detail[kind.body];
  if (!isRecord(body)) {
    return unroutable(value, `detail.${kind.body}`, 'an object', body);
  }
  const service = serviceOf(body);
  if (service === undefined && kind.kind === EventKind.Prediction) {
    // Only an evaluation names a prediction to take the service from.
    return unroutable(
      value,
      `detail.${kind.body}.service`,
      'a service name',
      body.service,
    );
  }
  if (service === undefined) {
    return unroutable(
      value,
      `detail.${kind.body}.service`,
      'a service name, or a prediction_id ending in #<service>',
      { service: body.service, prediction_id: body.prediction_id },
    );
  }
  const table = tableFor(service, kind.kind);
  if (table !== undefined) return E.right(table);
  const known = isKnownService(service);
  return E.left({
    table: null,
    kind: DirtyKind.UnknownService,
    eventId: typeof value.id === 'string' ? value.id : null,
    reasons: [
      dirtyReason(
        `detail.${kind.body}.service`,
        known
          ? `a service that has a ${kind.kind} table (${service} has none)`
          : 'a service with a schema module',
        service,
      ),
    ],
  });
}
