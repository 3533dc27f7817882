import type { TableSpec } from '../../schemas/index.js';
import { CommandArgumentError, LakeQueryError } from '../errors.js';
import { lakeViews } from './lakeViews.js';
import { lockToFiles } from './lockToFiles.js';
import { openDuckDb } from './openDuckDb.js';
import { READ_ONLY_RULE, readOnlyStatement } from './readOnlyStatement.js';

/** The first `explain_key` of an EXPLAIN ANALYZE, which runs its statement. */
const ANALYZED_PLAN = 'analyzed_plan';

/**
 * Refuses an EXPLAIN ANALYZE. DuckDB gives EXPLAIN and EXPLAIN ANALYZE one
 * statement type, and the latter runs the statement it explains, whatever
 * that is (a COPY, say). So the EXPLAIN is first run on a stand-in: the
 * same views, empty, in a database that may open no file at all. There a
 * plain EXPLAIN answers with a `physical_plan` and an EXPLAIN ANALYZE with
 * an `analyzed_plan`, or fails if what it runs needs a file.
 *
 * @param sql the EXPLAIN statement
 * @param tables the tables the real query sees
 */
export async function assertPlainExplain(
  sql: string,
  tables: readonly TableSpec[],
): Promise<void> {
  const duck = await openDuckDb();
  const connection = await duck.connect();
  try {
    for (const statement of lakeViews('', tables, [])) {
      await connection.run(statement);
    }
    await lockToFiles(connection, []);
    const prepared = await readOnlyStatement(connection, sql);
    const reader = await prepared.runAndReadAll().catch((cause: unknown) => {
      throw new LakeQueryError(
        `The query failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    });
    if (reader.getRows()[0]?.[0] === ANALYZED_PLAN) {
      throw new CommandArgumentError(
        `${READ_ONLY_RULE}; got an EXPLAIN ANALYZE, which runs the statement it explains.`,
      );
    }
  } finally {
    connection.closeSync();
    duck.closeSync();
  }
}
