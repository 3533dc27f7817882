import { Worker } from 'node:worker_threads';
import { LocalRunError } from '../errors.js';

/** What the producer's thread is built from. */
export interface ProducerThreadOptions {
  /** The embedded Kinesis's endpoint. */
  endpoint: string;
  /** Landing buckets and their folders. */
  landing: Record<string, string>;
  lakeDir: string;
  streamPrefix: string;
}

/** Asks the thread to land one object. */
export interface LandRequest {
  id: number;
  bucket: string;
  key: string;
}

/** The thread's answer: what the producer did, and the totals so far. */
export type LandReply =
  | {
      id: number;
      summary: { files: number; events: number };
      /** Records Kinesis accepted since the thread started. */
      recordsPut: number;
      /** Producer-side dirty records since the thread started, per kind. */
      dirty: Record<string, number>;
    }
  | { id: number; error: string };

/** What landing one object did. */
export interface Landed {
  files: number;
  events: number;
}

/**
 * The producer Lambda of a local run, in a worker thread of its own: on
 * AWS it is a separate function, and here it reads and splits files and
 * puts records while the delivery streams transform and write on the main
 * thread. Each `land` sends the handler a genuine S3 notification.
 *
 * @example
 * const producer = await ProducerThread.start({ endpoint, landing, lakeDir, streamPrefix });
 * await producer.land('landing', 'dvault-file-1');
 * await producer.close();
 */
export class ProducerThread {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, (reply: LandReply) => void>();
  #nextId = 0;
  #recordsPut = 0;
  #dirty: Record<string, number> = {};

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: LandReply) => this.#settle(reply));
  }

  /** Starts the thread and waits until the handler is built. */
  static async start(options: ProducerThreadOptions): Promise<ProducerThread> {
    const worker = new Worker(
      new URL('./producerWorker.mjs', import.meta.url),
      {
        workerData: options,
      },
    );
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => {
        worker.off('error', reject);
        resolve();
      });
      worker.once('error', reject);
    }).catch(async (cause: unknown) => {
      await worker.terminate();
      throw new LocalRunError('Cannot start the producer thread.', { cause });
    });
    return new ProducerThread(worker);
  }

  /** Lands one object and resolves with what the producer found in it. */
  land(bucket: string, key: string): Promise<Landed> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, (reply) => {
        if ('error' in reply) {
          reject(
            new LocalRunError(
              `Landing s3://${bucket}/${key} failed: ${reply.error}`,
            ),
          );
          return;
        }
        this.#recordsPut = Math.max(this.#recordsPut, reply.recordsPut);
        this.#dirty = latest(this.#dirty, reply.dirty);
        resolve(reply.summary);
      });
      this.#worker.postMessage({ id, bucket, key } satisfies LandRequest);
    });
  }

  /** Records Kinesis accepted, as of the last landing that finished. */
  get recordsPut(): number {
    return this.#recordsPut;
  }

  /** Producer-side dirty records per kind, as of the last landing. */
  get dirty(): Record<string, number> {
    return { ...this.#dirty };
  }

  /** Stops the thread; landings under way are abandoned. */
  async close(): Promise<void> {
    const closed = new Promise((resolve) =>
      this.#worker.once('message', resolve),
    );
    this.#worker.postMessage('close');
    await closed;
    await this.#worker.terminate();
  }

  #settle(reply: LandReply) {
    const waiter = this.#waiting.get(reply.id);
    this.#waiting.delete(reply.id);
    waiter?.(reply);
  }
}

/** Per kind, the larger count: replies of concurrent landings may cross. */
function latest(
  known: Record<string, number>,
  reported: Record<string, number>,
): Record<string, number> {
  const merged = { ...known };
  for (const [kind, n] of Object.entries(reported)) {
    merged[kind] = Math.max(merged[kind] ?? 0, n);
  }
  return merged;
}
