import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryLake } from '../../../local/lake/queryLake.js';
import { type RunSummary, runLocal } from '../../../local/run/runLocal.js';
import {
  type GenerationTally,
  generateDvaultFiles,
} from '../../../schemas/generate/generateDvaultFiles.js';

/**
 * Delivery is at least once: the same files landed twice must not count
 * their dirty records twice in `dirty`, while `dirty_all` keeps every copy.
 */

let folder: string;
let lake: string;
let runs: RunSummary[];
const tally: GenerationTally = { clean: {}, dirty: {} };

interface DirtyCounts {
  dirty: number;
  dirtyAll: number;
  transformerAll: number;
  producerAll: number;
}

async function dirtyCounts(): Promise<DirtyCounts> {
  const { rows } = await queryLake(
    lake,
    `SELECT
      (SELECT count(*) FROM dirty) AS dirty,
      (SELECT count(*) FROM dirty_all) AS "dirtyAll",
      (SELECT count(*) FROM dirty_all WHERE "table" <> '_producer') AS "transformerAll",
      (SELECT count(*) FROM dirty_all WHERE "table" = '_producer') AS "producerAll"`,
  );
  return rows[0] as unknown as DirtyCounts;
}

const counts: DirtyCounts[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'dvault-twice-files-'));
  lake = await mkdtemp(join(tmpdir(), 'dvault-twice-lake-'));
  for (const file of generateDvaultFiles(
    {
      events: 60,
      seed: 11,
      dirtyShare: 0.5,
      eventsPerFile: 30,
    },
    tally,
  )) {
    await writeFile(join(folder, file.name), file.text);
  }
  await writeFile(join(folder, 'dvault-garbled'), 'this is not JSON');
  runs = [];
  for (let run = 0; run < 2; run++) {
    runs.push(await runLocal({ paths: [folder], lake, bufferSeconds: 0.2 }));
    counts.push(await dirtyCounts());
  }
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
  await rm(lake, { recursive: true, force: true });
});

describe('the dirty views over the same files landed twice', () => {
  it('quarantines every dirty record again on the second run', () => {
    const [first, second] = runs as [RunSummary, RunSummary];

    expect(first.dirty).toMatchObject({ ...tally.dirty, unparsable: 1 });
    expect(second.dirty).toEqual(first.dirty);
  });

  it('keeps the dirty count of the first run in dirty', () => {
    const [first, second] = counts as [DirtyCounts, DirtyCounts];
    const expected = Object.values(tally.dirty).reduce((a, b) => a + b, 0) + 1;

    expect(first.dirty).toBe(expected);
    expect(first.dirtyAll).toBe(expected);
    expect(second.dirty).toBe(expected);
  });

  it('doubles the transformer copies in dirty_all and rewrites the producer objects in place', () => {
    const [first, second] = counts as [DirtyCounts, DirtyCounts];

    expect(first.transformerAll).toBe(tally.dirty.invalid);
    expect(second.transformerAll).toBe(2 * first.transformerAll);
    // The producer names its dirty object after the file, so a second
    // landing of the same file rewrites the same object.
    expect(second.producerAll).toBe(first.producerAll);
  });
});
