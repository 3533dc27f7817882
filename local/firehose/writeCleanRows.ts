import type { Column } from '../../schemas/ColumnType.js';
import { MAX_WRITE_ATTEMPTS, WRITE_RETRY_MS } from '../constants.js';
import { ParquetWriteError } from '../errors.js';
import type { DeliverySink } from './deliverBatch.js';

/** A row ready for Parquet, with whatever its caller needs to trace it. */
export interface CleanRow<T> {
  row: Record<string, unknown>;
  origin: T;
}

/** A row Parquet conversion refused when it was written alone. */
export interface RejectedRow<T> {
  item: CleanRow<T>;
  reason: string;
}

/** What became of a batch's rows. */
export interface WrittenRows<T> {
  /** Rows now in the Parquet object. */
  written: CleanRow<T>[];
  /** Rows that cannot be converted, each with DuckDB's reason. */
  rejected: RejectedRow<T>[];
  /**
   * Writes of the Parquet object tried with every row of the batch: what a
   * rejected row's error line reports as its attempts.
   */
  attemptsMade: number;
}

/** Where the rows go and how hard to try. */
export interface WriteCleanRowsOptions {
  sink: DeliverySink;
  /** The Parquet object's key in the lake. */
  key: string;
  columns: readonly Column[];
  /** Writes before the rows are tried apart; 3 unless a test says. */
  attempts?: number;
  /** The pause between writes; 200 ms unless a test says. */
  retryMs?: number;
}

/**
 * Writes a batch's rows as one Parquet object, as record format conversion
 * would: a write that fails is tried again a few times; if it still fails,
 * the rows are converted apart (halving the batch until each failing row
 * stands alone) and only the rows that fail alone are rejected, the rest
 * written. When no row is at fault (the lake cannot be written, say) it
 * rejects with a `ParquetWriteError` instead of blaming the records.
 *
 * @param rows the conformed rows of one batch
 * @param options the sink, the object's key and the table's columns
 */
export async function writeCleanRows<T>(
  rows: readonly CleanRow<T>[],
  options: WriteCleanRowsOptions,
): Promise<WrittenRows<T>> {
  if (rows.length === 0) return { written: [], rejected: [], attemptsMade: 0 };
  const first = await putWithRetries(rows, options);
  if (first.error === undefined) {
    return { written: [...rows], rejected: [], attemptsMade: first.attempts };
  }
  const rejected = await rowsAtFault(rows, options, first.error);
  const written = rows.filter((row) => !rejected.some((r) => r.item === row));
  const second = await putWithRetries(written, options);
  if (second.error !== undefined) throw writeFailed(options, second.error);
  return { written, rejected, attemptsMade: first.attempts };
}

async function putWithRetries<T>(
  rows: readonly CleanRow<T>[],
  options: WriteCleanRowsOptions,
): Promise<{ error?: unknown; attempts: number }> {
  if (rows.length === 0) return { attempts: 0 };
  const attempts = options.attempts ?? MAX_WRITE_ATTEMPTS;
  let error: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await pause(options.retryMs ?? WRITE_RETRY_MS);
    try {
      await options.sink.putParquet(
        options.key,
        rows.map((r) => r.row),
        options.columns,
      );
      return { attempts: attempt };
    } catch (caught) {
      error = caught;
    }
  }
  return { error, attempts };
}

/**
 * The rows that fail conversion alone. An empty conversion proves the
 * converter itself works, so a row failing alone is the row's fault.
 */
async function rowsAtFault<T>(
  rows: readonly CleanRow<T>[],
  options: WriteCleanRowsOptions,
  writeError: unknown,
): Promise<RejectedRow<T>[]> {
  const broken = await conversionFailure([], options);
  if (broken !== undefined) throw writeFailed(options, broken.error);
  const rejected = await bisect(rows, options);
  if (rejected.length === 0) throw writeFailed(options, writeError);
  return rejected;
}

async function bisect<T>(
  rows: readonly CleanRow<T>[],
  options: WriteCleanRowsOptions,
): Promise<RejectedRow<T>[]> {
  const failure = await conversionFailure(rows, options);
  if (failure === undefined) return [];
  if (rows.length === 1) {
    const reason = withoutScratchPath(rootMessage(failure.error));
    return [{ item: rows[0] as CleanRow<T>, reason }];
  }
  const middle = Math.ceil(rows.length / 2);
  return [
    ...(await bisect(rows.slice(0, middle), options)),
    ...(await bisect(rows.slice(middle), options)),
  ];
}

async function conversionFailure<T>(
  rows: readonly CleanRow<T>[],
  options: WriteCleanRowsOptions,
): Promise<{ error: unknown } | undefined> {
  try {
    await options.sink.checkParquet(
      rows.map((r) => r.row),
      options.columns,
    );
    return undefined;
  } catch (error) {
    return { error };
  }
}

function writeFailed(
  options: WriteCleanRowsOptions,
  cause: unknown,
): ParquetWriteError {
  return new ParquetWriteError(
    `Cannot write the Parquet object ${options.key}, and no record of its batch is at fault: ${rootMessage(cause)}`,
    { cause },
  );
}

/** The innermost message of an error chain: what actually went wrong. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause !== undefined) {
    current = current.cause;
  }
  const text = current instanceof Error ? current.message : String(current);
  return text.trim();
}

/** DuckDB names the scratch file it read, which means nothing to a reader. */
function withoutScratchPath(message: string): string {
  return message.replace(/ in file "[^"]*"/, '');
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
