import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryObjectStore } from '../../../schemas/index.js';

async function newStore() {
  const dir = await mkdtemp(join(tmpdir(), 'dvault-store-'));
  return { dir, store: new DirectoryObjectStore({ lake: dir }) };
}

async function text(stream: AsyncIterable<Buffer | string>): Promise<string> {
  let all = '';
  for await (const chunk of stream) all += chunk.toString();
  return all;
}

describe('DirectoryObjectStore', () => {
  it('writes under the key as a path and reads it back', async () => {
    const { dir, store } = await newStore();

    await store.put('lake', 'dirty/ste_event/dt=2026-12-03/a.jsonl', 'x\n');

    expect(
      await readFile(
        join(dir, 'dirty/ste_event/dt=2026-12-03/a.jsonl'),
        'utf8',
      ),
    ).toBe('x\n');
    expect(
      await text(
        (await store.open('lake', 'dirty/ste_event/dt=2026-12-03/a.jsonl'))
          .body,
      ),
    ).toBe('x\n');
  });

  it('survives many concurrent writes of one key, leaving one whole object', async () => {
    const { dir, store } = await newStore();
    const bodies = Array.from(
      { length: 50 },
      (_, i) => `${String(i).repeat(1000)}\n`,
    );

    await Promise.all(
      bodies.map((body) => store.put('lake', 'same/key.jsonl', body)),
    );

    expect(bodies).toContain(
      await readFile(join(dir, 'same/key.jsonl'), 'utf8'),
    );
    expect(await readdir(join(dir, 'same'))).toEqual(['key.jsonl']);
  });

  it('refuses a key that climbs out of its bucket', async () => {
    const { store } = await newStore();

    await expect(store.put('lake', '../outside.txt', 'x')).rejects.toThrow(
      'points outside bucket lake',
    );
  });

  it('names a missing object in its error', async () => {
    const { store } = await newStore();

    await expect(store.open('lake', 'no/such/key')).rejects.toThrow(
      'Cannot open s3://lake/no/such/key.',
    );
  });

  it('lists keys under a prefix with forward slashes', async () => {
    const { store } = await newStore();
    await store.put('lake', 'clean/a/1.parquet', 'p');
    await store.put('lake', 'dirty/a/1.jsonl', 'd');

    const keys: string[] = [];
    for await (const key of store.list('lake', 'clean/')) keys.push(key);

    expect(keys).toEqual(['clean/a/1.parquet']);
  });
});
