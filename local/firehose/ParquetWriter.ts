import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  type Column,
  type ColumnType,
  duckDbType,
} from '../../schemas/ColumnType.js';
import { ParquetWriteError } from '../errors.js';

/**
 * Writes conformed rows to one Parquet file with DuckDB, typed by the
 * table's columns. Rows go through a JSON-lines file that DuckDB reads with
 * the columns spelled out, so no type is guessed; timestamps come as epoch
 * milliseconds and are turned into TIMESTAMP values. The Parquet file is
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
    const partial = `${path}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await this.#convert(rows, columns, partial);
      await rename(partial, path);
    } catch (cause) {
      // Cleaning up must not hide why the write failed.
      await rm(partial, { force: true }).catch(() => undefined);
      throw new ParquetWriteError(`Cannot write Parquet file ${path}.`, {
        cause,
      });
    }
  }

  /**
   * Converts the rows as `write` would, into the scratch folder, and keeps
   * nothing: whether these rows can become Parquet, apart from where they
   * would be written.
   *
   * @param rows objects keyed by exactly the column names
   * @param columns the table's columns, in order
   */
  async check(
    rows: readonly Record<string, unknown>[],
    columns: readonly Column[],
  ): Promise<void> {
    const trial = join(this.#scratch, `${++this.#sequence}.parquet`);
    try {
      await this.#convert(rows, columns, trial);
    } catch (cause) {
      throw new ParquetWriteError(
        `Cannot convert ${rows.length} row(s) to Parquet.`,
        { cause },
      );
    } finally {
      await rm(trial, { force: true }).catch(() => undefined);
    }
  }

  async #convert(
    rows: readonly Record<string, unknown>[],
    columns: readonly Column[],
    target: string,
  ): Promise<void> {
    const lines = join(this.#scratch, `${++this.#sequence}.jsonl`);
    try {
      await writeFile(lines, rows.map((row) => JSON.stringify(row)).join('\n'));
      await this.#connection.run(copySql(lines, columns, target));
    } finally {
      await rm(lines, { force: true }).catch(() => undefined);
    }
  }

  /** Removes the scratch folder; the connection stays open. */
  async close(): Promise<void> {
    await rm(this.#scratch, { recursive: true, force: true });
  }
}

function copySql(lines: string, columns: readonly Column[], target: string) {
  const types = columns
    .map((c) => `${quote(c.name)}: ${quote(duckDbType(asRead(c.type)))}`)
    .join(', ');
  const select = columns
    .map((c) => `${typed(ident(c.name), c.type, 0)} AS ${ident(c.name)}`)
    .join(', ');
  return `COPY (SELECT ${select} FROM read_json(${quote(lines)}, format = 'newline_delimited', columns = {${types}})) TO ${quote(target)} (FORMAT parquet)`;
}

/** The type a column is read as: timestamps arrive as epoch milliseconds. */
function asRead(type: ColumnType): ColumnType {
  switch (type.kind) {
    case 'timestamp':
      return { kind: 'bigint' };
    case 'array':
      return { kind: 'array', element: asRead(type.element) };
    case 'struct':
      return {
        kind: 'struct',
        fields: type.fields.map((f) => ({
          name: f.name,
          type: asRead(f.type),
        })),
      };
    default:
      return type;
  }
}

/** The expression that turns a value read by `asRead` into its column type. */
function typed(expression: string, type: ColumnType, depth: number): string {
  if (!hasTimestamp(type)) return expression;
  switch (type.kind) {
    case 'timestamp':
      return `epoch_ms(${expression})`;
    case 'array': {
      const item = `x${depth}`;
      return `list_transform(${expression}, ${item} -> ${typed(item, type.element, depth + 1)})`;
    }
    case 'struct': {
      const fields = type.fields
        .map(
          (f) =>
            `${ident(f.name)} := ${typed(`${expression}.${ident(f.name)}`, f.type, depth + 1)}`,
        )
        .join(', ');
      return `CASE WHEN ${expression} IS NULL THEN NULL ELSE struct_pack(${fields}) END`;
    }
    default:
      return expression;
  }
}

function hasTimestamp(type: ColumnType): boolean {
  if (type.kind === 'timestamp') return true;
  if (type.kind === 'array') return hasTimestamp(type.element);
  if (type.kind === 'struct')
    return type.fields.some((f) => hasTimestamp(f.type));
  return false;
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
