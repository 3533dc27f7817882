import { textTable } from './report/textTable.js';

/** The widest a text cell is shown before it is cut short. */
const MAX_CELL = 48;

/**
 * Renders query rows as a plain-text table for people: numbers aligned
 * right, nested values as JSON, long or multi-line text folded to one
 * line and cut with an ellipsis, null as an empty cell.
 *
 * @example
 * formatTable(['table', 'rows'], [{ table: 'ste_event', rows: 314 }]);
 * // table      rows
 * // ---------  ----
 * // ste_event   314
 *
 * @param columns the column names, in order
 * @param rows objects keyed by those names
 */
export function formatTable(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): string {
  return textTable(
    columns,
    rows.map((row) => columns.map((column) => shortCell(row[column]))),
  );
}

function shortCell(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'number') {
    return value;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}
