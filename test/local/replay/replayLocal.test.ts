import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAKE_BUCKET } from '../../../local/constants.js';
import { queryLake } from '../../../local/lake/queryLake.js';
import { loadFix } from '../../../local/replay/loadFix.js';
import { replayLocal } from '../../../local/replay/replayLocal.js';
import { DirectoryObjectStore } from '../../../schemas/index.js';
import { bodyOf, EVENTS } from '../../helpers/dvaultEvents.js';
import {
  dirtyLine,
  sourceAt,
  streamRecordText,
  writeDirty,
  writeProcessingFailed,
} from '../dirty/lakeObjects.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

let lake: string;
let store: DirectoryObjectStore;

/** An ste evaluation that lost its service and prediction id. */
function orphanText(): string {
  const event = { ...EVENTS.ste_event(), id: 'ev-orphan' };
  delete bodyOf(event).service;
  bodyOf(event).prediction_id = null;
  return JSON.stringify(event);
}

/**
 * A lake with an unroutable event the fix repairs, a clean event Firehose
 * kept under processing-failed, and a processing-failed record whose data
 * is not a Kinesis record.
 */
async function writeLake() {
  await writeDirty(store, '_producer', 'a', [
    {
      ...dirtyLine({
        event_id: 'ev-orphan',
        kind: 'unroutable',
        table: '_producer',
        raw: orphanText(),
        path: 'detail.evaluation.service',
        index: 1,
      }),
    },
  ]);
  await writeProcessingFailed(store, 'ste_event', [
    streamRecordText({ ...EVENTS.ste_event(), id: 'ev-crashed' }, sourceAt(5)),
    'not a record',
  ]);
}

async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function outcomes(report: Awaited<ReturnType<typeof replayLocal>>) {
  return report.items.map((item) => [
    item.event_id,
    item.kind_before,
    item.outcome,
    item.table,
  ]);
}

beforeEach(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dvault-replay-'));
  store = new DirectoryObjectStore({ [LAKE_BUCKET]: lake });
});

afterEach(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('replayLocal', () => {
  it('judges every record before and after the fix in a dry run and writes nothing', async () => {
    await writeLake();
    const before = await filesOf(lake);

    const report = await replayLocal({
      lake,
      dryRun: true,
      fix: await loadFix(join(FIXTURES, 'restoreService.ts')),
    });

    expect(outcomes(report)).toEqual([
      ['ev-orphan', 'unroutable', 'replayed', 'ste_event'],
      ['ev-crashed', 'processing_failed', 'replayed', 'ste_event'],
      [null, 'processing_failed', 'still_dirty', null],
    ]);
    expect(report).toMatchObject({
      dry_run: true,
      replayed: 2,
      still_dirty: 1,
      records: { ste_event: 2 },
      delivered: null,
      marker: null,
    });
    expect(await filesOf(lake)).toEqual(before);
  });

  it('keeps an unroutable event dirty, with its reason, when no fix is given', async () => {
    await writeLake();

    const report = await replayLocal({ lake, dryRun: true });

    expect(report.items[0]).toMatchObject({
      event_id: 'ev-orphan',
      outcome: 'still_dirty',
      reasons: [expect.objectContaining({ path: 'detail.evaluation.service' })],
    });
  });

  it('delivers replayed events as rows with their original provenance, once', async () => {
    await writeLake();
    const fix = await loadFix(join(FIXTURES, 'restoreService.ts'));

    const first = await replayLocal({ lake, fix });
    const second = await replayLocal({ lake, fix });

    expect(first).toMatchObject({
      dry_run: false,
      replayed: 2,
      still_dirty: 1,
      delivered: { ste_event: 2 },
      dirty_again: {},
      marker: expect.stringMatching(
        /^replayed\/dt=\d{4}-\d\d-\d\d\/\w+\.json$/,
      ),
    });
    expect(second).toMatchObject({
      replayed: 0,
      already_replayed: 2,
      still_dirty: 1,
      delivered: {},
      marker: null,
    });
    const { rows } = await queryLake(
      lake,
      'SELECT event_id, source_key, source_index FROM ste_event_all ORDER BY event_id',
    );
    expect(rows).toEqual([
      { event_id: 'ev-crashed', source_key: 'in/broken.json', source_index: 5 },
      { event_id: 'ev-orphan', source_key: 'in/broken.json', source_index: 1 },
    ]);
  });

  it('replays only the kinds the filter names', async () => {
    await writeLake();

    const report = await replayLocal({
      lake,
      dryRun: true,
      filter: { kinds: ['unroutable'] },
    });

    expect(outcomes(report)).toEqual([
      ['ev-orphan', 'unroutable', 'still_dirty', null],
    ]);
  });

  it('keeps each record dirty, saying why, when the fix answers with a promise', async () => {
    await writeLake();

    const report = await replayLocal({
      lake,
      dryRun: true,
      fix: await loadFix(join(FIXTURES, 'asyncFix.ts')),
      filter: { kinds: ['unroutable'] },
    });

    expect(report.items[0]?.reasons[0]?.message).toContain(
      'returned a promise for event ev-orphan',
    );
  });

  it('refuses a lake folder that does not exist', async () => {
    await expect(
      replayLocal({ lake: join(lake, 'missing'), dryRun: true }),
    ).rejects.toThrow(/missing does not exist; dvault run writes one/);
  });
});
