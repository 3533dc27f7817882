import {
  copyFile,
  mkdtemp,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryLake } from '../../../local/lake/queryLake.js';
import { runLocal } from '../../../local/run/runLocal.js';
import { sampleFiles } from '../../helpers/samples.js';

let inbox: string;
let lake: string;

beforeEach(async () => {
  inbox = await mkdtemp(join(tmpdir(), 'dvault-inbox-'));
  lake = await mkdtemp(join(tmpdir(), 'dvault-lake-'));
});

afterEach(async () => {
  await rm(inbox, { recursive: true, force: true });
  await rm(lake, { recursive: true, force: true });
});

async function eventsIn(file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  return text.split('}{"version"').length;
}

async function rowsFrom(key: string): Promise<number> {
  const { rows } = await queryLake(
    lake,
    `SELECT count(*) AS n FROM (SELECT source_key FROM summarizer_event_all UNION ALL SELECT source_key FROM ste_event_all UNION ALL SELECT source_key FROM headliner_event_all) WHERE source_key = '${key}'`,
  );
  return rows[0]?.n as number;
}

describe('runLocal', () => {
  it('keeps landing files dropped into the watched folder until it is stopped', async () => {
    const sample = sampleFiles()[0] as string;
    const stop = new AbortController();
    let ready: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const run = runLocal({
      paths: [],
      lake,
      watch: inbox,
      bufferSeconds: 0.2,
      signal: stop.signal,
      onReady: () => ready(),
    });
    await started;

    await copyFile(sample, join(inbox, basename(sample)));
    const deadline = Date.now() + 20_000;
    while ((await rowsFrom(basename(sample))) === 0 && Date.now() < deadline) {
      await sleep(100);
    }
    stop.abort();
    const summary = await run;

    expect(await rowsFrom(basename(sample))).toBeGreaterThan(0);
    expect(summary).toMatchObject({ files: 1, events: await eventsIn(sample) });
    const written =
      Object.values(summary.clean).reduce((a, b) => a + b, 0) +
      Object.values(summary.dirty).reduce((a, b) => a + b, 0);
    expect(written).toBe(summary.events);
  });

  it('lands every file of a folder but its notes, and stops once all is delivered', async () => {
    const [first, second] = sampleFiles() as [string, string];
    await copyFile(first, join(inbox, 'one'));
    await copyFile(second, join(inbox, 'two'));
    await writeFile(join(inbox, 'README.md'), '# not a dvault file');

    const summary = await runLocal({ paths: [inbox], lake });

    expect(summary).toMatchObject({
      files: 2,
      events: (await eventsIn(first)) + (await eventsIn(second)),
      dirty: expect.objectContaining({ unparsable: 0 }),
    });
  });

  it('rejects a path that does not exist, naming it', async () => {
    await expect(
      runLocal({ paths: [join(inbox, 'missing')], lake }),
    ).rejects.toThrow(
      `Cannot read ${join(inbox, 'missing')}: it does not exist.`,
    );
  });

  it('refuses a lake inside a folder it lands, but not a hidden one', async () => {
    await copyFile(sampleFiles()[0] as string, join(inbox, 'one'));

    await expect(
      runLocal({ paths: [inbox], lake: join(inbox, 'lake') }),
    ).rejects.toThrow(
      `The lake ${join(inbox, 'lake')} lies inside ${inbox}, whose files are landed; choose a lake elsewhere.`,
    );
    await expect(
      runLocal({ paths: [inbox], lake: join(inbox, '.dvault/lake') }),
    ).resolves.toMatchObject({
      files: 1,
    });
  });

  it('accepts a lake beside a file named alone, whose folder is not landed', async () => {
    await copyFile(sampleFiles()[0] as string, join(inbox, 'one'));

    const summary = await runLocal({
      paths: [join(inbox, 'one')],
      lake: join(inbox, 'lake'),
    });

    expect(summary.files).toBe(1);
  });

  it.each([
    ['lake', (file: string) => ({ paths: [inbox], lake: file })],
    ['watched', (file: string) => ({ paths: [], lake, watch: file })],
  ])('refuses a file as the %s folder, naming it', async (role, options) => {
    const file = join(lake, 'a-file');
    await writeFile(file, '{}');

    await expect(runLocal(options(file))).rejects.toThrow(
      `The ${role} folder ${file} is a file; name a folder (it is created when missing).`,
    );
  });

  it('creates a watched folder that does not exist yet', async () => {
    const watch = join(inbox, 'new-inbox');
    const stop = new AbortController();

    const running = runLocal({
      paths: [],
      lake,
      watch,
      signal: stop.signal,
      onReady: () => stop.abort(),
    });

    await expect(running).resolves.toMatchObject({ files: 0, events: 0 });
    expect((await stat(watch)).isDirectory()).toBe(true);
  });
});
