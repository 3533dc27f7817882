import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The lake's top folders a query reads. */
const QUERIED_FOLDERS = ['clean', 'dirty', 'errors'] as const;

/**
 * Every finished file under the lake's `clean/`, `dirty/` and `errors/`, as
 * absolute paths in sorted order. Writers rename a `.tmp` file into place
 * when it is complete, so those are left out. The views read exactly these
 * files, and a query may open no other.
 *
 * @param lakeDir the lake folder, absolute
 */
export function lakeFiles(lakeDir: string): string[] {
  return QUERIED_FOLDERS.flatMap((folder) =>
    filesUnder(join(lakeDir, folder)),
  ).sort();
}

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp'))
    .map((entry) => join(entry.parentPath, entry.name));
}
