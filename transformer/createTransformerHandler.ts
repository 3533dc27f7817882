import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type {
  Context,
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
} from 'aws-lambda';
import {
  DEFAULT_RESOURCE_PREFIX,
  type ObjectStore,
  type TableSpec,
  tableFromResourceName,
  tableNamed,
} from '../schemas/index.js';
import {
  type CleanOutcome,
  classifyRecord,
  type InvocationScope,
} from './classifyRecord.js';
import { RecordResult } from './constants.js';
import {
  InvalidTransformationEventError,
  UnknownDeliveryStreamError,
} from './errors.js';
import { type Answer, fitResponse } from './fitResponse.js';
import {
  type QuarantineEntry,
  type QuarantineOutcome,
  quarantineDirtyRecords,
} from './quarantineDirtyRecords.js';
import {
  type AnsweredDirtyRecord,
  type JudgeFault,
  reportInvocation,
} from './reportInvocation.js';

/** What the transformer needs from its surroundings. */
export interface TransformerDeps {
  /** Where quarantine objects are written. */
  store: ObjectStore;
  /** The lake bucket: quarantine objects go under `dirty/` in it. */
  lakeBucket: string;
  /** The prefix of delivery stream names before the table; `dvault-`. */
  streamPrefix?: string;
  logger?: Logger;
  metrics?: Metrics;
  /** The clock, epoch milliseconds; the processing time of a batch. */
  now?: () => number;
}

/** A Firehose transformation handler. */
export type TransformerHandler = (
  event: FirehoseTransformationEvent,
  context?: Context,
) => Promise<FirehoseTransformationResult>;

/**
 * Builds the Firehose transformation handler that every delivery stream
 * shares; the table comes from the delivery stream's name.
 *
 * Each record is decoded against that table: clean ones are answered `Ok`
 * with their row, dirty ones are written to `dirty/<table>/...` and
 * answered `Dropped` once that write succeeded, `ProcessingFailed` if it
 * failed (Firehose then keeps them under `errors/`). Every record id comes
 * back once, in order, with data, within 6 MB. The handler throws only
 * when no record can be answered: an unknown delivery stream, an event
 * that is no transformation event, or a batch too large to answer.
 *
 * @example
 * const handler = createTransformerHandler({
 *   store: new DirectoryObjectStore({ lake: '.dvault/lake' }),
 *   lakeBucket: 'lake',
 * });
 * const { records } = await handler(event);
 */
export function createTransformerHandler(
  deps: TransformerDeps,
): TransformerHandler {
  const prefix = deps.streamPrefix ?? DEFAULT_RESOURCE_PREFIX;
  const now = deps.now ?? Date.now;
  return async (event, context) => {
    const scope = invocationScope(event, prefix, now());
    if (context !== undefined) deps.logger?.addContext(context);

    const judged = event.records.map((record) => judge(record, scope));
    const dirty = judged.filter(isDirtyEntry);
    const writes = await quarantineDirtyRecords(
      deps.store,
      deps.lakeBucket,
      dirty,
      scope.processedAt,
    );
    const unsaved = unsavedEntries(writes);
    const answers = judged.map((item) => answerFor(item, unsaved));
    const fitted = fitResponse(event.records, answers);

    reportInvocation(deps, {
      invocationId: event.invocationId,
      table: scope.table.name,
      ...resultCounts(fitted.response),
      unknownFieldCount: judged.filter((i) => i.clean && i.hasUnknownFields)
        .length,
      dirty: dirty.map((entry) => answeredDirty(entry, unsaved)),
      failedWrites: writes.filter((write) => write.error !== undefined),
      faults: judged.filter(isFault),
      overflowed: fitted.overflowed,
    });
    return fitted.response;
  };
}

function invocationScope(
  event: FirehoseTransformationEvent,
  prefix: string,
  processedAt: number,
): InvocationScope {
  assertTransformationEvent(event);
  return {
    table: tableOfDeliveryStream(event.deliveryStreamArn, prefix),
    processedAt,
    streamArn: event.sourceKinesisStreamArn,
  };
}

function assertTransformationEvent(event: FirehoseTransformationEvent): void {
  const records: unknown = event?.records;
  if (!Array.isArray(records) || !records.every(isEventRecord)) {
    throw new InvalidTransformationEventError(
      `Invocation ${String(event?.invocationId)} is not a Firehose transformation event: it needs records, each with a string recordId and data.`,
    );
  }
}

function isEventRecord(record: unknown): boolean {
  const candidate = record as Partial<FirehoseTransformationEventRecord>;
  return (
    typeof candidate?.recordId === 'string' &&
    typeof candidate.data === 'string'
  );
}

function tableOfDeliveryStream(arn: string, prefix: string): TableSpec {
  const name = tableFromResourceName(String(arn), prefix);
  const table = name === undefined ? undefined : tableNamed(name);
  if (table === undefined) {
    throw new UnknownDeliveryStreamError(
      `Delivery stream ${arn} serves no known table: its name should be ${prefix}<table>.`,
    );
  }
  return table;
}

/** A dirty record, ready for quarantine. */
interface DirtyEntry extends QuarantineEntry {
  clean: false;
}

type Judged = CleanOutcome | DirtyEntry | JudgeFault;

/**
 * Judging one record threw. `classifyRecord` turns every input it
 * foresees into a verdict, so this is a fault of ours; the record is
 * answered `ProcessingFailed` and Firehose keeps it under `errors/`,
 * while the rest of the batch is answered as usual.
 */
function judge(
  record: FirehoseTransformationEventRecord,
  scope: InvocationScope,
): Judged {
  let outcome: ReturnType<typeof classifyRecord>;
  try {
    outcome = classifyRecord(record, scope);
  } catch (error) {
    return { clean: false, fault: true, recordId: record.recordId, error };
  }
  if (outcome.clean) return outcome;
  return {
    clean: false,
    recordId: record.recordId,
    data: record.data,
    approximateArrivalTimestamp: record.approximateArrivalTimestamp,
    dirty: outcome.dirty,
  };
}

function isFault(item: Judged): item is JudgeFault {
  return 'fault' in item;
}

function isDirtyEntry(item: Judged): item is DirtyEntry {
  return !item.clean && !isFault(item);
}

function unsavedEntries(
  writes: readonly QuarantineOutcome[],
): ReadonlySet<QuarantineEntry> {
  return new Set(
    writes.flatMap((write) => (write.error === undefined ? [] : write.entries)),
  );
}

// A dirty record's answer echoes its input data (see fitResponse):
// Firehose wants data in every answer, and for `ProcessingFailed` it is
// what lands under `errors/`.
function answerFor(
  item: Judged,
  unsaved: ReadonlySet<QuarantineEntry>,
): Answer {
  if (item.clean) return { result: RecordResult.Ok, data: item.data };
  if (isFault(item)) return { result: RecordResult.ProcessingFailed };
  return { result: dirtyResult(item, unsaved) };
}

function dirtyResult(
  entry: QuarantineEntry,
  unsaved: ReadonlySet<QuarantineEntry>,
): typeof RecordResult.Dropped | typeof RecordResult.ProcessingFailed {
  return unsaved.has(entry)
    ? RecordResult.ProcessingFailed
    : RecordResult.Dropped;
}

function answeredDirty(
  entry: DirtyEntry,
  unsaved: ReadonlySet<QuarantineEntry>,
): AnsweredDirtyRecord {
  return {
    recordId: entry.recordId,
    dirty: entry.dirty,
    result: dirtyResult(entry, unsaved),
  };
}

function resultCounts(response: FirehoseTransformationResult) {
  let cleanCount = 0;
  let failedCount = 0;
  for (const { result } of response.records) {
    if (result === RecordResult.Ok) cleanCount++;
    if (result === RecordResult.ProcessingFailed) failedCount++;
  }
  return { cleanCount, failedCount };
}
