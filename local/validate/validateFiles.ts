import { createReadStream } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { PieceKind } from '../../producer/constants.js';
import type { SplitPiece } from '../../producer/EventScanner.js';
import { splitEvents } from '../../producer/splitEvents.js';
import {
  DirtyKind,
  type DirtyReason,
  decodeEvent,
  dirtyReason,
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
 */
export interface ValidationReport {
  files: number;
  events: number;
  clean: Record<string, number>;
  dirty: DirtyFinding[];
}

function emptyReport(): ValidationReport {
  const clean = Object.fromEntries(TABLES.map((table) => [table.name, 0]));
  return { files: 0, events: 0, clean, dirty: [] };
}

function findingOf(
  piece: SplitPiece,
  file: string,
  now: number,
): DirtyFinding | string {
  if (piece.kind === PieceKind.Unparsable) {
    return {
      event_id: null,
      kind: DirtyKind.Unparsable,
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
  if (E.isRight(decoded)) return decoded.right.table.name;
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
      if (typeof finding === 'string')
        report.clean[finding] = (report.clean[finding] ?? 0) + 1;
      else report.dirty.push(finding);
    }
    report.files++;
    onProgress(report);
  }
  return report;
}
