import type { Column } from '../../schemas/ColumnType.js';
import {
  ErrorOutputType,
  FirehoseError,
  UNKNOWN_FIELDS_COLUMN,
} from '../constants.js';
import { conformRow } from './conformRow.js';
import type { DeliveryRecord } from './DeliveryRecord.js';
import { errorRecords } from './errorRecords.js';
import { lakeKeys } from './lakeKeys.js';
import type { TransformedRecord } from './transformBatch.js';
import { type CleanRow, writeCleanRows } from './writeCleanRows.js';

/** Where a delivery stream's objects go: the lake, by S3 key. */
export interface DeliverySink {
  /** Writes a JSON-lines object. */
  putLines(key: string, lines: readonly unknown[]): Promise<void>;
  /** Writes rows as one Parquet object typed by the columns. */
  putParquet(
    key: string,
    rows: readonly Record<string, unknown>[],
    columns: readonly Column[],
  ): Promise<void>;
  /**
   * Converts rows as `putParquet` would and keeps nothing, rejecting as it
   * would; how a failed batch finds the rows at fault.
   */
  checkParquet(
    rows: readonly Record<string, unknown>[],
    columns: readonly Column[],
  ): Promise<void>;
}

/** The table a delivery stream converts to. */
export interface DeliveryTable {
  name: string;
  columns: readonly Column[];
}

/** How one delivered batch's records ended. */
export interface DeliveryCounts {
  clean: number;
  dropped: number;
  processingFailed: number;
  formatConversionFailed: number;
  /** Clean rows written whose event carried fields no column names. */
  unknownFields: number;
}

/** What writing one batch needs. */
export interface DeliverBatchOptions {
  table: DeliveryTable;
  deliveryStreamName: string;
  sink: DeliverySink;
  now: () => number;
  /** The pause between writes of a failed Parquet object; 200 ms by default. */
  writeRetryMs?: number;
}

/**
 * Writes one transformed batch as Firehose's S3 destination with record
 * format conversion would: `Ok` rows that fit the columns to one Parquet
 * object under `clean/`, rows that do not (by the column rules, or because
 * DuckDB refuses them when written alone) to `format-conversion-failed/`,
 * and records that failed transformation to `processing-failed/`, all
 * dated by the batch's oldest arrival. Rejects when the Parquet object
 * cannot be written for a reason no record explains.
 *
 * @param batch the transformed records of one buffer
 * @param options the table, the sink and a clock
 */
export async function deliverBatch(
  batch: readonly TransformedRecord[],
  options: DeliverBatchOptions,
): Promise<DeliveryCounts> {
  const { table, sink, now } = options;
  const sorted = sortOutcomes(batch, table, now());
  const arrival = oldestArrival(batch);
  const name = lakeKeys.objectName(options.deliveryStreamName, now());
  const written = await writeCleanRows(sorted.rows, {
    sink,
    key: lakeKeys.clean(table.name, arrival, name),
    columns: table.columns,
    retryMs: options.writeRetryMs,
  });
  const unconverted = [
    ...sorted.formatConversionFailed,
    ...written.rejected.map(({ item, reason }) =>
      conversionFailure(item.origin, table.name, reason, now(), written),
    ),
  ];
  await Promise.all([
    putErrors(
      options,
      ErrorOutputType.ProcessingFailed,
      arrival,
      name,
      sorted.processingFailed,
    ),
    putErrors(
      options,
      ErrorOutputType.FormatConversionFailed,
      arrival,
      name,
      unconverted,
    ),
  ]);
  return {
    clean: written.written.length,
    dropped: sorted.dropped,
    processingFailed: sorted.processingFailed.length,
    formatConversionFailed: unconverted.length,
    unknownFields: written.written.filter(hasUnknownFields).length,
  };
}

/** A converted record's source, kept for its error line if it is refused. */
interface RowOrigin {
  record: DeliveryRecord;
  data: Uint8Array;
}

async function putErrors(
  options: DeliverBatchOptions,
  type: ErrorOutputType,
  arrival: number,
  name: string,
  lines: readonly unknown[],
): Promise<void> {
  if (lines.length === 0) return;
  const key = lakeKeys.error(options.table.name, type, arrival, name);
  await options.sink.putLines(key, lines);
}

function hasUnknownFields(item: CleanRow<RowOrigin>): boolean {
  const extra = item.row[UNKNOWN_FIELDS_COLUMN];
  return extra !== null && extra !== undefined;
}

function oldestArrival(batch: readonly TransformedRecord[]): number {
  return batch.reduce(
    (oldest, item) => Math.min(oldest, item.outcome.record.arrivalMs),
    Number.POSITIVE_INFINITY,
  );
}

function sortOutcomes(
  batch: readonly TransformedRecord[],
  table: DeliveryTable,
  endedMs: number,
) {
  const rows: CleanRow<RowOrigin>[] = [];
  const processingFailed: unknown[] = [];
  const formatConversionFailed: unknown[] = [];
  let dropped = 0;
  for (const { outcome, attemptsMade } of batch) {
    if (outcome.result === 'Dropped') {
      dropped++;
    } else if (outcome.result === 'ProcessingFailed') {
      processingFailed.push(
        errorRecords.processingFailed(outcome.record, {
          errorCode: outcome.error.code,
          errorMessage: outcome.error.message,
          attemptsMade,
          endedMs,
        }),
      );
    } else {
      const origin = { record: outcome.record, data: outcome.data };
      const conformed = conformRow(
        outcome.data.toString('utf8'),
        table.columns,
      );
      if (conformed.ok) rows.push({ row: conformed.row, origin });
      else
        formatConversionFailed.push(
          conversionFailure(origin, table.name, conformed.reason, endedMs),
        );
    }
  }
  return { rows, processingFailed, formatConversionFailed, dropped };
}

function conversionFailure(
  origin: RowOrigin,
  table: string,
  reason: string,
  endedMs: number,
  written?: { attemptsMade: number },
) {
  return errorRecords.formatConversionFailed(
    origin.record,
    origin.data,
    table,
    {
      errorCode: FirehoseError.MalformedData.code,
      errorMessage: `${FirehoseError.MalformedData.message} ${reason}`,
      attemptsMade: written?.attemptsMade ?? 1,
      endedMs,
    },
  );
}
