import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository's root folder. */
export const REPO_ROOT = join(import.meta.dirname, '../..');

/**
 * Runs the real `dvault` command in a child process, as a user would, and
 * returns what it printed. Rejects when it exits with a non-zero status.
 */
export async function dvault(
  args: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [join(REPO_ROOT, 'bin/dvault.js'), ...args], {
    cwd: REPO_ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
}
