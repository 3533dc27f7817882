/** A scalar column type, named as the lake stores it. */
export const ScalarKind = {
  String: 'string',
  Int: 'int',
  BigInt: 'bigint',
  Double: 'double',
  Boolean: 'boolean',
  Timestamp: 'timestamp',
  /** A calendar day; only views have one (`dt` read as a date). */
  Date: 'date',
} as const;
export type ScalarKind = (typeof ScalarKind)[keyof typeof ScalarKind];

/**
 * A column's type, independent of the engine: Glue (Hive type strings) and
 * DuckDB types are both rendered from it, so they cannot drift apart.
 */
export type ColumnType =
  | { readonly kind: ScalarKind }
  | { readonly kind: 'array'; readonly element: ColumnType }
  | { readonly kind: 'struct'; readonly fields: readonly Column[] };

/** A named column of a table, or a field of a struct column. */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

const HIVE_SCALARS: Record<ScalarKind, string> = {
  string: 'string',
  int: 'int',
  bigint: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
  date: 'date',
};

const DUCKDB_SCALARS: Record<ScalarKind, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
};

/**
 * The Hive type string Glue stores for a column type.
 *
 * @example
 * hiveType({ kind: 'array', element: { kind: 'double' } }); // 'array<double>'
 */
export function hiveType(type: ColumnType): string {
  switch (type.kind) {
    case 'array':
      return `array<${hiveType(type.element)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${hiveType(f.type)}`).join(',')}>`;
    default:
      return HIVE_SCALARS[type.kind];
  }
}

/**
 * The DuckDB type for a column type, as used in casts and `read_json`
 * column lists.
 *
 * @example
 * duckDbType({ kind: 'array', element: { kind: 'double' } }); // 'DOUBLE[]'
 */
export function duckDbType(type: ColumnType): string {
  switch (type.kind) {
    case 'array':
      return `${duckDbType(type.element)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `"${f.name}" ${duckDbType(f.type)}`).join(', ')})`;
    default:
      return DUCKDB_SCALARS[type.kind];
  }
}
