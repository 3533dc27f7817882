import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dvault, REPO_ROOT } from '../../local/cliProcess.js';

let lake: string;
let output: string;

/** The destinations table of `samples/README.md`: table name to events. */
async function samplesReadme(): Promise<Record<string, number>> {
  const text = await readFile(join(REPO_ROOT, 'samples/README.md'), 'utf8');
  const rows = [...text.matchAll(/^\| ([a-z_]+(?:: [a-z_]+)?) \| (\d+) \|$/gm)];
  return Object.fromEntries(rows.map(([, name, n]) => [name, Number(n)]));
}

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dvault-start-'));
  ({ stdout: output } = await dvault(['start', '--lake', lake]));
});

afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('dvault start', () => {
  it('lands the repository samples and shows every table with the rows the samples README promises', async () => {
    const expected = await samplesReadme();
    const shown = Object.fromEntries(
      [...output.matchAll(/^([a-z_]+)\s+(\d+)$/gm)].map(([, name, n]) => [
        name,
        Number(n),
      ]),
    );

    expect(Object.keys(expected)).toHaveLength(12);
    for (const [name, events] of Object.entries(expected)) {
      const table = name.startsWith('dirty: ')
        ? name.slice('dirty: '.length)
        : name;
      if (table === 'total') continue;
      expect({ [table]: shown[table] }).toEqual({ [table]: events });
    }
  });

  it('says how to query the lake next', () => {
    expect(output).toContain(
      `npx dvault query "SELECT kind, reasons FROM dirty" --lake ${lake}`,
    );
  });
});
