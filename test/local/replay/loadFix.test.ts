import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FixModuleError,
  FixResultError,
} from '../../../local/replay/errors.js';
import { loadFix } from '../../../local/replay/loadFix.js';
import type { DirtyRecord } from '../../../schemas/index.js';
import { bodyOf, EVENTS } from '../../helpers/dvaultEvents.js';
import { dirtyLine } from '../dirty/lakeObjects.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** An ste evaluation without service or prediction id. */
function orphan(): Record<string, any> {
  const event = EVENTS.ste_event();
  delete bodyOf(event).service;
  bodyOf(event).prediction_id = null;
  return event;
}

const RECORD: DirtyRecord = dirtyLine({
  event_id: 'ev-1',
  kind: 'unroutable',
  table: '_producer',
  raw: '{}',
});

describe('loadFix', () => {
  it('loads a TypeScript module and applies its default export', async () => {
    const fix = await loadFix(join(FIXTURES, 'restoreService.ts'));

    const fixed = fix(orphan(), RECORD) as Record<string, any>;

    expect(bodyOf(fixed).service).toBe('ste');
    expect(bodyOf(fixed).prediction_id).toBeNull();
  });

  it('keeps the event itself when the fix returns undefined', async () => {
    const fix = await loadFix(join(FIXTURES, 'restoreService.ts'));
    const event = EVENTS.summarizer_event();

    expect(fix(event, RECORD)).toBe(event);
  });

  it('refuses a module whose default export is not a function', async () => {
    const path = join(FIXTURES, 'noDefault.ts');

    const loading = loadFix(path);

    await expect(loading).rejects.toBeInstanceOf(FixModuleError);
    await expect(loading).rejects.toThrow(
      `The fix module ${path} must export a function as its default export`,
    );
  });

  it('refuses a module that cannot be loaded, naming it', async () => {
    const path = join(FIXTURES, 'missing.ts');

    await expect(loadFix(path)).rejects.toThrow(
      new RegExp(`^Cannot load the fix module ${path}: `),
    );
  });

  it('throws for a record when the fix answers with a promise', async () => {
    const fix = await loadFix(join(FIXTURES, 'asyncFix.ts'));

    expect(() => fix(orphan(), RECORD)).toThrow(FixResultError);
    expect(() => fix(orphan(), RECORD)).toThrow(
      'returned a promise for event ev-1',
    );
  });
});
