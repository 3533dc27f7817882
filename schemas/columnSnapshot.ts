import { hiveType } from './ColumnType.js';
import type { TableSpec } from './TableSpec.js';

/** Every table's columns as Hive type strings: `{ table: { column: type } }`. */
export type ColumnSnapshot = Record<string, Record<string, string>>;

/** The column snapshot of a list of tables, for committing and comparing. */
export function columnSnapshot(tables: readonly TableSpec[]): ColumnSnapshot {
  return Object.fromEntries(
    tables.map((table) => [
      table.name,
      Object.fromEntries(
        table.columns.map((column) => [column.name, hiveType(column.type)]),
      ),
    ]),
  );
}

/**
 * The breaking differences from a committed snapshot: a table or column
 * that is gone, or a column whose type changed. Added tables and columns
 * are not breaking: Glue and Athena read old files with new columns null.
 */
export function breakingChanges(
  committed: ColumnSnapshot,
  current: ColumnSnapshot,
): string[] {
  const changes: string[] = [];
  for (const [table, columns] of Object.entries(committed)) {
    const now = current[table];
    if (now === undefined) {
      changes.push(`Table ${table} was removed.`);
      continue;
    }
    for (const [column, type] of Object.entries(columns)) {
      if (now[column] === undefined) {
        changes.push(`Column ${table}.${column} was removed or renamed.`);
      } else if (now[column] !== type) {
        changes.push(
          `Column ${table}.${column} changed from ${type} to ${now[column]}.`,
        );
      }
    }
  }
  return changes;
}
