import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Opens an in-memory DuckDB that never reaches for the network: Parquet
 * and JSON are built into the package, and autoloading an extension would
 * try a download.
 */
export function openDuckDb(): Promise<DuckDBInstance> {
  return DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
}
