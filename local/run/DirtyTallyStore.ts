import type {
  ObjectStore,
  OpenedObject,
} from '../../schemas/ports/ObjectStore.js';

/** The top-level folder the producer and transformer quarantine into. */
const DIRTY_PREFIX = 'dirty/';

/**
 * The lake's object store as the handlers see it, counting on the way the
 * dirty records they write, per kind. Counts are kept per object key: a
 * retried invocation rewrites the same quarantine object, and its records
 * must not count twice.
 *
 * @example
 * const lake = new DirtyTallyStore(new DirectoryObjectStore({ lake: dir }));
 * // ... run the handlers against `lake` ...
 * lake.counts(); // { unroutable: 2 }
 */
export class DirtyTallyStore implements ObjectStore {
  readonly #inner: ObjectStore;
  readonly #perObject = new Map<string, Map<string, number>>();

  /** @param inner the store every call goes through to */
  constructor(inner: ObjectStore) {
    this.#inner = inner;
  }

  open(bucket: string, key: string, versionId?: string): Promise<OpenedObject> {
    return this.#inner.open(bucket, key, versionId);
  }

  async put(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    contentType?: string,
  ): Promise<void> {
    await this.#inner.put(bucket, key, body, contentType);
    if (key.startsWith(DIRTY_PREFIX)) this.#perObject.set(key, kindsIn(body));
  }

  list(bucket: string, prefix: string): AsyncIterable<string> {
    return this.#inner.list(bucket, prefix);
  }

  /**
   * Dirty records written so far, per kind.
   *
   * @param table only those of one table's folder (`_producer` included)
   */
  counts(table?: string): Record<string, number> {
    const folder =
      table === undefined ? DIRTY_PREFIX : `${DIRTY_PREFIX}${table}/`;
    const totals: Record<string, number> = {};
    for (const [key, kinds] of this.#perObject) {
      if (!key.startsWith(folder)) continue;
      for (const [kind, n] of kinds) totals[kind] = (totals[kind] ?? 0) + n;
    }
    return totals;
  }
}

function kindsIn(body: string | Uint8Array): Map<string, number> {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString();
  const kinds = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const kind = kindOf(line);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return kinds;
}

function kindOf(line: string): string {
  try {
    const { kind } = JSON.parse(line) as { kind?: unknown };
    return typeof kind === 'string' ? kind : 'unknown';
  } catch {
    return 'unknown';
  }
}
