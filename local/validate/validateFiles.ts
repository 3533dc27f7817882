import { createReadStream } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import {
  MAX_RECORD_BYTES,
  PieceKind,
  StretchCause,
} from '../../producer/constants.js';
import type { SplitPiece } from '../../producer/EventScanner.js';
import { partitionKeyOf } from '../../producer/partitionKeyOf.js';
import { splitEvents } from '../../producer/splitEvents.js';
import {
  DirtyKind,
  type DirtyReason,
  decodeEvent,
  dirtyReason,
  encodeStreamRecord,
  eventIdOf,
  type Provenance,
  TABLES,
} from '../../schemas/index.js';

/** One dirty event or unparsable stretch, and where it stood. */
export interface DirtyFinding {
  event_id: string | null;
  kind: DirtyKind;
  table: string | null;
  file: string;
  index: number;
  offset: number;
  reasons: DirtyReason[];
}

/**
 * What validating files found. `events` counts every event read plus every
 * unparsable stretch, so it always equals the clean rows plus the findings.
 * `unknown_fields` counts, per table, the clean events that carry fields
 * the contract does not name (kept in their row's `extra` column).
 */
export interface ValidationReport {
  files: number;
  events: number;
  clean: Record<string, number>;
  unknown_fields: Record<string, number>;
  dirty: DirtyFinding[];
}

function emptyReport(): ValidationReport {
  const zeros = () =>
    Object.fromEntries(TABLES.map((table) => [table.name, 0]));
  return {
    files: 0,
    events: 0,
    clean: zeros(),
    unknown_fields: zeros(),
    dirty: [],
  };
}

/** A clean event as a table's row, or a finding for what stops it. */
interface CleanVerdict {
  table: string;
  unknownFields: boolean;
}

function sourceOf(piece: SplitPiece, file: string): Provenance {
  return {
    bucket: 'local',
    key: file,
    etag: null,
    version_id: null,
    index: piece.index,
    offset: piece.offset,
  };
}

/**
 * The finding the producer would make for an event whose Kinesis record,
 * with its partition key, exceeds what one record may hold.
 */
function tooLarge(
  piece: SplitPiece & { kind: 'event' },
  file: string,
  table: string,
): DirtyFinding | undefined {
  const source = sourceOf(piece, file);
  const bytes =
    Buffer.byteLength(encodeStreamRecord(source, Date.now(), piece.text)) +
    Buffer.byteLength(partitionKeyOf(piece.value, source));
  if (bytes <= MAX_RECORD_BYTES) return undefined;
  return {
    event_id: eventIdOf(piece.value, source),
    kind: DirtyKind.TooLarge,
    table,
    file,
    index: piece.index,
    offset: piece.offset,
    reasons: [
      {
        path: '',
        expected: `a Kinesis record of at most ${MAX_RECORD_BYTES} bytes with its partition key`,
        actual: `${bytes} bytes`,
        message: `The record for this event would be ${bytes} bytes with its partition key; Kinesis takes at most ${MAX_RECORD_BYTES}.`,
      },
    ],
  };
}

function findingOf(
  piece: SplitPiece,
  file: string,
  now: number,
): DirtyFinding | CleanVerdict {
  if (piece.kind === PieceKind.Unparsable) {
    return {
      event_id: null,
      // The producer quarantines an object past its size limit as too large.
      kind:
        piece.cause === StretchCause.Oversized
          ? DirtyKind.TooLarge
          : DirtyKind.Unparsable,
      table: null,
      file,
      index: piece.index,
      offset: piece.offset,
      reasons: [
        {
          ...dirtyReason(`byte ${piece.offset}`, 'a JSON object', piece.raw),
          message: piece.message,
        },
      ],
    };
  }
  const decoded = decodeEvent(piece.value, { now });
  // As in the producer, a routed event too large for Kinesis is too large,
  // whatever its decode would say; only routed events are sent.
  const table = E.isRight(decoded)
    ? decoded.right.table.name
    : decoded.left.table?.name;
  const oversized =
    table === undefined ? undefined : tooLarge(piece, file, table);
  if (oversized !== undefined) return oversized;
  if (E.isRight(decoded)) {
    return {
      table: decoded.right.table.name,
      unknownFields: decoded.right.unknownFields.length > 0,
    };
  }
  const verdict = decoded.left;
  return {
    event_id: verdict.eventId,
    kind: verdict.kind,
    table: verdict.table?.name ?? null,
    file,
    index: piece.index,
    offset: piece.offset,
    reasons: verdict.reasons,
  };
}

/**
 * Reads dvault files (back-to-back JSON, NDJSON or an array) and decodes
 * every event, without sending anything anywhere.
 *
 * @example
 * const report = await validateFiles(['/data/dvault-prod-stream-1-...']);
 * console.log(report.clean.ste_event, report.dirty.length);
 *
 * @param files paths of the files to read
 * @param onProgress called after each file with the report so far
 */
export async function validateFiles(
  files: readonly string[],
  onProgress: (report: ValidationReport) => void = () => undefined,
): Promise<ValidationReport> {
  const report = emptyReport();
  const now = Date.now();
  for (const file of files) {
    for await (const piece of splitEvents(createReadStream(file))) {
      report.events++;
      const finding = findingOf(piece, file, now);
      if ('reasons' in finding) {
        report.dirty.push(finding);
        continue;
      }
      report.clean[finding.table] = (report.clean[finding.table] ?? 0) + 1;
      if (finding.unknownFields) {
        report.unknown_fields[finding.table] =
          (report.unknown_fields[finding.table] ?? 0) + 1;
      }
    }
    report.files++;
    onProgress(report);
  }
  return report;
}
