import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ONLY_RULE } from '../../../local/lake/readOnlyStatement.js';
import { dvault } from '../cliProcess.js';

let lake: string;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dvault-query-cli-'));
});

afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('dvault query', () => {
  it('prints the rows of a SELECT as JSON', async () => {
    const { stdout } = await dvault([
      'query',
      'SELECT count(*) AS n FROM dirty',
      '--lake',
      lake,
      '--json',
    ]);

    expect(JSON.parse(stdout)).toEqual([{ n: 0 }]);
  });

  it.each([
    ['two statements', 'SELECT 1; SELECT 2', 'got 2 statements.'],
    ['a CREATE', 'CREATE TABLE t AS SELECT 1', 'got a CREATE statement.'],
  ])('refuses %s with one line and exit status 2', async (_, sql, got) => {
    const refused = dvault(['query', sql, '--lake', lake]);

    await expect(refused).rejects.toMatchObject({
      code: 2,
      stderr: `dvault: ${READ_ONLY_RULE}; ${got}\n`,
    });
  });
});
