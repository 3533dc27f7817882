import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLocal } from '../local/run/runLocal.js';
import { generateDvaultFiles } from '../schemas/generate/generateDvaultFiles.js';
import { type BenchResult, result } from './BenchResult.js';

/** Events generated; the target is at least 5,000 per second on 2 cores. */
const EVENTS = Number(process.env.DVAULT_BENCH_EVENTS ?? 200_000);
const EVENTS_PER_FILE = 2_000;

/**
 * The main job's throughput: generated dvault files landed into a fresh
 * lake by `dvault run` in this process (kinesalite, producer, local
 * Firehose with the transformer, DuckDB Parquet), timed from the first
 * landing to the last Parquet file. Generation is not timed.
 */
export default async function localE2e(): Promise<BenchResult> {
  const landing = await mkdtemp(join(tmpdir(), 'dvault-bench-landing-'));
  const lake = await mkdtemp(join(tmpdir(), 'dvault-bench-lake-'));
  try {
    const files = generateDvaultFiles({
      events: EVENTS,
      seed: 7,
      dirtyShare: 0.02,
      eventsPerFile: EVENTS_PER_FILE,
    });
    for (const file of files)
      await writeFile(join(landing, file.name), file.text);
    const cpu = process.cpuUsage();
    const summary = await runLocal({ paths: [landing], lake });
    const { user, system } = process.cpuUsage(cpu);
    const rows = Object.values(summary.clean).reduce((a, b) => a + b, 0);
    return result('local-e2e', summary.events, summary.seconds, undefined, {
      files: summary.files,
      // CPU of every thread (handlers, kinesalite's worker, DuckDB): the
      // figure to compare when other work shares the machine.
      cpu_seconds: Math.round((user + system) / 1000) / 1000,
      rows,
      dirty: summary.dirty,
    });
  } finally {
    await rm(landing, { recursive: true, force: true });
    await rm(lake, { recursive: true, force: true });
  }
}
