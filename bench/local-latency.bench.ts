import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { lakeFiles } from '../local/lake/lakeFiles.js';
import { lakeViews } from '../local/lake/lakeViews.js';
import { openDuckDb } from '../local/lake/openDuckDb.js';
import { runLocal } from '../local/run/runLocal.js';
import { generateDvaultFiles } from '../schemas/generate/generateDvaultFiles.js';
import { TABLES } from '../schemas/index.js';
import { type BenchResult, result } from './BenchResult.js';

/** Files dropped one after another. */
const FILES = 10;
const EVENTS_PER_FILE = 50;
/** How often the lake is asked whether a file's rows are there. */
const POLL_MS = 25;
/** Give up on a file after this long. */
const TIMEOUT_MS = 30_000;

/**
 * Freshness of `dvault run --watch` with a 1 s delivery buffer: the median
 * time from a file appearing in the watched folder (an atomic rename, as a
 * finished copy appears) until all its rows answer a DuckDB query over the
 * lake. Files are dropped one at a time, each after the previous one is
 * queryable, at staggered offsets so they do not line up with the
 * delivery streams' polling.
 */
export default async function localLatency(): Promise<BenchResult> {
  const inbox = await mkdtemp(join(tmpdir(), 'dvault-latency-inbox-'));
  const staging = await mkdtemp(join(tmpdir(), 'dvault-latency-staging-'));
  const lake = await mkdtemp(join(tmpdir(), 'dvault-latency-lake-'));
  const stop = new AbortController();
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const run = runLocal({
    paths: [],
    lake,
    watch: inbox,
    bufferSeconds: 1,
    signal: stop.signal,
    onReady: () => ready(),
  });
  const duck = await openDuckDb();
  const connection = await duck.connect();
  try {
    await started;
    const latencies: number[] = [];
    for (const [index, file] of generateFiles().entries()) {
      await sleep((index * 173) % 1000);
      latencies.push(
        await dropAndWait(file, { inbox, staging, lake, connection }),
      );
    }
    stop.abort();
    const summary = await run;
    const sorted = [...latencies].sort((a, b) => a - b);
    const median = ((sorted[4] as number) + (sorted[5] as number)) / 2;
    const total = latencies.reduce((a, b) => a + b, 0);
    return result('local-latency', summary.events, total, undefined, {
      median_seconds: round(median),
      max_seconds: round(sorted[sorted.length - 1] as number),
      min_seconds: round(sorted[0] as number),
      buffer_seconds: 1,
      files: FILES,
    });
  } finally {
    stop.abort();
    await run.catch(() => undefined);
    connection.closeSync();
    duck.closeSync();
    for (const dir of [inbox, staging, lake]) {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

interface DroppedFile {
  name: string;
  text: string;
  rows: number;
}

/** Clean files only (no dirty share), so every event becomes a row. */
function generateFiles(): DroppedFile[] {
  return [
    ...generateDvaultFiles({
      events: FILES * EVENTS_PER_FILE,
      seed: 11,
      eventsPerFile: EVENTS_PER_FILE,
    }),
  ].map((file) => ({ name: file.name, text: file.text, rows: file.events }));
}

interface Folders {
  inbox: string;
  staging: string;
  lake: string;
  connection: DuckDBConnection;
}

/** Drops a file into the inbox and times it until its rows are queryable. */
async function dropAndWait(
  file: DroppedFile,
  folders: Folders,
): Promise<number> {
  const staged = join(folders.staging, file.name);
  await writeFile(staged, file.text);
  const dropped = performance.now();
  await rename(staged, join(folders.inbox, file.name));
  while (performance.now() - dropped < TIMEOUT_MS) {
    if ((await rowsOf(file.name, folders)) >= file.rows) {
      return (performance.now() - dropped) / 1000;
    }
    await sleep(POLL_MS);
  }
  throw new Error(
    `The rows of ${file.name} were not queryable within ${TIMEOUT_MS} ms.`,
  );
}

async function rowsOf(
  key: string,
  { lake, connection }: Folders,
): Promise<number> {
  for (const statement of lakeViews(lake, TABLES, lakeFiles(lake)))
    await connection.run(statement);
  const union = TABLES.map(
    (t) => `SELECT source_key FROM "${t.name}_all"`,
  ).join(' UNION ALL ');
  const reader = await connection.runAndReadAll(
    `SELECT count(*) AS n FROM (${union}) WHERE source_key = '${key}'`,
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
