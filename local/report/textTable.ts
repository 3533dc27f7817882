/**
 * Renders rows as a plain text table for people: a header, a rule, and
 * columns padded to their widest cell; numbers are right-aligned.
 *
 * @example
 * textTable(['table', 'rows'], [['ste_event', 314]]);
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const cells = rows.map((row) => row.map((cell) => cellText(cell)));
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const numeric = header.map(
    (_, i) =>
      rows.length > 0 && rows.every((row) => typeof row[i] === 'number'),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) =>
        numeric[i]
          ? cell.padStart(widths[i] ?? 0)
          : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...cells.map(line)].join('\n');
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (
    typeof cell === 'number' ||
    typeof cell === 'bigint' ||
    typeof cell === 'boolean'
  ) {
    return String(cell);
  }
  return JSON.stringify(cell) ?? String(cell);
}
