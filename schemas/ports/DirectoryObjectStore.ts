import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ObjectStoreError } from '../errors.js';
import type { ObjectStore, OpenedObject } from './ObjectStore.js';

/**
 * An object store over local folders, one folder per bucket name. A key is
 * a relative path under its bucket's folder, exactly as S3 would hold it.
 *
 * @example
 * const store = new DirectoryObjectStore({ lake: '.dvault/lake' });
 * await store.put('lake', 'dirty/ste_event/dt=2026-12-03/a.jsonl', text);
 */
export class DirectoryObjectStore implements ObjectStore {
  readonly #roots: ReadonlyMap<string, string>;

  /** @param roots the folder that holds each bucket's objects */
  constructor(roots: Record<string, string>) {
    this.#roots = new Map(
      Object.entries(roots).map(([bucket, dir]) => [bucket, resolve(dir)]),
    );
  }

  /** The local path of an object; the key may not climb out of its bucket. */
  pathOf(bucket: string, key: string): string {
    const root = this.#roots.get(bucket);
    if (root === undefined) {
      throw new ObjectStoreError(
        `No folder is configured for bucket ${bucket}.`,
      );
    }
    const path = resolve(root, key);
    if (path !== root && !path.startsWith(root + sep)) {
      throw new ObjectStoreError(
        `Key ${JSON.stringify(key)} points outside bucket ${bucket}.`,
      );
    }
    return path;
  }

  async open(bucket: string, key: string): Promise<OpenedObject> {
    const path = this.pathOf(bucket, key);
    const info = await stat(path).catch((cause: unknown) => {
      throw new ObjectStoreError(`Cannot open s3://${bucket}/${key}.`, {
        cause,
      });
    });
    return {
      body: createReadStream(path),
      etag: `${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}`,
      size: info.size,
    };
  }

  async put(bucket: string, key: string, body: string | Uint8Array) {
    const path = this.pathOf(bucket, key);
    // Unique per write: two writers of one key must not share a temporary.
    const temporary = `${path}.${randomUUID()}.tmp`;
    await mkdir(dirname(path), { recursive: true });
    // Write then rename, so a reader never sees half an object.
    await writeFile(temporary, body);
    await rename(temporary, path);
  }

  async *list(bucket: string, prefix: string): AsyncIterable<string> {
    const root = this.pathOf(bucket, '');
    const entries = await readdir(root, {
      recursive: true,
      withFileTypes: true,
    }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.endsWith('.tmp')) continue;
      const key = relative(root, join(entry.parentPath, entry.name))
        .split(sep)
        .join('/');
      if (key.startsWith(prefix)) yield key;
    }
  }
}
