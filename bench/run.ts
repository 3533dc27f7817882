import { readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './BenchResult.js';

// Runs every benchmark script in this folder (`<name>.bench.ts`), or only
// those named on the command line, printing one JSON line per result.
const folder = dirname(fileURLToPath(import.meta.url));
const available = (await readdir(folder))
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => basename(file, '.bench.ts'))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}.`,
  );
  process.exit(2);
}

for (const name of wanted.length > 0 ? wanted : available) {
  const module = (await import(`./${name}.bench.ts`)) as { default: Benchmark };
  const results = await module.default();
  for (const line of [results].flat()) console.log(JSON.stringify(line));
}
