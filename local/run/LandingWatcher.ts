import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Log, SILENT_LOG } from '../../schemas/index.js';
import { isLandable, listFolder } from '../files/landedFiles.js';

/** What a watcher watches and whom it tells. */
export interface LandingWatcherOptions {
  /** The folder files are dropped into. */
  dir: string;
  /** Called once per new or changed file, with its key under `dir`. */
  land: (key: string) => Promise<void>;
  /** How long a file's size and time must hold still; 150 ms by default. */
  settleMs?: number;
  /** How often the whole folder is rescanned; 2 s by default. */
  rescanMs?: number;
  log?: Log;
}

/**
 * Watches a folder and lands each file dropped into it, as S3 would notify
 * for each object put: once its size and modification time stop changing
 * (so a file still being copied is not read half-written), and again if it
 * is later overwritten. `fs.watch` brings files within moments; a periodic
 * rescan catches any event the platform dropped.
 *
 * @example
 * const watcher = new LandingWatcher({ dir: 'inbox', land: (key) => pipeline.land('landing', key) });
 * await watcher.start();
 * // ...
 * await watcher.stop();
 */
export class LandingWatcher {
  readonly #options: LandingWatcherOptions;
  readonly #log: Log;
  /** Key to the size and time it was landed at. */
  readonly #landed = new Map<string, string>();
  readonly #pending = new Map<string, Promise<void>>();
  #watcher: FSWatcher | undefined;
  #rescan: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: LandingWatcherOptions) {
    this.#options = options;
    this.#log = options.log ?? SILENT_LOG;
  }

  /** Lands what is already there, then watches for more. */
  async start(): Promise<void> {
    this.#watcher = watch(this.#options.dir, { recursive: true }, (_, name) => {
      if (name !== null) this.#consider(name.split('\\').join('/'));
    });
    this.#watcher.on('error', (error) =>
      this.#log.warn('Watching the landing folder failed; rescans go on.', {
        error: error.message,
      }),
    );
    this.#rescan = setInterval(
      () => void this.#scan(),
      this.#options.rescanMs ?? 2000,
    );
    await this.#scan();
  }

  /** Stops watching and waits for the landings under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watcher?.close();
    clearInterval(this.#rescan);
    await Promise.all([...this.#pending.values()]);
  }

  async #scan(): Promise<void> {
    const keys = await listFolder(this.#options.dir)
      .then((listing) => listing.keys)
      .catch(() => []);
    for (const key of keys) this.#consider(key);
  }

  #consider(key: string): void {
    if (this.#stopped || this.#pending.has(key)) return;
    if (!key.split('/').every(isLandable)) return;
    const landing = this.#settleAndLand(key).finally(() =>
      this.#pending.delete(key),
    );
    this.#pending.set(key, landing);
  }

  async #settleAndLand(key: string): Promise<void> {
    const path = join(this.#options.dir, key);
    let seen = await signatureOf(path);
    if (seen === undefined || this.#landed.get(key) === seen) return;
    for (;;) {
      await new Promise((resolve) =>
        setTimeout(resolve, this.#options.settleMs ?? 150),
      );
      const now = await signatureOf(path);
      if (now === undefined) return;
      if (now === seen) break;
      seen = now;
    }
    this.#landed.set(key, seen);
    await this.#options.land(key).catch((error: unknown) => {
      this.#landed.delete(key);
      this.#log.error('Landing a dropped file failed.', {
        key,
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }
}

async function signatureOf(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) return undefined;
  return `${info.size}:${info.mtimeMs}`;
}
