import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BenchResult, result } from './BenchResult.js';
import { eventPool, repeatedEvents } from './producer-corpus.js';

const run = promisify(execFile);
const MB = 1_000_000;
const POOL = 20_000;
const LIMIT_MB = 256;
const MAX_GROWTH = 1.2;
const CHILD = join(import.meta.dirname, 'producer-memory-child.ts');

interface ChildFigures {
  events: number;
  seconds: number;
  calls: number;
  max_rss_mb: number;
}

/**
 * `producer-memory`: peak resident memory of the producer handler reading
 * one generated file of 100 MB and one of 1 GB from disk, each in a fresh
 * process. The 1 GB figure must stay under 256 MB and within 1.2 times
 * the 100 MB one: memory must not grow with the file. The files are
 * written to a temporary folder and deleted afterwards.
 */
export default async function producerMemoryBenchmark(): Promise<
  BenchResult[]
> {
  const folder = await mkdtemp(join(tmpdir(), 'dvault-producer-memory-'));
  try {
    const pool = eventPool(POOL);
    const small = await measure(folder, pool, 100 * MB);
    const large = await measure(folder, pool, 1000 * MB);
    const growth = large.max_rss_mb / small.max_rss_mb;
    return [
      figures('producer-memory-100mb', small),
      figures('producer-memory-1gb', large, {
        limit_mb: LIMIT_MB,
        growth_vs_100mb: Math.round(growth * 1000) / 1000,
        within_limits: large.max_rss_mb <= LIMIT_MB && growth <= MAX_GROWTH,
      }),
    ];
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function measure(
  folder: string,
  pool: readonly string[],
  bytes: number,
): Promise<ChildFigures & { bytes: number }> {
  const file = join(folder, `landed-${bytes}`);
  const written = await writeFile(file, pool, bytes);
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', CHILD, file],
      { maxBuffer: 1024 * 1024 },
    );
    return { ...(JSON.parse(stdout) as ChildFigures), bytes: written };
  } finally {
    await rm(file, { force: true });
  }
}

/** Writes copies of the pool until the file holds at least `bytes`. */
async function writeFile(
  file: string,
  pool: readonly string[],
  bytes: number,
): Promise<number> {
  const out = createWriteStream(file);
  let written = 0;
  for (const text of repeatedEvents(pool, Number.MAX_SAFE_INTEGER)) {
    if (written >= bytes) break;
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}

function figures(
  name: string,
  measured: ChildFigures & { bytes: number },
  extra: Record<string, unknown> = {},
): BenchResult {
  return result(name, measured.events, measured.seconds, undefined, {
    bytes: measured.bytes,
    max_rss_mb: Math.round(measured.max_rss_mb),
    put_records_calls: measured.calls,
    ...extra,
  });
}
