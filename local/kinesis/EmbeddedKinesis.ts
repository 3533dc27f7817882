import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  StreamMode,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import kinesalite from 'kinesalite';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../constants.js';
import { EmbeddedKinesisError } from '../errors.js';

/** How long a stream may take to turn ACTIVE before creation gives up. */
const ACTIVE_TIMEOUT_MS = 10_000;

/**
 * A Kinesis API server inside this process (kinesalite, in memory, on a
 * free loopback port) and a real SDK client pointed at it. Streams are
 * provisioned and named, never addressed by ARN, as kinesalite wants.
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
  readonly #server: Server;

  private constructor(server: Server, port: number) {
    this.#server = server;
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
    const server = kinesalite({
      createStreamMs: 0,
      deleteStreamMs: 0,
      updateStreamMs: 0,
      shardLimit: 1000,
    });
    const port = await listen(server).catch((cause: unknown) => {
      throw new EmbeddedKinesisError('Cannot start the embedded Kinesis.', {
        cause,
      });
    });
    return new EmbeddedKinesis(server, port);
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
    await new Promise<void>((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    );
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

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
