import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { DirtyRecord } from '../../schemas/index.js';
import { FixModuleError, FixResultError } from './errors.js';

/**
 * A correction for quarantined events: given the parsed event and its
 * dirty record, it returns the corrected event, or undefined to leave the
 * event as it is. It runs once per record and must be synchronous.
 */
export type ReplayFix = (event: unknown, record: DirtyRecord) => unknown;

/**
 * Loads a `--fix` module: a JavaScript or TypeScript file whose default
 * export is a `ReplayFix`. It is imported through tsx's own loader, so a
 * `.ts` file works wherever it lies, in an ES module package or not. The fix it returns
 * keeps the event when the module's function returns undefined, and
 * refuses a promise, which would otherwise be validated as the event.
 *
 * @example
 * // fixes/restoreService.ts
 * export default (event: any) => { event.detail.evaluation.service = 'ste'; return event; };
 * const fix = await loadFix('fixes/restoreService.ts');
 *
 * @param path the module's path, relative to the working folder
 */
export async function loadFix(path: string): Promise<ReplayFix> {
  const fix = defaultExport(await importModule(path));
  if (typeof fix !== 'function') {
    throw new FixModuleError(
      `The fix module ${path} must export a function as its default export, (event, record) => the corrected event or undefined; its default export is ${typeof fix}.`,
    );
  }
  return (event, record) => {
    const fixed: unknown = fix(event, record);
    if (fixed instanceof Promise) {
      throw new FixResultError(
        `The fix in ${path} returned a promise for event ${record.event_id}; it must return the corrected event itself.`,
      );
    }
    return fixed === undefined ? event : fixed;
  };
}

/**
 * The module's default export. A `.ts` file outside an ES module package
 * loads as CommonJS, whose exports object then holds the default.
 */
function defaultExport(module: { default?: unknown }): unknown {
  const value = module.default;
  if (typeof value === 'object' && value !== null && 'default' in value) {
    return value.default;
  }
  return value;
}

async function importModule(path: string): Promise<{ default?: unknown }> {
  try {
    return await tsImport(pathToFileURL(resolve(path)).href, import.meta.url);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new FixModuleError(`Cannot load the fix module ${path}: ${message}`, {
      cause,
    });
  }
}
