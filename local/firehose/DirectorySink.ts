import type { Column } from '../../schemas/ColumnType.js';
import type { DirectoryObjectStore } from '../../schemas/ports/DirectoryObjectStore.js';
import type { DeliverySink } from './deliverBatch.js';
import type { ParquetWriter } from './ParquetWriter.js';

/**
 * A delivery stream's destination on one machine: JSON-lines objects go
 * through the object-store port, Parquet straight to the bucket's folder,
 * so every file lies at the path its S3 key names.
 *
 * @example
 * const sink = new DirectorySink(store, 'lake', await ParquetWriter.open(db));
 */
export class DirectorySink implements DeliverySink {
  readonly #store: DirectoryObjectStore;
  readonly #bucket: string;
  readonly #parquet: ParquetWriter;

  /**
   * @param store the lake's object store
   * @param bucket the lake's bucket name in that store
   * @param parquet the writer Parquet objects go through
   */
  constructor(
    store: DirectoryObjectStore,
    bucket: string,
    parquet: ParquetWriter,
  ) {
    this.#store = store;
    this.#bucket = bucket;
    this.#parquet = parquet;
  }

  async putLines(key: string, lines: readonly unknown[]): Promise<void> {
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    await this.#store.put(this.#bucket, key, text);
  }

  async putParquet(
    key: string,
    rows: readonly Record<string, unknown>[],
    columns: readonly Column[],
  ): Promise<void> {
    await this.#parquet.write(
      rows,
      columns,
      this.#store.pathOf(this.#bucket, key),
    );
  }

  async checkParquet(
    rows: readonly Record<string, unknown>[],
    columns: readonly Column[],
  ): Promise<void> {
    await this.#parquet.check(rows, columns);
  }
}
