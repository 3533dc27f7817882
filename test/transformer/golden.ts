import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the transformer's golden files live. */
export const FIXTURES_DIR = resolve(
  import.meta.dirname,
  '../fixtures/transformer',
);

/**
 * True when golden files should be rewritten from the current output
 * (`DVAULT_UPDATE_GOLDEN=1 npx vitest run test/transformer`); review the
 * diff before committing it.
 */
export const UPDATING_GOLDEN = process.env.DVAULT_UPDATE_GOLDEN === '1';

/** Reads a golden file under `test/fixtures/transformer/`. */
export function readGolden<T>(path: string): T {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, path), 'utf8')) as T;
}

/** Rewrites a golden file, keeping its other fields. */
export function writeGolden(path: string, value: unknown): void {
  writeFileSync(
    join(FIXTURES_DIR, path),
    `${JSON.stringify(value, null, 2)}\n`,
  );
}
