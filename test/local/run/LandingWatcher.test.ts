import {
  appendFile,
  mkdir,
  mkdtemp,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LandingWatcher } from '../../../local/run/LandingWatcher.js';

let inbox: string;
let watcher: LandingWatcher | undefined;
let landed: { key: string; size: number }[];

beforeEach(async () => {
  inbox = await mkdtemp(join(tmpdir(), 'dvault-watch-'));
  landed = [];
});

afterEach(async () => {
  await watcher?.stop();
  watcher = undefined;
  await rm(inbox, { recursive: true, force: true });
});

async function startWatching(settleMs = 100) {
  watcher = new LandingWatcher({
    dir: inbox,
    settleMs,
    rescanMs: 300,
    land: async (key) => {
      const { size } = await import('node:fs/promises').then((fs) =>
        fs.stat(join(inbox, key)),
      );
      landed.push({ key, size });
    },
  });
  await watcher.start();
}

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error('The condition did not hold in time.');
    await sleep(20);
  }
}

describe('LandingWatcher', () => {
  it('lands the files already there, and new ones dropped in, in subfolders too', async () => {
    await writeFile(join(inbox, 'before'), '{}');
    await startWatching();
    await until(() => landed.length === 1);

    await mkdir(join(inbox, '2026'));
    await writeFile(join(inbox, '2026', 'after one'), '{"a":1}');
    await until(() => landed.length === 2);

    expect(landed.map((l) => l.key).sort()).toEqual([
      '2026/after one',
      'before',
    ]);
  });

  it('passes over hidden files, notes and unfinished writes', async () => {
    await startWatching();

    for (const name of [
      '.hidden',
      'README.md',
      'notes.md',
      'copying.tmp',
      'big.part',
    ]) {
      await writeFile(join(inbox, name), 'x');
    }
    await writeFile(join(inbox, 'real'), '{}');
    await until(() => landed.length === 1);
    await sleep(500);

    expect(landed.map((l) => l.key)).toEqual(['real']);
  });

  it('waits until a file stops growing before landing it', async () => {
    await startWatching(400);

    await writeFile(join(inbox, 'growing'), '{"part":1}');
    await sleep(100);
    await appendFile(join(inbox, 'growing'), '{"part":2}');
    await until(() => landed.length === 1);

    expect(landed).toEqual([{ key: 'growing', size: 20 }]);
  });

  it('lands a file again when it is replaced, and not when it is unchanged', async () => {
    await startWatching();
    await writeFile(join(inbox, 'a'), '{}');
    await until(() => landed.length === 1);
    await sleep(700);

    const staged = join(inbox, '.staged');
    await writeFile(staged, '{"v":2}');
    await rename(staged, join(inbox, 'a'));
    await until(() => landed.length === 2);

    expect(landed).toEqual([
      { key: 'a', size: 2 },
      { key: 'a', size: 7 },
    ]);
  });
});
