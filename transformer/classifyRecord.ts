import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import * as E from 'fp-ts/lib/Either.js';
import {
  type CleanEvent,
  DirtyKind,
  type DirtyReason,
  type DirtyRecord,
  type DirtyVerdict,
  decodeEvent,
  eventIdOf,
  type KinesisMetadata,
  type TableSpec,
} from '../schemas/index.js';
import { kinesisMetadataOf } from './kinesisMetadataOf.js';
import { originalEventText } from './originalEventText.js';
import { type ParsedRecord, parseRecordData } from './parseRecordData.js';

/** A record that becomes a row: its base64 JSON line for Firehose. */
export interface CleanOutcome {
  clean: true;
  data: string;
  hasUnknownFields: boolean;
}

/** A record that is quarantined, with everything its dirty line keeps. */
export interface DirtyOutcome {
  clean: false;
  dirty: DirtyRecord;
}

/** What one Firehose record turned out to be. */
export type RecordOutcome = CleanOutcome | DirtyOutcome;

/** What every record of one invocation shares. */
export interface InvocationScope {
  /** The table the delivery stream serves. */
  table: TableSpec;
  /** The processing time, epoch milliseconds. */
  processedAt: number;
  /** The source Kinesis stream's ARN, when Firehose gave it. */
  streamArn?: string;
}

/**
 * Reads one Firehose record and judges its event against the delivery
 * stream's table: a clean row as a JSON line (exactly the table's
 * columns, timestamps in epoch milliseconds; the trailing newline is not
 * needed by record format conversion but keeps raw output readable), or
 * a dirty record with every reason. An event of another table is dirty
 * (`misrouted`): converting it against this table's schema would fill the
 * wrong columns.
 */
export function classifyRecord(
  record: FirehoseTransformationEventRecord,
  scope: InvocationScope,
): RecordOutcome {
  const parsed = parseRecordData(record.data);
  if (E.isLeft(parsed)) {
    const { reason, raw } = parsed.left;
    return unparsable(record, scope, reason, raw);
  }
  const decoded = decodeEvent(parsed.right.event, {
    now: scope.processedAt,
    source: parsed.right.source,
    ingestedAt: parsed.right.ingestedAt,
  });
  if (E.isLeft(decoded)) {
    return fromVerdict(record, scope, parsed.right, decoded.left);
  }
  if (decoded.right.table.name !== scope.table.name) {
    return misrouted(record, scope, parsed.right, decoded.right.table);
  }
  return clean(decoded.right);
}

function clean(event: CleanEvent): CleanOutcome {
  const line = `${JSON.stringify(event.row)}\n`;
  return {
    clean: true,
    data: Buffer.from(line).toString('base64'),
    hasUnknownFields: event.unknownFields.length > 0,
  };
}

function fromVerdict(
  record: FirehoseTransformationEventRecord,
  scope: InvocationScope,
  parsed: ParsedRecord,
  verdict: DirtyVerdict,
): DirtyOutcome {
  return dirtyOutcome(record, scope, parsed, {
    event_id: verdict.eventId ?? eventIdOf(parsed.event, parsed.source),
    kind: verdict.kind,
    table: verdict.table?.name ?? scope.table.name,
    reasons: verdict.reasons,
  });
}

function misrouted(
  record: FirehoseTransformationEventRecord,
  scope: InvocationScope,
  parsed: ParsedRecord,
  eventTable: TableSpec,
): DirtyOutcome {
  const reason: DirtyReason = {
    path: '',
    expected: `an event of table ${scope.table.name}`,
    actual: `an event of table ${eventTable.name}`,
    message: `The event belongs to table ${eventTable.name} but arrived on the delivery stream of table ${scope.table.name}.`,
  };
  return dirtyOutcome(record, scope, parsed, {
    event_id: eventIdOf(parsed.event, parsed.source),
    kind: DirtyKind.Misrouted,
    table: eventTable.name,
    reasons: [reason],
  });
}

function unparsable(
  record: FirehoseTransformationEventRecord,
  scope: InvocationScope,
  reason: DirtyReason,
  raw: string,
): DirtyOutcome {
  return {
    clean: false,
    dirty: {
      event_id: null,
      kind: DirtyKind.Unparsable,
      table: scope.table.name,
      reasons: [reason],
      raw,
      source: null,
      ingested_at: null,
      kinesis: kinesisOf(record, scope),
      processed_at: scope.processedAt,
    },
  };
}

type Judgement = Pick<DirtyRecord, 'event_id' | 'kind' | 'table' | 'reasons'>;

function dirtyOutcome(
  record: FirehoseTransformationEventRecord,
  scope: InvocationScope,
  parsed: ParsedRecord,
  judgement: Judgement,
): DirtyOutcome {
  return {
    clean: false,
    dirty: {
      ...judgement,
      raw: originalEventText(parsed),
      source: parsed.source,
      ingested_at: parsed.ingestedAt,
      kinesis: kinesisOf(record, scope),
      processed_at: scope.processedAt,
    },
  };
}

function kinesisOf(
  record: FirehoseTransformationEventRecord,
  scope: InvocationScope,
): KinesisMetadata | null {
  return kinesisMetadataOf(record, scope.streamArn);
}
