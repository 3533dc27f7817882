import type { Column } from './ColumnType.js';
import {
  type ColumnCodec,
  epochMillis,
  isoTime,
  isoToMillis,
  list,
  matching,
  nonEmptyString,
  nullable,
  oneOf,
  type StructProps,
  str,
  struct,
} from './codecs.js';
import {
  DetailType,
  DVAULT_SOURCE,
  EventKind,
  MAX_CLOCK_SKEW_MS,
  MIN_TIMESTAMP_MS,
} from './constants.js';
import { type DirtyReason, dirtyReason } from './DirtyReason.js';
import { isRecord } from './isRecord.js';
import type {
  EvaluationSchema,
  PredictionSchema,
  ServiceModule,
} from './ServiceModule.js';
import type { Row, RowContext, TableSpec } from './TableSpec.js';

const ServiceVersion = struct('ServiceVersion', {
  software: nullable(str),
  model: nullable(str),
});

const Tags = nullable(struct('Tags', { region: nullable(str) }));

const accountId = matching('12-digit account id', /^\d{12}$/);

/** Columns every table starts with, and the codecs that fill them. */
const HEAD_COLUMNS = columnsOf({
  event_id: nonEmptyString,
  event_time: isoTime,
  version: str,
  account: accountId,
  region: str,
  resources: list(str),
  shape_id: nonEmptyString,
  partition_key: nullable(str),
  service: str,
  template_dvault_version: nullable(str),
});

/** Columns every table ends with: tags, unknown fields, provenance. */
const TAIL_COLUMNS: readonly Column[] = [
  { name: 'detail_tags', type: Tags.column },
  { name: 'extra', type: { kind: 'string' } },
  { name: 'source_bucket', type: { kind: 'string' } },
  { name: 'source_key', type: { kind: 'string' } },
  { name: 'source_etag', type: { kind: 'string' } },
  { name: 'source_version_id', type: { kind: 'string' } },
  { name: 'source_index', type: { kind: 'int' } },
  { name: 'source_offset', type: { kind: 'bigint' } },
  { name: 'ingested_at', type: { kind: 'timestamp' } },
];

function columnsOf(props: StructProps, prefix = ''): Column[] {
  return Object.entries(props).map(([name, codec]) => ({
    name: `${prefix}${name}`,
    type: (codec as ColumnCodec<unknown>).column,
  }));
}

function pascal(service: string): string {
  return service.charAt(0).toUpperCase() + service.slice(1);
}

// biome-ignore lint/suspicious/noExplicitAny: the body codec of any service fits the envelope
function envelope(detailName: string, bodyKey: string, body: ColumnCodec<any>) {
  const detail = struct(detailName, {
    id: nonEmptyString,
    type: str,
    timestamp: epochMillis,
    partitionKey: nullable(str),
    [bodyKey]: body,
    tags: Tags,
  });
  return struct('DVaultEvent', {
    version: str,
    id: nonEmptyString,
    'detail-type': oneOf(Object.values(DetailType)),
    source: oneOf([DVAULT_SOURCE]),
    account: accountId,
    time: isoTime,
    region: str,
    resources: list(str),
    detail,
  });
}

/** The decoded shape every table's event shares. */
interface DecodedEnvelope {
  version: string;
  id: string;
  'detail-type': string;
  account: string;
  time: number;
  region: string;
  resources: string[];
  detail: {
    id: string;
    type: string;
    timestamp: number;
    partitionKey: string | null;
    tags: { region: string | null } | null;
  } & Record<string, DecodedBody>;
}

interface DecodedBody {
  template_dvault_version: string | null;
  id: string;
  shape_id: string;
  timestamp: number;
  [field: string]: unknown;
}

/** Each field of a part with the column it fills: `[field, prefix + field]`. */
function prefixedFields(
  fields: Readonly<Record<string, unknown>>,
  prefix: string,
): (readonly [string, string])[] {
  return Object.keys(fields).map((key) => [key, `${prefix}${key}`] as const);
}

/**
 * A maker of empty rows: every column of a table set to null, in column
 * order, so all rows of a table share one shape and serialise fast.
 *
 * The maker is compiled per table from an object literal. Copying one
 * shared template with `{ ...template }` looks simpler, but that single
 * copy site sees every table's shape, turns megamorphic past four
 * tables, and then costs ten times as much per row. Column names come
 * from our own schemas and are quoted with JSON.stringify.
 */
function emptyRowMaker(columns: readonly Column[]): () => Row {
  const fields = columns.map(
    (column) => `${JSON.stringify(column.name)}: null`,
  );
  return new Function(`return { ${fields.join(', ')} };`) as () => Row;
}

function headRow(
  emptyRow: () => Row,
  event: DecodedEnvelope,
  body: DecodedBody,
  service: string,
): Row {
  const row = emptyRow();
  row.event_id = event.id;
  row.event_time = event.time;
  row.version = event.version;
  row.account = event.account;
  row.region = event.region;
  row.resources = event.resources;
  row.shape_id = body.shape_id;
  row.partition_key = event.detail.partitionKey;
  row.service = service;
  row.template_dvault_version = body.template_dvault_version;
  return row;
}

function tailRow(row: Row, event: DecodedEnvelope, context: RowContext): Row {
  const provenance = context.provenance;
  row.detail_tags = event.detail.tags;
  row.extra = context.extra;
  row.source_bucket = provenance.source_bucket;
  row.source_key = provenance.source_key;
  row.source_etag = provenance.source_etag;
  row.source_version_id = provenance.source_version_id;
  row.source_index = provenance.source_index;
  row.source_offset = provenance.source_offset;
  row.ingested_at = provenance.ingested_at;
  return row;
}

function inRange(ms: number, now: number): boolean {
  return ms >= MIN_TIMESTAMP_MS && ms <= now + MAX_CLOCK_SKEW_MS;
}

/**
 * A reason when `value` lies outside the accepted range. `show` renders
 * the value as the event wrote it (an ISO time as text, not as the epoch
 * milliseconds it decoded to); it runs only for a value out of range, so
 * sound events, nearly all of them, pay nothing for it.
 */
function timestampReasons(
  path: string,
  value: number,
  now: number,
  show: (ms: number) => unknown = (ms) => ms,
): DirtyReason[] {
  if (inRange(value, now)) return [];
  const latest = new Date(now + MAX_CLOCK_SKEW_MS).toISOString();
  return [
    dirtyReason(
      path,
      `a time between 2020-01-01T00:00:00.000Z and ${latest}`,
      show(value),
    ),
  ];
}

function isoText(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The fields the envelope states twice, and its times, each present only
 * when it has the contract's JSON type: cross-checks run on what is there,
 * so an event its codec refuses still gets every disagreement reported.
 */
interface EnvelopeFacts {
  detailType?: string;
  type?: string;
  detailId?: string;
  bodyId?: string;
  detailTimestamp?: number;
  bodyTimestamp?: number;
  time?: number;
}

function decodedFacts(event: DecodedEnvelope, bodyKey: string): EnvelopeFacts {
  const body = event.detail[bodyKey] as DecodedBody;
  return {
    detailType: event['detail-type'],
    type: event.detail.type,
    detailId: event.detail.id,
    bodyId: body.id,
    detailTimestamp: event.detail.timestamp,
    bodyTimestamp: body.timestamp,
    time: event.time,
  };
}

/** The facts of an event as it came, before any codec: only well-typed fields. */
function rawFacts(value: unknown, bodyKey: string): EnvelopeFacts {
  const event = objectOrEmpty(value);
  const detail = objectOrEmpty(event.detail);
  const body = objectOrEmpty(detail[bodyKey]);
  const time =
    typeof event.time === 'string' ? isoToMillis(event.time) : Number.NaN;
  return {
    detailType: textOrUndefined(event['detail-type']),
    type: textOrUndefined(detail.type),
    detailId: textOrUndefined(detail.id),
    bodyId: textOrUndefined(body.id),
    detailTimestamp: millisOrUndefined(detail.timestamp),
    bodyTimestamp: millisOrUndefined(body.timestamp),
    time: Number.isNaN(time) ? undefined : time,
  };
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function millisOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value)
    ? value
    : undefined;
}

function disagree<V>(a: V | undefined, b: V | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

function envelopeReasons(
  facts: EnvelopeFacts,
  bodyKey: string,
  now: number,
): DirtyReason[] {
  const bodyPath = `detail.${bodyKey}`;
  const reasons: DirtyReason[] = [];
  if (disagree(facts.type, facts.detailType)) {
    reasons.push(
      dirtyReason(
        'detail.type',
        `${JSON.stringify(facts.detailType)}, as detail-type says`,
        facts.type,
      ),
    );
  }
  if (disagree(facts.detailId, facts.bodyId)) {
    reasons.push(
      dirtyReason(
        'detail.id',
        `${JSON.stringify(facts.bodyId)}, as ${bodyPath}.id says`,
        facts.detailId,
      ),
    );
  }
  if (disagree(facts.detailTimestamp, facts.bodyTimestamp)) {
    reasons.push(
      dirtyReason(
        'detail.timestamp',
        `${facts.bodyTimestamp}, as ${bodyPath}.timestamp says`,
        facts.detailTimestamp,
      ),
    );
  }
  if (facts.time !== undefined) {
    reasons.push(...timestampReasons('time', facts.time, now, isoText));
  }
  if (facts.bodyTimestamp !== undefined) {
    reasons.push(
      ...timestampReasons(`${bodyPath}.timestamp`, facts.bodyTimestamp, now),
    );
  }
  return reasons;
}

/**
 * The payload an evaluation of `type` lacks, if it needs one. Runs on
 * decoded and on refused events alike, so it reads the body loosely.
 */
function missingPayload(
  name: string,
  body: unknown,
  needsPayload: (type: string) => boolean,
): DirtyReason[] {
  const evaluation = objectOrEmpty(body);
  const type = evaluation.type;
  const absent =
    evaluation.payload === null || evaluation.payload === undefined;
  if (!absent || typeof type !== 'string' || !needsPayload(type)) return [];
  return [
    dirtyReason(
      'detail.evaluation.payload',
      `a ${name}Payload object (a ${JSON.stringify(type)} evaluation needs one)`,
      undefined,
    ),
  ];
}

function predictionTable(service: string, schema: PredictionSchema): TableSpec {
  const name = pascal(service);
  const context = struct(`${name}PredictionContext`, schema.context);
  const body = struct(`${name}Prediction`, {
    template_dvault_version: nullable(str),
    id: nonEmptyString,
    shape_id: nonEmptyString,
    timestamp: epochMillis,
    service: str,
    service_version: ServiceVersion,
    context,
    input: struct(`${name}PredictionInput`, schema.input),
    output: struct(`${name}PredictionOutput`, schema.output),
  });
  const hasContext = Object.keys(schema.context).length > 0;
  // Column names computed once: building `input_${key}` per row would
  // make a fresh string for every field of every event.
  const inputFields = prefixedFields(schema.input, 'input_');
  const outputFields = prefixedFields(schema.output, 'output_');
  const columns: Column[] = [
    ...HEAD_COLUMNS,
    { name: 'prediction_id', type: { kind: 'string' } },
    { name: 'predicted_at', type: { kind: 'timestamp' } },
    { name: 'service_version', type: ServiceVersion.column },
    // Hive has no empty struct: a service without context has no column.
    ...(hasContext ? [{ name: 'context', type: context.column }] : []),
    ...columnsOf(schema.input, 'input_'),
    ...columnsOf(schema.output, 'output_'),
    ...TAIL_COLUMNS,
  ];
  const emptyRow = emptyRowMaker(columns);
  return {
    name: schema.table,
    service,
    kind: EventKind.Prediction,
    columns,
    codec: envelope('PredictionDetail', 'prediction', body),
    check(decoded, now) {
      const event = decoded as DecodedEnvelope;
      const prediction = event.detail.prediction as DecodedBody & {
        context: Record<string, unknown>;
        input: Record<string, unknown>;
        output: Record<string, unknown>;
      };
      const own = (schema.check?.(prediction) ?? []).map((reason) => ({
        ...reason,
        path: `detail.prediction.${reason.path}`,
        message: `detail.prediction.${reason.message}`,
      }));
      return [
        ...envelopeReasons(
          decodedFacts(event, 'prediction'),
          'prediction',
          now,
        ),
        ...own,
      ];
    },
    checkRefused(value, now) {
      return envelopeReasons(rawFacts(value, 'prediction'), 'prediction', now);
    },
    toRow(decoded, rowContext) {
      const event = decoded as DecodedEnvelope;
      const prediction = event.detail.prediction as DecodedBody & {
        service_version: unknown;
        context: unknown;
        input: Record<string, unknown>;
        output: Record<string, unknown>;
      };
      const row = headRow(emptyRow, event, prediction, rowContext.service);
      row.prediction_id = prediction.id;
      row.predicted_at = prediction.timestamp;
      row.service_version = prediction.service_version;
      if (hasContext) row.context = prediction.context;
      for (const [key, column] of inputFields)
        row[column] = prediction.input[key];
      for (const [key, column] of outputFields)
        row[column] = prediction.output[key];
      return tailRow(row, event, rowContext);
    },
  };
}

function evaluationTable(service: string, schema: EvaluationSchema): TableSpec {
  const name = pascal(service);
  const types = oneOf(schema.types);
  const body = struct(`${name}Evaluation`, {
    template_dvault_version: nullable(str),
    id: nonEmptyString,
    shape_id: nonEmptyString,
    prediction_id: nullable(str),
    service: nullable(str),
    timestamp: epochMillis,
    reporter: nonEmptyString,
    type: types,
    payload: nullable(struct(`${name}Payload`, schema.payload)),
  });
  const payloadKeys = Object.keys(schema.payload);
  const optional = new Set<string>(schema.payloadOptionalFor ?? []);
  const known = new Set<string>(schema.types);
  // A type outside the service's list is reported by the codec already.
  const needsPayload = (type: string) => known.has(type) && !optional.has(type);
  const columns: Column[] = [
    ...HEAD_COLUMNS,
    { name: 'evaluation_id', type: { kind: 'string' } },
    { name: 'prediction_id', type: { kind: 'string' } },
    { name: 'evaluated_at', type: { kind: 'timestamp' } },
    { name: 'reporter', type: { kind: 'string' } },
    { name: 'type', type: types.column },
    ...columnsOf(schema.payload),
    ...TAIL_COLUMNS,
  ];
  const emptyRow = emptyRowMaker(columns);
  return {
    name: schema.table,
    service,
    kind: EventKind.Evaluation,
    columns,
    codec: envelope('EvaluationDetail', 'evaluation', body),
    check(decoded, now) {
      const event = decoded as DecodedEnvelope;
      return [
        ...envelopeReasons(
          decodedFacts(event, 'evaluation'),
          'evaluation',
          now,
        ),
        ...missingPayload(name, event.detail.evaluation, needsPayload),
      ];
    },
    checkRefused(value, now) {
      const detail = objectOrEmpty(objectOrEmpty(value).detail);
      return [
        ...envelopeReasons(rawFacts(value, 'evaluation'), 'evaluation', now),
        ...missingPayload(name, detail.evaluation, needsPayload),
      ];
    },
    toRow(decoded, rowContext) {
      const event = decoded as DecodedEnvelope;
      const evaluation = event.detail.evaluation as DecodedBody;
      const payload = (evaluation.payload ?? {}) as Record<string, unknown>;
      const row = headRow(emptyRow, event, evaluation, rowContext.service);
      row.evaluation_id = evaluation.id;
      row.prediction_id = evaluation.prediction_id;
      row.evaluated_at = evaluation.timestamp;
      row.reporter = evaluation.reporter;
      row.type = evaluation.type;
      for (const key of payloadKeys) row[key] = payload[key] ?? null;
      return tailRow(row, event, rowContext);
    },
  };
}

/** The tables one service module contributes: its prediction and evaluation tables. */
export function buildTables(module: ServiceModule): TableSpec[] {
  const tables: TableSpec[] = [];
  if (module.prediction)
    tables.push(predictionTable(module.service, module.prediction));
  if (module.evaluation)
    tables.push(evaluationTable(module.service, module.evaluation));
  return tables;
}
