import { basename, dirname, join } from 'node:path';
import { createProducerHandler } from '../producer/createProducerHandler.js';
import { DirectoryObjectStore } from '../schemas/index.js';
import { timed } from './BenchResult.js';
import { countingKinesisClient, landedEvent } from './producer-fakes.js';

// Run by `producer-memory.bench.ts` in a process of its own, so the peak
// resident set it reports is this file's alone: the producer handler reads
// the file named on the command line from disk, through the real splitter,
// router, record encoder and writer, against an in-process Kinesis fake.
const file = process.argv[2];
if (file === undefined) throw new Error('Name the file to produce.');
const folder = dirname(file);
const store = new DirectoryObjectStore({
  landing: folder,
  lake: join(folder, 'lake'),
});
const { client, streams } = countingKinesisClient();
const handler = createProducerHandler({
  kinesis: client,
  store,
  lakeBucket: 'lake',
});
let events = 0;
const seconds = await timed(async () => {
  events = (await handler(landedEvent('landing', basename(file)))).events;
});
const calls = [...streams.values()].reduce((n, tally) => n + tally.calls, 0);
console.log(
  JSON.stringify({
    events,
    seconds,
    calls,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
  }),
);
