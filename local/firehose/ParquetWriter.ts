import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Column, duckDbType } from '../../schemas/ColumnType.js';
import { ParquetWriteError } from '../errors.js';

/**
 * Writes conformed rows to one Parquet file with DuckDB, typed by the
 * table's columns. Rows go through a JSON-lines file that DuckDB reads with
 * the columns spelled out, so no type is guessed; the Parquet file is
 * written beside its final path and renamed, so a reader never sees half
 * of it.
 *
 * @example
 * const writer = await ParquetWriter.open(connection);
 * await writer.write(rows, table.columns, '/lake/clean/t/dt=2026-12-03/x.parquet');
 */
export class ParquetWriter {
  readonly #connection: DuckDBConnection;
  readonly #scratch: string;
  #sequence = 0;

  private constructor(connection: DuckDBConnection, scratch: string) {
    this.#connection = connection;
    this.#scratch = scratch;
  }

  /** Opens a writer on a connection, with a scratch folder of its own. */
  static async open(connection: DuckDBConnection): Promise<ParquetWriter> {
    const scratch = await mkdtemp(join(tmpdir(), 'dvault-parquet-'));
    return new ParquetWriter(connection, scratch);
  }

  /**
   * Writes the rows to `path`, creating its folder.
   *
   * @param rows objects keyed by exactly the column names
   * @param columns the table's columns, in order
   * @param path the Parquet file's final local path
   */
  async write(
    rows: readonly Record<string, unknown>[],
    columns: readonly Column[],
    path: string,
  ): Promise<void> {
    const lines = join(this.#scratch, `${++this.#sequence}.jsonl`);
    const partial = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(lines, rows.map((row) => JSON.stringify(row)).join('\n'));
      await mkdir(dirname(path), { recursive: true });
      await this.#connection.run(copySql(lines, columns, partial));
      await rename(partial, path);
    } catch (cause) {
      await rm(partial, { force: true });
      throw new ParquetWriteError(`Cannot write Parquet file ${path}.`, {
        cause,
      });
    } finally {
      await rm(lines, { force: true });
    }
  }

  /** Removes the scratch folder; the connection stays open. */
  async close(): Promise<void> {
    await rm(this.#scratch, { recursive: true, force: true });
  }
}

function copySql(lines: string, columns: readonly Column[], target: string) {
  const types = columns
    .map((column) => `${quote(column.name)}: ${quote(duckDbType(column.type))}`)
    .join(', ');
  return `COPY (SELECT * FROM read_json(${quote(lines)}, format = 'newline_delimited', columns = {${types}})) TO ${quote(target)} (FORMAT parquet)`;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
