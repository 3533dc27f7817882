import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Takes away the database's access to the file system but for the given
 * files, and locks its settings so no query can give it back. A statement
 * can then create no file, and can write only over one of those files
 * (with `COPY ... (USE_TMP_FILE false)`), which is why `readOnlyStatement`
 * refuses COPY and `assertPlainExplain` refuses EXPLAIN ANALYZE. Run it
 * after creating the views: they name the same files.
 *
 * @param connection a connection to the database to lock
 * @param files the only files queries may open
 */
export async function lockToFiles(
  connection: DuckDBConnection,
  files: readonly string[],
): Promise<void> {
  if (files.length > 0) {
    const paths = files.map((file) => `'${file.replaceAll("'", "''")}'`);
    await connection.run(`SET allowed_paths = [${paths.join(', ')}]`);
  }
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}
