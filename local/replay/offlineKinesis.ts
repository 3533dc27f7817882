import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LOCAL_REGION } from '../constants.js';

/**
 * A Kinesis client for replay's dry runs, which build a writer but never
 * send: it points at the discard port on loopback with dummy credentials,
 * so a call made by mistake fails at once instead of reaching anything.
 */
export function offlineKinesis(): KinesisClient {
  return new KinesisClient({
    endpoint: 'http://127.0.0.1:9',
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}
