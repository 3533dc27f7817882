import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { gatheringUnknownFields, pathOf } from './codecs.js';
import { DirtyKind } from './constants.js';
import { type DirtyReason, dirtyReason } from './DirtyReason.js';
import type { DirtyVerdict } from './DirtyVerdict.js';
import type { Provenance } from './Provenance.js';
import { routeEvent } from './routeEvent.js';
import type { ProvenanceColumns, Row, TableSpec } from './TableSpec.js';

/** A clean event: its table, its row, and the paths of fields no schema names. */
export interface CleanEvent {
  table: TableSpec;
  row: Row;
  unknownFields: string[];
}

/** What the caller knows besides the event. */
export interface DecodeOptions {
  /** The processing time, epoch ms; timestamps may lie at most a day past it. */
  now?: number;
  /** Where the event was read; fills the provenance columns. */
  source?: Provenance | null;
  /** When the producer read the event, epoch ms. */
  ingestedAt?: number | null;
}

/** The most reasons one verdict lists; the rest are counted in a last one. */
export const MAX_REASONS = 100;

function reasonsOf(errors: t.Errors): DirtyReason[] {
  const seen = new Set<string>();
  const reasons: DirtyReason[] = [];
  for (const error of errors) {
    const path = pathOf(error.context);
    if (seen.has(path)) continue;
    seen.add(path);
    const expected =
      error.message ??
      error.context[error.context.length - 1]?.type.name ??
      'a value';
    reasons.push(dirtyReason(path, expected, error.value));
  }
  return reasons;
}

/** The codec's reasons and the cross-field ones on paths it did not name. */
function withChecks(
  reasons: DirtyReason[],
  table: TableSpec,
  value: unknown,
  now: number,
): DirtyReason[] {
  const named = new Set(reasons.map((reason) => reason.path));
  const checks = table
    .checkRefused(value, now)
    .filter((reason) => !named.has(reason.path));
  return [...reasons, ...checks];
}

function capped(reasons: DirtyReason[]): DirtyReason[] {
  if (reasons.length <= MAX_REASONS) return reasons;
  const rest = reasons.length - MAX_REASONS + 1;
  return [
    ...reasons.slice(0, MAX_REASONS - 1),
    {
      path: '',
      expected: 'fewer faults',
      actual: `${rest} more`,
      message: `${rest} more faults were found and are not listed.`,
    },
  ];
}

const NO_PROVENANCE: ProvenanceColumns = {
  source_bucket: null,
  source_key: null,
  source_etag: null,
  source_version_id: null,
  source_index: null,
  source_offset: null,
  ingested_at: null,
};

function provenanceColumns(options: DecodeOptions): ProvenanceColumns {
  const source = options.source;
  const ingestedAt = options.ingestedAt ?? null;
  if (!source) return { ...NO_PROVENANCE, ingested_at: ingestedAt };
  return {
    source_bucket: source.bucket,
    source_key: source.key,
    source_etag: source.etag,
    source_version_id: source.version_id,
    source_index: source.index,
    source_offset: source.offset,
    ingested_at: ingestedAt,
  };
}

function extraText(
  unknown: Map<string, unknown> | undefined,
): E.Either<DirtyReason, string | null> {
  if (unknown === undefined) return E.right(null);
  try {
    return E.right(JSON.stringify(Object.fromEntries(unknown)));
  } catch {
    // JSON.stringify recurses; a hostile field thousands of levels deep
    // cannot be kept as text, and dropping it silently would lose data.
    const path = [...unknown.keys()].join(', ');
    const expected = 'an unknown field shallow enough to keep as JSON text';
    const actual = 'a value nested too deeply to serialise';
    return E.left({
      path,
      expected,
      actual,
      message: `${path}: expected ${expected}, found ${actual}.`,
    });
  }
}

function dirty(
  table: TableSpec,
  value: unknown,
  reasons: DirtyReason[],
): E.Either<DirtyVerdict, CleanEvent> {
  const id = (value as { id?: unknown }).id;
  return E.left({
    table,
    kind: DirtyKind.Invalid,
    eventId: typeof id === 'string' && id !== '' ? id : null,
    reasons,
  });
}

/**
 * Decodes one dvault event into its table's row, or says why it is dirty.
 * Never throws: every input, however hostile, ends as a row or a verdict.
 *
 * @example
 * const decoded = decodeEvent(JSON.parse(text), { now: Date.now() });
 * if (E.isRight(decoded)) write(decoded.right.table.name, decoded.right.row);
 * else quarantine(decoded.left.reasons);
 */
export function decodeEvent(
  value: unknown,
  options: DecodeOptions = {},
): E.Either<DirtyVerdict, CleanEvent> {
  const routed = routeEvent(value);
  if (E.isLeft(routed)) return routed;
  const table = routed.right;

  const { result, unknown } = gatheringUnknownFields(() =>
    table.codec.decode(value),
  );
  const now = options.now ?? Date.now();
  if (E.isLeft(result)) {
    const reasons = reasonsOf(result.left);
    return dirty(table, value, capped(withChecks(reasons, table, value, now)));
  }
  const checks = table.check(result.right, now);
  if (checks.length > 0) return dirty(table, value, capped(checks));
  const extra = extraText(unknown);
  if (E.isLeft(extra)) return dirty(table, value, [extra.left]);

  const row = table.toRow(result.right, {
    service: table.service,
    extra: extra.right,
    provenance: provenanceColumns(options),
  });
  return E.right({
    table,
    row,
    unknownFields: unknown ? [...unknown.keys()] : [],
  });
}
