import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirtyCommand } from '../../../local/commands/dirty.js';
import { runQuery } from '../../../local/commands/query.js';
import { bodyOf, EVENTS } from '../../helpers/dvaultEvents.js';
import { dvault } from '../cliProcess.js';

/**
 * `dvault dirty` and `dvault replay` end to end, through the real command
 * line: a landed file with a clean event and five broken ones goes through
 * `dvault run`; `dirty` lists each broken one with its kind and reasons;
 * a dry-run replay with a fix judges them and writes nothing; a replay
 * delivers the repaired one as a row; a second replay sends nothing.
 */

const FIX = join(import.meta.dirname, 'fixtures/restoreService.ts');
const FILE = 'broken.json';

type Json = Record<string, any>;

function withId(event: Json, id: string): Json {
  return { ...event, id };
}

/** The landed file: events back to back, garbage between two of them. */
function brokenFile(): string {
  const orphan = withId(EVENTS.ste_event(), 'ev-orphan');
  delete bodyOf(orphan).service;
  bodyOf(orphan).prediction_id = null;
  const stranger = withId(EVENTS.ste_event(), 'ev-stranger');
  bodyOf(stranger).service = 'mindReader';
  bodyOf(stranger).prediction_id = null;
  const wrongKind = withId(EVENTS.ste_event(), 'ev-wrong-kind');
  bodyOf(wrongKind).shape_id = 42;
  const huge = withId(EVENTS.ste_event(), 'ev-huge');
  bodyOf(huge).notes = 'n'.repeat(1_100_000);
  return [
    JSON.stringify(withId(EVENTS.ste_event(), 'ev-clean')),
    JSON.stringify(orphan),
    '#!not json!#',
    JSON.stringify(stranger),
    JSON.stringify(wrongKind),
    JSON.stringify(huge),
  ].join('');
}

let lake: string;
let folder: string;

async function cli(args: readonly string[]): Promise<Json> {
  const { stdout } = await dvault([...args, '--lake', lake, '--json']);
  return JSON.parse(stdout);
}

async function rows(sql: string): Promise<Json[]> {
  return JSON.parse(await runQuery(sql, { lake, json: true }));
}

async function lakeFiles(): Promise<string[]> {
  const entries = await readdir(lake, { recursive: true });
  return entries.map(String).sort();
}

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dvault-dirty-lake-'));
  folder = await mkdtemp(join(tmpdir(), 'dvault-dirty-files-'));
  await writeFile(join(folder, FILE), brokenFile());
  await dvault(['run', folder, '--lake', lake, '--json']);
});

afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
});

describe('dvault dirty and dvault replay', () => {
  it('lists each broken event with its kind, table and reasons', async () => {
    const report = await cli(['dirty']);

    expect(report.total).toBe(5);
    expect(report.by_kind).toMatchObject({
      unparsable: 1,
      unroutable: 1,
      unknown_service: 1,
      invalid: 1,
      too_large: 1,
      misrouted: 0,
      processing_failed: 0,
      format_conversion_failed: 0,
    });
    const byId = Object.fromEntries(
      report.records
        .filter((r: Json) => r.kind !== 'unparsable')
        .map((r: Json) => [r.event_id, [r.kind, r.table, r.reasons[0].path]]),
    );
    expect(byId).toEqual({
      'ev-orphan': ['unroutable', '_producer', 'detail.evaluation.service'],
      'ev-stranger': [
        'unknown_service',
        '_producer',
        'detail.evaluation.service',
      ],
      'ev-wrong-kind': ['invalid', 'ste_event', 'detail.evaluation.shape_id'],
      'ev-huge': ['too_large', 'ste_event', ''],
    });
  });

  it('keeps the garbage bytes with their place in the file and the parser message', async () => {
    const report = await cli(['dirty', '--kind', 'unparsable']);

    expect(report.records).toEqual([
      expect.objectContaining({
        kind: 'unparsable',
        raw: '#!not json!#',
        source: expect.objectContaining({ key: FILE, index: 2 }),
        reasons: [
          expect.objectContaining({
            message: expect.stringContaining('Expected a JSON object'),
          }),
        ],
        replayed: false,
      }),
    ]);
  });

  it('explains each record for people, after a kind-by-table summary', async () => {
    const text = await dirtyCommand({ lake, table: 'ste_event' });

    expect(text.split('\n').slice(0, 5)).toEqual([
      'kind       table      records',
      '---------  ---------  -------',
      'invalid    ste_event        1',
      'too_large  ste_event        1',
      '2 records did not become clean rows.',
    ]);
    expect(text).toContain(
      `invalid  ste_event  event ev-wrong-kind\n  read from s3://landing/${FILE} (event index 4,`,
    );
  });

  it('reports the unroutable event as clean after the fix in a dry run, and writes nothing', async () => {
    const before = await lakeFiles();

    const report = await cli(['replay', '--dry-run', '--fix', FIX]);

    const outcomes = Object.fromEntries(
      report.items.map((item: Json) => [
        item.kind_before === 'unparsable' ? 'unparsable' : item.event_id,
        [item.outcome, item.table],
      ]),
    );
    expect(outcomes).toEqual({
      'ev-orphan': ['replayed', 'ste_event'],
      unparsable: ['still_dirty', null],
      'ev-stranger': ['still_dirty', null],
      'ev-wrong-kind': ['still_dirty', 'ste_event'],
      'ev-huge': ['still_dirty', 'ste_event'],
    });
    expect(report).toMatchObject({ dry_run: true, replayed: 1, marker: null });
    expect(await lakeFiles()).toEqual(before);
  });

  it('delivers the fixed event as a row that keeps its provenance', async () => {
    const report = await cli(['replay', '--fix', FIX]);

    expect(report).toMatchObject({
      dry_run: false,
      replayed: 1,
      still_dirty: 4,
      already_replayed: 0,
      delivered: { ste_event: 1 },
    });
    expect(
      await rows(
        `SELECT event_id, service, source_key, source_index FROM ste_event ORDER BY event_id`,
      ),
    ).toEqual([
      {
        event_id: 'ev-clean',
        service: 'ste',
        source_key: FILE,
        source_index: 0,
      },
      {
        event_id: 'ev-orphan',
        service: 'ste',
        source_key: FILE,
        source_index: 1,
      },
    ]);
  });

  it('sends nothing on a second replay, and dirty marks the record replayed', async () => {
    const report = await cli(['replay', '--fix', FIX]);
    const listed = JSON.parse(
      await dirtyCommand({ lake, kind: 'unroutable', json: true }),
    );

    expect(report).toMatchObject({
      replayed: 0,
      already_replayed: 1,
      delivered: {},
    });
    expect(await rows('SELECT count(*) AS n FROM ste_event_all')).toEqual([
      { n: 2 },
    ]);
    expect(listed).toMatchObject({
      total: 1,
      replayed: 1,
      records: [{ event_id: 'ev-orphan', replayed: true }],
    });
  });

  it('refuses to replay conversion failures, saying why, with exit status 2', async () => {
    const failing = dvault([
      'replay',
      '--kind',
      'format_conversion_failed',
      '--lake',
      lake,
    ]);

    await expect(failing).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'listed by dvault dirty but never replayed',
      ),
    });
  });
});
