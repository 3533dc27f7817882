import * as t from 'io-ts';
import type { Column, ColumnType } from './ColumnType.js';
import { SchemaDefinitionError } from './errors.js';
import { isRecord } from './isRecord.js';

/**
 * An io-ts codec that also knows the column it fills. Every table's Glue
 * columns, DuckDB types and TypeScript row type are derived from these.
 */
export interface ColumnCodec<A> extends t.Type<A, A, unknown> {
  readonly column: ColumnType;
  /** True when decoding needs the full path in its context (structs do). */
  readonly contextual: boolean;
  /**
   * A quick test that a value is valid and decodes to itself, without
   * allocating a result; absent when the codec cannot tell so cheaply.
   * Callers fall back to `validate` when it says no.
   */
  readonly passes?: (u: unknown) => boolean;
}

/** The decoded type of a column codec. */
export type Decoded<C> = C extends ColumnCodec<infer A> ? A : never;

const INT32_MAX = 2 ** 31 - 1;

// Bound once: reading them through the namespace on every field is costly.
const { appendContext, failure, failures, success } = t;

function columnCodec<A>(
  name: string,
  column: ColumnType,
  validate: t.Validate<unknown, A>,
  contextual = false,
  passes?: (u: unknown) => boolean,
): ColumnCodec<A> {
  const is = (u: unknown): u is A => validate(u, [])._tag === 'Right';
  return Object.assign(
    new t.Type<A, A, unknown>(name, is, validate, t.identity),
    { column, contextual, passes },
  );
}

function scalar<A>(
  name: string,
  column: ColumnType,
  accept: (u: unknown) => u is A,
): ColumnCodec<A> {
  return columnCodec<A>(
    name,
    column,
    (u, c) => (accept(u) ? success(u) : failure(u, c, refusal(u))),
    false,
    accept,
  );
}

const ILL_FORMED =
  'text without lone surrogates (it cannot be stored as UTF-8)';

/**
 * Why a value that has the right JSON kind is still refused, when that is
 * not what the codec's name says; undefined for a plain mismatch.
 */
function refusal(u: unknown): string | undefined {
  return typeof u === 'string' && !u.isWellFormed() ? ILL_FORMED : undefined;
}

/**
 * A string that can be stored: JSON allows `"\ud800"`, a lone surrogate,
 * but UTF-8, Parquet and Glue cannot hold it.
 */
function isText(u: unknown): u is string {
  return typeof u === 'string' && u.isWellFormed();
}

function everyPasses(
  items: readonly unknown[],
  passes: (u: unknown) => boolean,
): boolean {
  for (let i = 0; i < items.length; i++) if (!passes(items[i])) return false;
  return true;
}

/** A JSON string. */
export const str = scalar('string', { kind: 'string' }, isText);

/** A JSON string with at least one character: identifiers. */
export const nonEmptyString = scalar(
  'non-empty string',
  { kind: 'string' },
  (u): u is string => isText(u) && u.length > 0,
);

/** A whole number that fits a 32-bit `int` column. */
export const int = scalar(
  'integer',
  { kind: 'int' },
  (u): u is number =>
    typeof u === 'number' && Number.isInteger(u) && Math.abs(u) <= INT32_MAX,
);

/** A finite number, stored as a double whether written `1` or `0.5`. */
export const double = scalar(
  'finite number',
  { kind: 'double' },
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
);

/** A JSON boolean. */
export const bool = scalar(
  'boolean',
  { kind: 'boolean' },
  (u): u is boolean => typeof u === 'boolean',
);

/**
 * Epoch milliseconds as a whole number, stored as a timestamp. The range
 * the contract allows depends on the processing time, so `decodeEvent`
 * checks it after decoding.
 */
export const epochMillis = scalar(
  'integer epoch milliseconds',
  { kind: 'timestamp' },
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `length` ASCII digits at `at`, or -1. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function fractionMillis(text: string): number {
  // `.5Z`, `.25Z` or `.250Z`; the bare `Z` form has no fraction.
  if (text.length === 20) return 0;
  const length = text.length - 21;
  if (text.charCodeAt(19) !== 46 || length < 1 || length > 3) return -1;
  const value = digits(text, 20, length);
  return value < 0 ? -1 : value * 10 ** (3 - length);
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * Epoch ms of an ISO-8601 UTC time (`2022-03-29T09:00:08Z`, optionally
 * with milliseconds), or NaN. Reads the fields by position, which is much
 * faster than a regular expression and `Date.parse`, and refuses impossible
 * dates (`2022-02-30`) that `Date.UTC` would roll over.
 */
export function isoToMillis(text: string): number {
  const shaped =
    text.length >= 20 &&
    text.length <= 24 &&
    text.endsWith('Z') &&
    text[4] === '-' &&
    text[7] === '-' &&
    text[10] === 'T' &&
    text[13] === ':' &&
    text[16] === ':';
  if (!shaped) return Number.NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const millis = fractionMillis(text);
  const lastDay =
    month === 2 && !isLeap(year) ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  const valid =
    year >= 0 &&
    day >= 1 &&
    day <= lastDay &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    millis >= 0;
  return valid
    ? Date.UTC(year, month - 1, day, hour, minute, second, millis)
    : Number.NaN;
}

/** An ISO-8601 UTC time (`2022-03-29T09:00:08Z`), decoded to epoch ms. */
export const isoTime = columnCodec<number>(
  'ISO-8601 UTC time',
  { kind: 'timestamp' },
  (u, c) => {
    const ms = typeof u === 'string' ? isoToMillis(u) : Number.NaN;
    return Number.isNaN(ms) ? failure(u, c) : success(ms);
  },
);

/** A string equal to one of a closed set of values. */
export function oneOf<V extends string>(values: readonly V[]): ColumnCodec<V> {
  const allowed = new Set<string>(values);
  return scalar(
    `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    { kind: 'string' },
    (u): u is V => typeof u === 'string' && allowed.has(u),
  );
}

/**
 * A value that may be null or absent; both decode to null, so a missing
 * field and an explicit null read the same in the table.
 */
export function nullable<A>(codec: ColumnCodec<A>): ColumnCodec<A | null> {
  return columnCodec<A | null>(
    `${codec.name} or null`,
    codec.column,
    (u, c) =>
      u === null || u === undefined ? success(null) : codec.validate(u, c),
    codec.contextual,
    codec.passes &&
      ((u) => u === null || (codec.passes as (u: unknown) => boolean)(u)),
  );
}

function elementContext(
  c: t.Context,
  index: number,
  codec: t.Decoder<unknown, unknown>,
  u: unknown,
) {
  return appendContext(c, `[${index}]`, codec, u);
}

/**
 * A JSON array of one element codec. Elements are checked without building
 * a context each; only a failing element is decoded again to name its path.
 */
export function list<A>(codec: ColumnCodec<A>): ColumnCodec<A[]> {
  const name = `array of ${codec.name}`;
  return columnCodec<A[]>(
    name,
    { kind: 'array', element: codec.column },
    (u, c) => {
      if (!Array.isArray(u)) return failure(u, c);
      let out: A[] | undefined;
      let errors: t.Errors | undefined;
      for (let i = 0; i < u.length; i++) {
        const element: unknown = u[i];
        if (codec.passes?.(element)) {
          out?.push(element as A);
          continue;
        }
        const context = codec.contextual
          ? elementContext(c, i, codec, element)
          : c;
        let r = codec.validate(element, context);
        if (r._tag === 'Left' && !codec.contextual) {
          r = codec.validate(element, elementContext(c, i, codec, element));
        }
        if (r._tag === 'Left') {
          errors = errors === undefined ? [...r.left] : errors.concat(r.left);
        } else if (out !== undefined || r.right !== element) {
          out ??= u.slice(0, i) as A[];
          out.push(r.right);
        }
      }
      if (errors !== undefined) return failures(errors);
      return success(out ?? (u as A[]));
    },
    codec.contextual,
    codec.passes &&
      ((u) =>
        Array.isArray(u) &&
        everyPasses(u, codec.passes as (u: unknown) => boolean)),
  );
}

/**
 * A list field as older producers also wrote it: a bare string becomes a
 * one-element list and the string `"null"` (or null, or absence) is null.
 */
export function lenientList<A>(codec: ColumnCodec<A>): ColumnCodec<A[] | null> {
  const strict = list(codec);
  return columnCodec<A[] | null>(
    `${strict.name}, a single string, or null`,
    strict.column,
    (u, c) => {
      if (u === null || u === undefined || u === 'null') return success(null);
      return strict.validate(typeof u === 'string' ? [u] : u, c);
    },
    strict.contextual,
    strict.passes &&
      ((u) => u === null || (strict.passes as (u: unknown) => boolean)(u)),
  );
}

/** Why `"null"` is refused where a label is required. */
const NULL_LABELS =
  'at least one label ("null" is how older producers wrote no list at all)';

/**
 * A list that must hold at least one element, as older producers also wrote
 * it: a bare string becomes a one-element list. Null, absence and `[]` are
 * refused, and so is the string `"null"`, which older producers wrote for
 * null (it is not a label called "null").
 */
export function nonEmptyList<A>(codec: ColumnCodec<A>): ColumnCodec<A[]> {
  const strict = list(codec);
  return columnCodec<A[]>(
    `non-empty ${strict.name}, or a single string`,
    strict.column,
    (u, c) => {
      if (Array.isArray(u) && u.length === 0) return failure(u, c);
      if (u === 'null') return failure(u, c, NULL_LABELS);
      return strict.validate(typeof u === 'string' ? [u] : u, c);
    },
    strict.contextual,
    strict.passes &&
      ((u) =>
        Array.isArray(u) &&
        u.length > 0 &&
        (strict.passes as (u: unknown) => boolean)(u)),
  );
}

/** Why a whole number past 2^53 cannot be a media id: JSON lost its digits. */
const UNSAFE_MEDIA_ID =
  'a string, or an integer of at most 2^53 (a larger one loses digits when read as JSON; the raw text keeps them)';

/**
 * A media id: a UUID string, a numeric string or a JSON integer, all stored
 * as text, so the same stock image reads the same in every event.
 */
export const mediaId = columnCodec<string | null>(
  'string, integer or null',
  { kind: 'string' },
  (u, c) => {
    if (u === null || u === undefined) return success(null);
    if (isText(u)) return success(u);
    if (Number.isSafeInteger(u)) return success(String(u));
    return failure(u, c, Number.isInteger(u) ? UNSAFE_MEDIA_ID : refusal(u));
  },
  false,
  (u) => u === null || isText(u),
);

/** The props of a struct codec: field name to column codec. */
// biome-ignore lint/suspicious/noExplicitAny: a props record holds codecs of any decoded type
export type StructProps = Record<string, ColumnCodec<any>>;

/** The decoded object of a struct codec's props. */
export type StructOf<P extends StructProps> = { [K in keyof P]: Decoded<P[K]> };

/** A struct codec: a JSON object with named fields, nothing else kept. */
export interface StructCodec<P extends StructProps>
  extends ColumnCodec<StructOf<P>> {
  readonly props: P;
  readonly columns: readonly Column[];
}

let gathering = false;
let gathered: Map<string, unknown> | undefined;

/**
 * Runs a decode while gathering the fields that no struct names, keyed by
 * their path (`detail.evaluation.payload.colour`); `unknown` is undefined
 * when there were none. Decoding is synchronous, so one gathering at a time
 * is enough.
 */
export function gatheringUnknownFields<T>(decode: () => T): {
  result: T;
  unknown: Map<string, unknown> | undefined;
} {
  const previous = [gathering, gathered] as const;
  gathering = true;
  gathered = undefined;
  try {
    const result = decode();
    return { result, unknown: gathered };
  } finally {
    [gathering, gathered] = previous;
  }
}

/** The dotted path a context stands for: `detail.prediction.input`. */
export function pathOf(context: t.Context): string {
  let path = '';
  for (const entry of context) {
    if (entry.key === '') continue;
    path +=
      entry.key.startsWith('[') || path === '' ? entry.key : `.${entry.key}`;
  }
  return path;
}

function copyFields(
  u: Record<string, unknown>,
  keys: readonly string[],
  upTo: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < upTo; i++) {
    const key = keys[i] as string;
    out[key] = u[key];
  }
  return out;
}

function gatherUnknown(
  u: Record<string, unknown>,
  props: StructProps,
  c: t.Context,
) {
  if (!gathering) return;
  let prefix: string | undefined;
  for (const key of Object.keys(u)) {
    if (Object.hasOwn(props, key)) continue;
    prefix ??= pathOf(c);
    gathered ??= new Map();
    const segment = fieldSegment(key);
    gathered.set(
      prefix === '' || segment.startsWith('[')
        ? `${prefix}${segment}`
        : `${prefix}.${segment}`,
      u[key],
    );
  }
}

/** Field names written bare in a path: no dot, bracket, quote or space. */
const PLAIN_FIELD = /^[A-Za-z0-9_$@-]+$/;

/**
 * A field name as a path segment: bare when plain, else bracketed JSON
 * text (`["payload.x"]`), so two different fields never share a path (a
 * field `payload.x` beside a `payload` holding `x`).
 */
function fieldSegment(key: string): string {
  return PLAIN_FIELD.test(key) ? key : `[${JSON.stringify(key)}]`;
}

/**
 * A JSON object with named fields. Unnamed fields are not an error: they
 * are gathered (see `gatheringUnknownFields`) for the row's `extra` column.
 * Only own properties are read, so `__proto__` or `constructor` keys in the
 * input can never reach a prototype.
 */
export function struct<P extends StructProps>(
  name: string,
  props: P,
): StructCodec<P> {
  const keys = Object.keys(props);
  const inherited = keys.find((key) => key in Object.prototype);
  if (inherited !== undefined) {
    throw new SchemaDefinitionError(
      `Struct ${name} names a field ${inherited}, which every object inherits; rename it.`,
    );
  }
  const codecs = keys.map((key) => props[key] as ColumnCodec<unknown>);
  const columns = keys.map((key, i) => ({
    name: key,
    type: (codecs[i] as ColumnCodec<unknown>).column,
  }));
  const codec = columnCodec<StructOf<P>>(
    name,
    { kind: 'struct', fields: columns },
    (u, c) => {
      if (!isRecord(u)) return failure(u, c);
      let out: Record<string, unknown> | undefined;
      let errors: t.Errors | undefined;
      let present = 0;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const field = codecs[i] as ColumnCodec<unknown>;
        // No field is named like an Object.prototype member (checked
        // below), and JSON has no undefined, so this reads only own fields.
        const value = u[key];
        const own = value !== undefined;
        if (own) present++;
        if (own && out === undefined && field.passes?.(value)) continue;
        const context = field.contextual
          ? appendContext(c, key, field, value)
          : c;
        let r = field.validate(value, context);
        if (r._tag === 'Left' && !field.contextual) {
          r = field.validate(value, appendContext(c, key, field, value));
        }
        if (r._tag === 'Left') {
          errors = errors === undefined ? [...r.left] : errors.concat(r.left);
        } else if (out !== undefined || r.right !== value || !own) {
          out ??= copyFields(u, keys, i);
          out[key] = r.right;
        }
      }
      if (errors !== undefined) return failures(errors);
      const unnamed = present !== Object.keys(u).length;
      // The input itself is the output when it holds exactly the named
      // fields, all valid as they are: no copy for the common case.
      if (out === undefined && !unnamed) return success(u as StructOf<P>);
      if (unnamed) gatherUnknown(u, props, c);
      return success((out ?? copyFields(u, keys, keys.length)) as StructOf<P>);
    },
    true,
    leafStructPasses(keys, codecs),
  );
  return Object.assign(codec, { props, columns });
}

/**
 * For a struct none of whose fields is a struct, a check without contexts
 * that the value decodes to itself: every named field present and passing,
 * no other field. Lists of such structs (sentence scores, metadata) then
 * skip a context per element. A struct with struct fields gets none, so a
 * failing check never walks a deep value twice per level.
 */
function leafStructPasses(
  keys: readonly string[],
  codecs: readonly ColumnCodec<unknown>[],
): ((u: unknown) => boolean) | undefined {
  const checks = codecs.map((codec) => codec.passes);
  const leaf = codecs.every(
    (codec) => codec.passes !== undefined && codec.column.kind !== 'struct',
  );
  if (!leaf) return undefined;
  return (u) => {
    if (!isRecord(u)) return false;
    for (let i = 0; i < keys.length; i++) {
      const value = u[keys[i] as string];
      if (value === undefined || !(checks[i] as (u: unknown) => boolean)(value))
        return false;
    }
    return Object.keys(u).length === keys.length;
  };
}

/** A string that matches a pattern, such as a 12-digit account id. */
export function matching(name: string, pattern: RegExp): ColumnCodec<string> {
  return scalar(
    name,
    { kind: 'string' },
    (u): u is string => typeof u === 'string' && pattern.test(u),
  );
}
