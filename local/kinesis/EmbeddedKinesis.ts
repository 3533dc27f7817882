import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  StreamMode,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../constants.js';
import { EmbeddedKinesisError } from '../errors.js';

/** How long a stream may take to turn ACTIVE before creation gives up. */
const ACTIVE_TIMEOUT_MS = 10_000;

/** kinesalite's options: in memory, streams ready at once. */
const KINESALITE_OPTIONS = {
  createStreamMs: 0,
  deleteStreamMs: 0,
  updateStreamMs: 0,
  shardLimit: 1000,
};

/**
 * A Kinesis API server inside this process and a real SDK client pointed
 * at it. The server is kinesalite, in memory, on a free loopback port, in
 * a worker thread of its own (`kinesaliteWorker.cjs`): it is CPU-bound per
 * call, and on its own thread it runs beside the handlers instead of
 * taking turns with them. Streams are provisioned and named, never
 * addressed by ARN, as kinesalite wants.
 *
 * @example
 * const kinesis = await EmbeddedKinesis.start();
 * await kinesis.createStreams(['dvault-ste_event']);
 * await kinesis.client.send(new PutRecordsCommand({ ... }));
 * await kinesis.close();
 */
export class EmbeddedKinesis {
  /** An SDK client for the server: HTTP/1.1, dummy credentials. */
  readonly client: KinesisClient;
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly #worker: Worker;

  private constructor(worker: Worker, port: number) {
    this.#worker = worker;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.client = new KinesisClient({
      endpoint: this.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      // The SDK would otherwise try HTTP/2, which kinesalite does not speak.
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 5,
    });
  }

  /** Starts the server on a free loopback port, with an empty store. */
  static async start(): Promise<EmbeddedKinesis> {
    const worker = new Worker(
      new URL('./kinesaliteWorker.cjs', import.meta.url),
      {
        workerData: KINESALITE_OPTIONS,
      },
    );
    const { port } = await reply<{ port: number }>(worker).catch(
      async (cause: unknown) => {
        await worker.terminate();
        throw new EmbeddedKinesisError('Cannot start the embedded Kinesis.', {
          cause,
        });
      },
    );
    return new EmbeddedKinesis(worker, port);
  }

  /**
   * Creates provisioned streams and waits until every one is ACTIVE.
   *
   * @param names stream names (not ARNs)
   * @param shardCount shards per stream
   */
  async createStreams(names: readonly string[], shardCount = 1) {
    await Promise.all(
      names.map((name) =>
        this.client.send(
          new CreateStreamCommand({
            StreamName: name,
            ShardCount: shardCount,
            StreamModeDetails: { StreamMode: StreamMode.PROVISIONED },
          }),
        ),
      ),
    );
    await Promise.all(names.map((name) => this.#waitUntilActive(name)));
  }

  /** The ARN AWS would give a stream of this name. */
  streamArn(name: string): string {
    return `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${name}`;
  }

  /** Stops the server and the client; the streams' records are gone. */
  async close(): Promise<void> {
    this.client.destroy();
    const closed = reply(this.#worker);
    this.#worker.postMessage('close');
    await closed;
    await this.#worker.terminate();
  }

  async #waitUntilActive(name: string) {
    const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const { StreamDescriptionSummary: summary } = await this.client.send(
        new DescribeStreamSummaryCommand({ StreamName: name }),
      );
      if (summary?.StreamStatus === 'ACTIVE') return;
      await sleep(5);
    }
    throw new EmbeddedKinesisError(
      `Stream ${name} did not become ACTIVE within ${ACTIVE_TIMEOUT_MS} ms.`,
    );
  }
}

/** The worker's next message, or its failure. */
function reply<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      worker.off('message', succeed);
      reject(error);
    };
    const succeed = (message: T) => {
      worker.off('error', fail);
      resolve(message);
    };
    worker.once('message', succeed);
    worker.once('error', fail);
  });
}
