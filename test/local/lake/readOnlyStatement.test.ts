import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DuckDBConnection,
  type DuckDBInstance,
  StatementType,
} from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandArgumentError, LakeQueryError } from '../../../local/errors.js';
import { lockToFiles } from '../../../local/lake/lockToFiles.js';
import { openDuckDb } from '../../../local/lake/openDuckDb.js';
import {
  READ_ONLY_RULE,
  readOnlyStatement,
} from '../../../local/lake/readOnlyStatement.js';

// The one file the database may open; a COPY to it binds, and is refused.
const ALLOWED = join(tmpdir(), 'dvault-allowed.parquet');

let duck: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  duck = await openDuckDb();
  connection = await duck.connect();
  await connection.run(`CREATE VIEW events AS SELECT 'e1' AS event_id`);
  await lockToFiles(connection, [ALLOWED]);
});

afterAll(() => {
  connection.closeSync();
  duck.closeSync();
});

describe('readOnlyStatement', () => {
  it.each([
    ['a SELECT', 'SELECT event_id FROM events', StatementType.SELECT],
    ['a query ending in a semicolon', 'SELECT 1;', StatementType.SELECT],
    [
      'a WITH query',
      'WITH e AS (SELECT * FROM events) SELECT * FROM e',
      StatementType.SELECT,
    ],
    ['a FROM-first query', 'FROM events', StatementType.SELECT],
    ['VALUES', 'VALUES (1), (2)', StatementType.SELECT],
    ['DESCRIBE', 'DESCRIBE events', StatementType.SELECT],
    ['SHOW TABLES', 'SHOW TABLES', StatementType.SELECT],
    ['SUMMARIZE', 'SUMMARIZE events', StatementType.SELECT],
    ['a reporting PRAGMA', 'PRAGMA show_tables', StatementType.SELECT],
    ['EXPLAIN', 'EXPLAIN SELECT * FROM events', StatementType.EXPLAIN],
  ])('prepares %s', async (_, sql, type) => {
    const prepared = await readOnlyStatement(connection, sql);

    expect(prepared.statementType).toBe(type);
    prepared.destroySync();
  });

  it.each([
    ['two statements', 'SELECT 1; SELECT 2', 'got 2 statements.'],
    [
      'a PIVOT without an IN list (DuckDB makes it two statements)',
      'PIVOT events ON event_id USING count(*)',
      'got 2 statements.',
    ],
    ['an empty text', '  ', 'got no statement.'],
    ['a comment alone', '-- nothing here', 'got no statement.'],
    ['CREATE', 'CREATE TABLE t AS SELECT 1', 'got a CREATE statement.'],
    [
      'CREATE MACRO',
      'CREATE MACRO twice(x) AS 2 * x',
      'got a CREATE statement.',
    ],
    ['DROP', 'DROP VIEW events', 'got a DROP statement.'],
    ['COPY TO', `COPY (SELECT 1) TO '${ALLOWED}'`, 'got a COPY statement.'],
    ['SET', 'SET threads = 1', 'got a SET statement.'],
    ['a setting PRAGMA', 'PRAGMA enable_profiling', 'got a PRAGMA statement.'],
    ['CALL', 'CALL pragma_version()', 'got a CALL statement.'],
    ['ATTACH', `ATTACH ':memory:' AS other`, 'got an ATTACH statement.'],
    ['BEGIN', 'BEGIN TRANSACTION', 'got a TRANSACTION statement.'],
    ['LOAD', 'LOAD json', 'got a LOAD statement.'],
  ])('refuses %s', async (_, sql, got) => {
    const refused = readOnlyStatement(connection, sql);

    await expect(refused).rejects.toBeInstanceOf(CommandArgumentError);
    await expect(refused).rejects.toThrow(`${READ_ONLY_RULE}; ${got}`);
  });

  it('reports a statement naming a file it may not open with the permission error', async () => {
    const failing = readOnlyStatement(
      connection,
      `COPY (SELECT 1) TO '${join(tmpdir(), 'dvault-elsewhere.csv')}'`,
    );

    await expect(failing).rejects.toBeInstanceOf(LakeQueryError);
    await expect(failing).rejects.toThrow(
      /^The query failed: Permission Error: Cannot access file/,
    );
  });

  it('reports text that does not parse with the parser message', async () => {
    const failing = readOnlyStatement(connection, 'SELEC 1');

    await expect(failing).rejects.toBeInstanceOf(LakeQueryError);
    await expect(failing).rejects.toThrow(
      /^The query failed: Parser Error: syntax error at or near "SELEC"/,
    );
  });

  it('reports a statement that does not bind with the binder message', async () => {
    const failing = readOnlyStatement(connection, 'SELECT nope FROM events');

    await expect(failing).rejects.toBeInstanceOf(LakeQueryError);
    await expect(failing).rejects.toThrow(
      /^The query failed: Binder Error: .*"nope"/s,
    );
  });
});
