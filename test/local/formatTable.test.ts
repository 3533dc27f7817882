import { describe, expect, it } from 'vitest';
import { formatTable } from '../../local/formatTable.js';

describe('formatTable', () => {
  it('aligns numbers right, shows nested values as JSON and null as nothing', () => {
    const text = formatTable(
      ['table', 'rows', 'tags'],
      [
        { table: 'ste_event', rows: 314, tags: ['a', 'b'] },
        { table: 'ste_pred', rows: 26, tags: null },
      ],
    );

    expect(text.split('\n')).toEqual([
      'table      rows  tags',
      '---------  ----  ---------',
      'ste_event   314  ["a","b"]',
      'ste_pred     26',
    ]);
  });

  it('folds long and multi-line text into one short line', () => {
    const text = formatTable(
      ['text'],
      [{ text: `first line\n${'x'.repeat(80)}` }],
    );

    const cell = text.split('\n')[2] as string;
    expect(cell).toHaveLength(48);
    expect(cell.startsWith('first line xxx')).toBe(true);
    expect(cell.endsWith('…')).toBe(true);
  });
});
