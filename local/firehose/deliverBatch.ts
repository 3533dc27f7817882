import type { Column } from '../../schemas/ColumnType.js';
import { ErrorOutputType, FirehoseError } from '../constants.js';
import { conformRow } from './conformRow.js';
import type { DeliveryRecord } from './DeliveryRecord.js';
import { errorRecords } from './errorRecords.js';
import { lakeKeys } from './lakeKeys.js';
import type { TransformedRecord } from './transformBatch.js';

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
}

/** What writing one batch needs. */
export interface DeliverBatchOptions {
  table: DeliveryTable;
  deliveryStreamName: string;
  sink: DeliverySink;
  now: () => number;
}

/**
 * Writes one transformed batch as Firehose's S3 destination with record
 * format conversion would: `Ok` rows that fit the columns to one Parquet
 * object under `clean/`, rows that do not to `format-conversion-failed/`,
 * and records that failed transformation to `processing-failed/`, all
 * dated by the batch's oldest arrival.
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
  const failed = ErrorOutputType.ProcessingFailed;
  const unconverted = ErrorOutputType.FormatConversionFailed;
  await Promise.all([
    sorted.rows.length > 0 &&
      sink.putParquet(
        lakeKeys.clean(table.name, arrival, name),
        sorted.rows,
        table.columns,
      ),
    sorted.processingFailed.length > 0 &&
      sink.putLines(
        lakeKeys.error(table.name, failed, arrival, name),
        sorted.processingFailed,
      ),
    sorted.formatConversionFailed.length > 0 &&
      sink.putLines(
        lakeKeys.error(table.name, unconverted, arrival, name),
        sorted.formatConversionFailed,
      ),
  ]);
  return {
    clean: sorted.rows.length,
    dropped: sorted.dropped,
    processingFailed: sorted.processingFailed.length,
    formatConversionFailed: sorted.formatConversionFailed.length,
  };
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
  const rows: Record<string, unknown>[] = [];
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
      const conformed = conformRow(
        outcome.data.toString('utf8'),
        table.columns,
      );
      if (conformed.ok) rows.push(conformed.row);
      else
        formatConversionFailed.push(
          conversionFailure(
            outcome.record,
            outcome.data,
            table.name,
            conformed.reason,
            endedMs,
          ),
        );
    }
  }
  return { rows, processingFailed, formatConversionFailed, dropped };
}

function conversionFailure(
  record: DeliveryRecord,
  data: Uint8Array,
  table: string,
  reason: string,
  endedMs: number,
) {
  return errorRecords.formatConversionFailed(record, data, table, {
    errorCode: FirehoseError.MalformedData.code,
    errorMessage: `${FirehoseError.MalformedData.message} ${reason}`,
    attemptsMade: 1,
    endedMs,
  });
}
