import type { Column, ColumnType } from '../../schemas/ColumnType.js';
import { ColumnMismatchError } from '../errors.js';

/** A row shaped for the Parquet writer, or why the record cannot be one. */
export type Conformed =
  | { ok: true; row: Record<string, unknown> }
  | { ok: false; reason: string };

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * Fits one transformed record to its table's columns the way Firehose's
 * record format conversion reads JSON: keys match column names without
 * regard to case (an exact match wins), a missing field is null, a field
 * no column names is dropped, and a value of the wrong kind rejects the
 * whole record (it then goes to `format-conversion-failed`).
 *
 * Kinds accepted per column type: `string` takes a string, or a number or
 * boolean as its JSON text; `int` and `bigint` a whole number in range;
 * `double` any finite number; `boolean` a boolean; `timestamp` epoch
 * milliseconds or an ISO-8601 string; arrays and structs the same rules
 * element by element. Timestamps come out as epoch milliseconds, which the
 * Parquet writer turns into TIMESTAMP values.
 *
 * @param text the record's data after transformation: one JSON object
 * @param columns the table's columns
 */
export function conformRow(
  text: string,
  columns: readonly Column[],
): Conformed {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `The record is not JSON: ${message(error)}` };
  }
  try {
    return { ok: true, row: conformStruct(parsed, columns, '') };
  } catch (error) {
    if (error instanceof ColumnMismatchError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}

function conformStruct(
  value: unknown,
  fields: readonly Column[],
  path: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (path === '') {
      throw new ColumnMismatchError(
        `The record is ${shown(value)}, not a JSON object.`,
      );
    }
    throw mismatch(path, 'an object', value);
  }
  const source = value as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  let lowerKeys: Map<string, string> | undefined;
  for (const field of fields) {
    let key: string | undefined = field.name;
    if (!Object.hasOwn(source, key)) {
      lowerKeys ??= lowerKeyIndex(source);
      key = lowerKeys.get(field.name.toLowerCase());
    }
    const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
    row[field.name] =
      key === undefined
        ? null
        : conformValue(source[key], field.type, fieldPath);
  }
  return row;
}

function lowerKeyIndex(source: Record<string, unknown>): Map<string, string> {
  const index = new Map<string, string>();
  for (const key of Object.keys(source)) {
    const lower = key.toLowerCase();
    if (!index.has(lower)) index.set(lower, key);
  }
  return index;
}

function conformValue(value: unknown, type: ColumnType, path: string): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'array':
      return conformArray(value, type.element, path);
    case 'struct':
      return conformStruct(value, type.fields, path);
    case 'string':
      return conformString(value, path);
    case 'int':
      return conformInteger(value, path, 'int', INT_MIN, INT_MAX);
    case 'bigint':
      return conformInteger(
        value,
        path,
        'bigint',
        Number.MIN_SAFE_INTEGER,
        Number.MAX_SAFE_INTEGER,
      );
    case 'double':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw mismatch(path, 'a double', value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw mismatch(path, 'a boolean', value);
    case 'timestamp':
      return conformTimestamp(value, path);
    case 'date':
      // No table column is a date (only views read `dt` as one); a row
      // would carry it as the ISO day.
      if (typeof value === 'string' && ISO_DAY.test(value)) return value;
      throw mismatch(path, 'a date (YYYY-MM-DD)', value);
  }
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function conformArray(value: unknown, element: ColumnType, path: string) {
  if (!Array.isArray(value)) throw mismatch(path, 'an array', value);
  return value.map((item, index) =>
    conformValue(item, element, `${path}[${index}]`),
  );
}

function conformString(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  throw mismatch(path, 'a string', value);
}

function conformInteger(
  value: unknown,
  path: string,
  kind: string,
  min: number,
  max: number,
): number {
  if (
    Number.isInteger(value) &&
    (value as number) >= min &&
    (value as number) <= max
  ) {
    return value as number;
  }
  throw mismatch(path, `an ${kind === 'int' ? 'int' : 'bigint'}`, value);
}

function conformTimestamp(value: unknown, path: string): number {
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? parseIsoTime(value)
        : Number.NaN;
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > MAX_TIME_MS) {
    throw mismatch(path, 'a timestamp (epoch ms or ISO-8601)', value);
  }
  return ms;
}

/** The largest time a JavaScript Date holds, in epoch milliseconds. */
const MAX_TIME_MS = 8.64e15;

/** `2022-03-29T09:00:08Z`, with optional fraction, or a space for the T. */
const ISO_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)\d*(Z|[+-]\d{2}:\d{2})?$/;

/** Reads ISO-8601 text as UTC unless it names its own offset. */
function parseIsoTime(text: string): number {
  const match = ISO_TIME.exec(text);
  if (match === null) return Number.NaN;
  const [, day, time, zone] = match;
  return Date.parse(`${day}T${time}${zone ?? 'Z'}`);
}

function mismatch(
  path: string,
  expected: string,
  value: unknown,
): ColumnMismatchError {
  return new ColumnMismatchError(
    `Column ${path} expects ${expected} but the record has ${shown(value)}.`,
  );
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
