import { stat } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createProducerHandler } from '../../producer/createProducerHandler.js';
import { DirectoryObjectStore } from '../../schemas/index.js';
import { LAKE_BUCKET, LOCAL_REGION } from '../constants.js';
import { lambdaContext } from '../lambdaContext.js';
import { DirtyTallyStore } from './DirtyTallyStore.js';
import type {
  LandReply,
  LandRequest,
  ProducerThreadOptions,
} from './ProducerThread.js';
import { s3PutEvent } from './s3PutEvent.js';

// The body of the producer's thread: the real producer handler, its own
// Kinesis client on the embedded server, and the landing and lake folders.
// It answers each `land` request with the producer's summary and the
// running totals of records put and dirty records written.

const options = workerData as ProducerThreadOptions;
const port = parentPort as NonNullable<typeof parentPort>;
const kinesis = new KinesisClient({
  endpoint: options.endpoint,
  region: LOCAL_REGION,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  requestHandler: new NodeHttpHandler(),
});
const store = new DirectoryObjectStore({
  ...options.landing,
  [LAKE_BUCKET]: options.lakeDir,
});
const lake = new DirtyTallyStore(store);
const producer = createProducerHandler({
  kinesis,
  store: lake,
  lakeBucket: LAKE_BUCKET,
  streamPrefix: options.streamPrefix,
});
const totals = { recordsPut: 0 };
kinesis.middlewareStack.add(
  (next, context) => async (args) => {
    const result = await next(args);
    if (context.commandName === 'PutRecordsCommand') {
      const output = result.output as { Records?: { ErrorCode?: string }[] };
      totals.recordsPut += (output.Records ?? []).filter(
        (r) => !r.ErrorCode,
      ).length;
    }
    return result;
  },
  { step: 'initialize', name: 'dvaultCountPuts' },
);

port.on('message', (message: LandRequest | 'close') => {
  if (message === 'close') {
    kinesis.destroy();
    port.postMessage('closed');
    return;
  }
  void land(message).then((reply) => port.postMessage(reply));
});
port.postMessage('ready');

async function land(request: LandRequest): Promise<LandReply> {
  try {
    const info = await stat(store.pathOf(request.bucket, request.key));
    const etag = `${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}`;
    const event = s3PutEvent({
      bucket: request.bucket,
      key: request.key,
      size: info.size,
      etag,
    });
    const summary = await producer(event, lambdaContext('dvault-producer'));
    return {
      id: request.id,
      summary: { files: summary.files, events: summary.events },
      recordsPut: totals.recordsPut,
      dirty: lake.counts(),
    };
  } catch (error) {
    return {
      id: request.id,
      error:
        error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error),
    };
  }
}
