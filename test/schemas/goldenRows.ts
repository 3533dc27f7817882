import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodeOptions } from '../../schemas/index.js';

/** The folder of golden inputs (`<case>.event.json`) and rows (`<case>.row.json`). */
export const GOLDEN_DIR = join(import.meta.dirname, '../fixtures/schemas');

/** Decode options every golden row was made with. */
export const GOLDEN_OPTIONS: DecodeOptions = {
  now: Date.UTC(2026, 0, 1),
  source: {
    bucket: 'landing',
    key: 'dvault/2022/04/27/dvault-prod-stream-1',
    etag: '9b2cf535f27731c974343645a3985328',
    version_id: null,
    index: 4,
    offset: 10240,
  },
  ingestedAt: Date.UTC(2026, 0, 1, 12),
};

/** Every golden case's name, sorted. */
export function goldenCases(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((file) => file.endsWith('.event.json'))
    .map((file) => file.slice(0, -'.event.json'.length))
    .sort();
}

/** Reads one of a case's files, parsed. */
export function readGolden(name: string, part: 'event' | 'row'): unknown {
  return JSON.parse(
    readFileSync(join(GOLDEN_DIR, `${name}.${part}.json`), 'utf8'),
  );
}
