import { describe, expect, it } from 'vitest';
import { DirtyTallyStore } from '../../../local/run/DirtyTallyStore.js';
import type { ObjectStore } from '../../../schemas/index.js';

function memoryStore(): ObjectStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    open: async () => {
      throw new Error('not used');
    },
    put: async (bucket, key, body) => {
      objects.set(`${bucket}/${key}`, String(body));
    },
    async *list() {},
  };
}

const line = (kind: string) =>
  `${JSON.stringify({ event_id: 'e', kind, table: 't' })}\n`;

describe('DirtyTallyStore', () => {
  it('counts the dirty records written, per kind, and per table folder on request', async () => {
    const inner = memoryStore();
    const store = new DirtyTallyStore(inner);

    await store.put(
      'lake',
      'dirty/_producer/dt=2026-01-01/a.jsonl',
      line('unroutable') + line('unparsable'),
    );
    await store.put(
      'lake',
      'dirty/ste_event/dt=2026-01-01/b.jsonl',
      line('invalid'),
    );
    await store.put(
      'lake',
      'clean/ste_event/dt=2026-01-01/c.parquet',
      'not counted',
    );

    expect(store.counts()).toEqual({
      unroutable: 1,
      unparsable: 1,
      invalid: 1,
    });
    expect(store.counts('_producer')).toEqual({ unroutable: 1, unparsable: 1 });
    expect(inner.objects.size).toBe(3);
  });

  it('counts a rewritten object once, as a retried invocation rewrites the same key', async () => {
    const store = new DirtyTallyStore(memoryStore());

    await store.put(
      'lake',
      'dirty/ste_event/dt=2026-01-01/b.jsonl',
      line('invalid'),
    );
    await store.put(
      'lake',
      'dirty/ste_event/dt=2026-01-01/b.jsonl',
      line('invalid'),
    );

    expect(store.counts()).toEqual({ invalid: 1 });
  });

  it('counts nothing when the write fails', async () => {
    const failing = {
      ...memoryStore(),
      put: async () => Promise.reject(new Error('disk full')),
    };
    const store = new DirtyTallyStore(failing);

    await expect(
      store.put('lake', 'dirty/t/x.jsonl', line('invalid')),
    ).rejects.toThrow('disk full');
    expect(store.counts()).toEqual({});
  });
});
