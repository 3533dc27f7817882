import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../../local/commands/query.js';
import { TABLES } from '../../../schemas/index.js';
import {
  SAMPLE_COUNTS,
  SAMPLE_UNROUTABLE,
  SHARED_SAMPLES_DIR,
  sampleEvents,
} from '../../helpers/samples.js';
import { dvault } from '../../local/cliProcess.js';

/**
 * The main job end to end, through the real command line: the shared
 * samples plus one crafted file go through kinesalite, the producer and
 * transformer handlers and the local Firehose into a Parquet lake, then
 * back out through `dvault query`.
 */

// The samples hold no integer media_id; this search event carries one (the
// contract: an integer in SEARCH_IMAGE, text in the table).
const CRAFTED_ID = '0c7d4d52-63a2-4c5e-9b4a-5f3f3e0a1d01';
const CRAFTED_BODY_ID = '8a4f2b1c-77de-4d0e-a1a9-2e5c6b7d8e9f';
// A name with spaces: S3 would notify it as `integer+media+id.json`.
const CRAFTED_NAME = 'integer media id.json';

let lake: string;
let folder: string;
let firstRun: Record<string, unknown>;

function craftedSearchEvent(): unknown {
  const search = sampleEvents().find(
    (event) =>
      (event as { detail: { evaluation?: { type?: string } } }).detail
        .evaluation?.type === 'SEARCH_IMAGE',
  ) as { id: string; detail: Record<string, Record<string, unknown>> };
  const body = search.detail.evaluation as Record<string, unknown>;
  return {
    ...search,
    id: CRAFTED_ID,
    detail: {
      ...search.detail,
      id: CRAFTED_BODY_ID,
      evaluation: {
        ...body,
        id: CRAFTED_BODY_ID,
        payload: {
          ...(body.payload as object),
          media_id: 563412789,
          crop_hint: 'center',
        },
      },
    },
  };
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const { stdout } = await dvault(['query', sql, '--lake', lake, '--json']);
  return JSON.parse(stdout);
}

/**
 * Per view (every table and `dirty`), its row count and a hash of every
 * row's JSON text, so a second run that changed which copy a view keeps,
 * or any value, shows. A file landed again rewrites its producer's dirty
 * objects under the same keys (so they do not double), which renews the
 * times they carry; those two columns are left out for `dirty`.
 */
async function viewContents(): Promise<Record<string, unknown>[]> {
  const views = [
    ...TABLES.map((t) => [t.name, '*']),
    ['dirty', '* EXCLUDE (ingested_at, processed_at)'],
  ];
  return query(
    views
      .map(
        ([view, columns]) =>
          `SELECT '${view}' AS v, count(*) AS n, md5(string_agg(j, '' ORDER BY j)) AS h FROM (SELECT CAST(to_json(x) AS VARCHAR) AS j FROM (SELECT ${columns} FROM "${view}") x)`,
      )
      .join(' UNION ALL ')
      .concat(' ORDER BY v'),
  );
}

async function countsPerTable(): Promise<Record<string, number>> {
  const output = await runQuery(
    TABLES.map(
      (t) => `SELECT '${t.name}' AS t, count(*) AS n FROM ${t.name}`,
    ).join(' UNION ALL '),
    { lake, json: true },
  );
  const rows = JSON.parse(output) as { t: string; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.t, row.n]));
}

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dvault-run-lake-'));
  folder = await mkdtemp(join(tmpdir(), 'dvault-run-files-'));
  await writeFile(
    join(folder, CRAFTED_NAME),
    JSON.stringify(craftedSearchEvent()),
  );
  const { stdout } = await dvault([
    'run',
    SHARED_SAMPLES_DIR,
    join(folder, CRAFTED_NAME),
    '--lake',
    lake,
    '--json',
  ]);
  firstRun = JSON.parse(stdout);
});

afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
});

describe('dvault run and dvault query', () => {
  it('reports every file, event, clean row per table and the unroutable ones', () => {
    expect(firstRun).toEqual({
      files: 14,
      events: 783,
      clean: { ...SAMPLE_COUNTS, ste_event: SAMPLE_COUNTS.ste_event + 1 },
      unknown_fields: {
        ...Object.fromEntries(Object.keys(SAMPLE_COUNTS).map((t) => [t, 0])),
        ste_event: 1,
      },
      dirty: expect.objectContaining({
        unroutable: SAMPLE_UNROUTABLE,
        invalid: 0,
        processing_failed: 0,
        format_conversion_failed: 0,
      }),
      // The samples folder keeps a README beside the files; it is no event.
      skipped: [resolve(SHARED_SAMPLES_DIR, 'README.md')],
      seconds: expect.any(Number),
    });
  });

  it('makes each table queryable with the sample counts', async () => {
    expect(await countsPerTable()).toEqual({
      ...SAMPLE_COUNTS,
      ste_event: SAMPLE_COUNTS.ste_event + 1,
    });
  });

  it('keeps the two unroutable events in the dirty view with their reason and text', async () => {
    const rows = await query(
      `SELECT kind, "table", raw, reasons[1].path AS path FROM dirty ORDER BY event_id`,
    );

    expect(rows).toHaveLength(SAMPLE_UNROUTABLE);
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'unroutable',
        table: '_producer',
        path: expect.any(String),
      }),
      expect.objectContaining({
        kind: 'unroutable',
        table: '_producer',
        path: expect.any(String),
      }),
    ]);
    expect(JSON.parse(rows[0]?.raw as string)).toHaveProperty('detail-type');
  });

  it('reads an integer media_id back as text, from the decoded S3 key', async () => {
    const rows = await query(
      `SELECT media_id, typeof(media_id) AS type, source_key FROM ste_event WHERE event_id = '${CRAFTED_ID}'`,
    );

    expect(rows).toEqual([
      { media_id: '563412789', type: 'VARCHAR', source_key: CRAFTED_NAME },
    ]);
  });

  it('keeps a payload field the contract does not name in extra, as JSON text', async () => {
    const rows = await query(
      `SELECT extra FROM ste_event WHERE event_id = '${CRAFTED_ID}'`,
    );

    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.extra as string)).toEqual({
      'detail.evaluation.payload.crop_hint': 'center',
    });
  });

  it('reads timestamps as timestamps and scores as doubles', async () => {
    const search = craftedSearchEvent() as { time: string };
    const [event] = await query(
      `SELECT event_time, typeof(event_time) AS time_type, typeof(ingested_at) AS ingested_type FROM ste_event WHERE event_id = '${CRAFTED_ID}'`,
    );
    const [scores] = await query(
      'SELECT typeof(output_scores) AS type, list_min(output_scores) < 0 AS has_negative FROM ste_pred WHERE len(output_scores) > 0 ORDER BY list_min(output_scores) LIMIT 1',
    );

    expect(event).toEqual({
      event_time: new Date(search.time).toISOString(),
      time_type: 'TIMESTAMP',
      ingested_type: 'TIMESTAMP',
    });
    expect(scores).toEqual({ type: 'DOUBLE[]', has_negative: true });
  });

  it('keeps nested arrays of structs intact: summarizer input sentences with scores', async () => {
    const prediction = sampleEvents().find(
      (event) =>
        (event as { detail: { prediction?: { service?: string } } }).detail
          .prediction?.service === 'summarizer',
    ) as {
      id: string;
      detail: { prediction: { input: { sentences_scores: unknown[] } } };
    };

    const [row] = await query(
      `SELECT input_sentences_scores AS scores, typeof(input_sentences_scores) AS type FROM summarizer_pred WHERE event_id = '${prediction.id}'`,
    );

    expect(row?.type).toBe('STRUCT(sentence VARCHAR, score DOUBLE)[]');
    expect(row?.scores).toEqual(
      prediction.detail.prediction.input.sentences_scores,
    );
  });

  it('leaves the de-duplicated views unchanged, row for row, when the same files run again', async () => {
    const before = await viewContents();

    await dvault([
      'run',
      SHARED_SAMPLES_DIR,
      join(folder, CRAFTED_NAME),
      '--lake',
      lake,
      '--json',
    ]);

    expect(await viewContents()).toEqual(before);
    expect(before.find((view) => view.v === 'dirty')?.n).toBe(
      SAMPLE_UNROUTABLE,
    );
    const [all] = await query('SELECT count(*) AS n FROM ste_event_all');
    expect(all).toEqual({ n: 2 * (SAMPLE_COUNTS.ste_event + 1) });
  });
});
