import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirtyCommand } from '../../../local/commands/dirty.js';
import { LAKE_BUCKET } from '../../../local/constants.js';
import { CommandArgumentError } from '../../../local/errors.js';
import { DirectoryObjectStore } from '../../../schemas/index.js';
import { EVENTS } from '../../helpers/dvaultEvents.js';
import {
  dirtyLine,
  sourceAt,
  streamRecordText,
  writeDirty,
  writeProcessingFailed,
} from './lakeObjects.js';

let lake: string;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dvault-dirty-command-'));
  const store = new DirectoryObjectStore({ [LAKE_BUCKET]: lake });
  await writeDirty(store, '_producer', 'a', [
    dirtyLine({
      event_id: 'p-1',
      kind: 'unroutable',
      table: '_producer',
      raw: '{}',
    }),
    dirtyLine({
      event_id: 'p-2',
      kind: 'unroutable',
      table: '_producer',
      raw: '{}',
    }),
  ]);
  await writeProcessingFailed(store, 'ste_event', [
    streamRecordText({ ...EVENTS.ste_event(), id: 'f-1' }, sourceAt(3)),
  ]);
});

afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('dirtyCommand', () => {
  it('prints the counts of every record and the records up to the limit as JSON', async () => {
    const report = JSON.parse(
      await dirtyCommand({ lake, limit: 1, json: true }),
    );

    expect(report).toMatchObject({
      total: 3,
      by_kind: { unroutable: 2, processing_failed: 1 },
      by_table: { _producer: 2, ste_event: 1 },
      replayed: 0,
      unreadable: [],
    });
    expect(report.records.map((r: { event_id: string }) => r.event_id)).toEqual(
      ['p-1'],
    );
  });

  it('lists the Firehose failures of one table', async () => {
    const report = JSON.parse(
      await dirtyCommand({
        lake,
        kind: 'processing_failed',
        table: 'ste_event',
        json: true,
      }),
    );

    expect(report.records).toEqual([
      expect.objectContaining({
        event_id: 'f-1',
        kind: 'processing_failed',
        source: sourceAt(3),
        object_key: expect.stringMatching(
          /^errors\/ste_event\/processing-failed\//,
        ),
      }),
    ]);
  });

  it.each([
    [
      { kind: 'broken' },
      /^Unknown kind "broken"; expected one of unparsable, /,
    ],
    [
      { table: 'ste_events' },
      /^Unknown table "ste_events"; expected one of _producer, /,
    ],
  ])('refuses %j, naming what it takes', async (options, message) => {
    const listing = dirtyCommand({ lake, ...options });

    await expect(listing).rejects.toBeInstanceOf(CommandArgumentError);
    await expect(listing).rejects.toThrow(message);
  });

  it('refuses a lake folder that does not exist', async () => {
    await expect(dirtyCommand({ lake: join(lake, 'nowhere') })).rejects.toThrow(
      /nowhere does not exist; dvault run writes one\.$/,
    );
  });
});
