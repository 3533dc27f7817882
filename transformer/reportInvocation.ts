import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DirtyRecord } from '../schemas/index.js';
import {
  FailureCause,
  MetricDimension,
  MetricName,
  type RecordResult,
} from './constants.js';
import type { QuarantineOutcome } from './quarantineDirtyRecords.js';

/** A dirty record and how it was answered. */
export interface AnsweredDirtyRecord {
  recordId: string;
  dirty: DirtyRecord;
  result: RecordResult;
}

/** A record whose judging threw; answered `ProcessingFailed`. */
export interface JudgeFault {
  clean: false;
  fault: true;
  recordId: string;
  error: unknown;
}

/** Everything one invocation reports, gathered by the handler. */
export interface InvocationReport {
  invocationId: string;
  /** The table of the delivery stream: every metric's `table` dimension. */
  table: string;
  /** Records answered `Ok`. */
  cleanCount: number;
  /** Clean events that carried fields no schema names. */
  unknownFieldCount: number;
  /** Records answered `ProcessingFailed`, for any cause. */
  failedCount: number;
  dirty: readonly AnsweredDirtyRecord[];
  failedWrites: readonly QuarantineOutcome[];
  /** Records whose judging threw. */
  faults: readonly JudgeFault[];
  /** Records answered `ProcessingFailed` to keep the response under 6 MB. */
  overflowed: readonly string[];
}

/** Where an invocation reports; either may be absent (local runs). */
export interface Telemetry {
  logger?: Logger;
  metrics?: Metrics;
}

/**
 * Logs one JSON line per dirty record (and one per failed quarantine
 * write or size cut) and publishes the invocation's metrics.
 */
export function reportInvocation(
  telemetry: Telemetry,
  report: InvocationReport,
): void {
  if (telemetry.logger !== undefined) logReport(telemetry.logger, report);
  if (telemetry.metrics !== undefined)
    publishMetrics(telemetry.metrics, report);
}

function logReport(logger: Logger, report: InvocationReport): void {
  for (const entry of report.dirty) logDirty(logger, report, entry);
  for (const outcome of report.failedWrites) {
    logger.error('A quarantine write failed; Firehose keeps its records.', {
      invocation_id: report.invocationId,
      table: outcome.table,
      key: outcome.key,
      record_ids: outcome.entries.map((entry) => entry.recordId),
      cause: FailureCause.QuarantineWrite,
      error: outcome.error,
    });
  }
  for (const fault of report.faults) {
    logger.error('Judging a record failed; Firehose keeps it.', {
      invocation_id: report.invocationId,
      table: report.table,
      record_id: fault.recordId,
      cause: FailureCause.JudgeFailed,
      error: fault.error,
    });
  }
  if (report.overflowed.length > 0) {
    logger.warn(
      'Clean records did not fit the response; Firehose keeps them.',
      {
        invocation_id: report.invocationId,
        table: report.table,
        record_ids: report.overflowed,
        cause: FailureCause.ResponseLimit,
      },
    );
  }
}

function logDirty(
  logger: Logger,
  report: InvocationReport,
  { recordId, dirty, result }: AnsweredDirtyRecord,
): void {
  logger.warn('Found a dirty record.', {
    invocation_id: report.invocationId,
    record_id: recordId,
    event_id: dirty.event_id,
    table: dirty.table,
    kind: dirty.kind,
    reasons: dirty.reasons,
    result,
  });
}

// Everything here runs without awaiting, so invocations that share one
// Metrics object (the local runner serves several streams) never mix
// their dimensions between `addDimension` and the publish.
function publishMetrics(metrics: Metrics, report: InvocationReport): void {
  metrics.addDimension(MetricDimension.Table, report.table);
  metrics.addMetric(
    MetricName.CleanRecords,
    MetricUnit.Count,
    report.cleanCount,
  );
  metrics.addMetric(
    MetricName.DirtyRecords,
    MetricUnit.Count,
    report.dirty.length,
  );
  metrics.addMetric(
    MetricName.UnknownFieldEvents,
    MetricUnit.Count,
    report.unknownFieldCount,
  );
  metrics.addMetric(
    MetricName.FailedRecords,
    MetricUnit.Count,
    report.failedCount,
  );
  metrics.publishStoredMetrics();
  for (const [kind, count] of countByKind(report.dirty)) {
    metrics.addDimension(MetricDimension.Table, report.table);
    metrics.addDimension(MetricDimension.Kind, kind);
    metrics.addMetric(MetricName.DirtyRecords, MetricUnit.Count, count);
    metrics.publishStoredMetrics();
  }
}

function countByKind(
  dirty: readonly AnsweredDirtyRecord[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { dirty: record } of dirty) {
    counts.set(record.kind, (counts.get(record.kind) ?? 0) + 1);
  }
  return counts;
}
