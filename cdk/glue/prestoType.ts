import type { ColumnType, ScalarKind } from '../../schemas/index.js';

/**
 * Athena engine 3 (Trino) reads a Glue `timestamp` over Parquet with
 * millisecond precision, so a view's column must say `timestamp(3)` to
 * match it; the others are Trino's names for the Hive types.
 */
const PRESTO_SCALARS: Record<ScalarKind, string> = {
  string: 'varchar',
  int: 'integer',
  bigint: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp(3)',
  date: 'date',
};

/**
 * The type of a column as an Athena view definition spells it (Trino's
 * type signature), which differs from the Hive string Glue keeps for a
 * table: `varchar` for `string`, `row(...)` for `struct<...>`. Field names
 * are quoted, as Trino itself writes them, so a field called like a
 * keyword still parses.
 *
 * @example
 * prestoType({ kind: 'array', element: { kind: 'struct', fields: [{ name: 'score', type: { kind: 'double' } }] } });
 * // 'array(row("score" double))'
 */
export function prestoType(type: ColumnType): string {
  switch (type.kind) {
    case 'array':
      return `array(${prestoType(type.element)})`;
    case 'struct':
      return `row(${type.fields.map((f) => `"${f.name.replaceAll('"', '""')}" ${prestoType(f.type)}`).join(', ')})`;
    default:
      return PRESTO_SCALARS[type.kind];
  }
}
