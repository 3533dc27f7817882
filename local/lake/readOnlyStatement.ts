import {
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  StatementType,
} from '@duckdb/node-api';
import { CommandArgumentError, LakeQueryError } from '../errors.js';

/**
 * The statement types a query may have, as DuckDB classifies them once
 * prepared. DESCRIBE, SHOW, SUMMARIZE, VALUES, FROM-first queries and the
 * pragmas that only report (`PRAGMA show_tables`) all prepare as SELECT;
 * pragmas and SETs that change settings, CALL, COPY, CREATE, ATTACH and
 * the rest do not, and are refused.
 */
const READING_TYPES: ReadonlySet<StatementType> = new Set([
  StatementType.SELECT,
  StatementType.EXPLAIN,
]);

/** How every refusal starts: what a query may be. */
export const READ_ONLY_RULE =
  'A query must be one read-only statement (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN)';

/**
 * Parses `sql` with DuckDB's own parser and prepares its statement,
 * refusing anything but exactly one reading statement. DuckDB reports a
 * `PIVOT` without an `IN` list as two statements (it creates an enum type
 * first), so such a pivot is refused too; naming the values makes it one.
 *
 * @example
 * const prepared = await readOnlyStatement(connection, 'SELECT 1');
 * const reader = await prepared.runAndReadAll();
 *
 * @param connection the connection whose views the statement reads
 * @param sql the text given on the command line
 * @returns the prepared statement, not yet run
 */
export async function readOnlyStatement(
  connection: DuckDBConnection,
  sql: string,
): Promise<DuckDBPreparedStatement> {
  const extracted = await connection
    .extractStatements(sql)
    .catch(extractionFailure);
  if (extracted.count !== 1) {
    throw new CommandArgumentError(
      `${READ_ONLY_RULE}; got ${extracted.count} statements.`,
    );
  }
  const prepared = await extracted.prepare(0).catch(queryFailure);
  const type = prepared.statementType;
  if (!READING_TYPES.has(type)) {
    prepared.destroySync();
    throw new CommandArgumentError(
      `${READ_ONLY_RULE}; got ${withArticle(typeName(type))} statement.`,
    );
  }
  return prepared;
}

/**
 * The connection rejects text without statements with a bare native
 * error, and text that does not parse with DuckDB's parser message.
 */
function extractionFailure(cause: unknown): never {
  const message = cause instanceof Error ? cause.message : String(cause);
  const parserMessage = /^Failed to extract statements: (.*)/s.exec(message);
  if (parserMessage === null) {
    throw new CommandArgumentError(`${READ_ONLY_RULE}; got no statement.`, {
      cause,
    });
  }
  return queryFailure(new Error(parserMessage[1], { cause }));
}

function queryFailure(cause: unknown): never {
  const message = cause instanceof Error ? cause.message : String(cause);
  throw new LakeQueryError(`The query failed: ${message}`, { cause });
}

/** Statement types whose DuckDB name is not how SQL spells them. */
const SPELLED: Readonly<Record<string, string>> = {
  VARIABLE_SET: 'SET',
  CREATE_FUNC: 'CREATE FUNCTION',
};

/** DuckDB's name of a statement type as SQL spells the statement. */
function typeName(type: StatementType): string {
  const name = StatementType[type] ?? `type ${type}`;
  return SPELLED[name] ?? name.replaceAll('_', ' ');
}

function withArticle(word: string): string {
  return /^[AEIOU]/.test(word) ? `an ${word}` : `a ${word}`;
}
