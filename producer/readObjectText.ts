import type { ObjectStore } from '../schemas/index.js';

/**
 * A whole object's text, for the small objects the producer reads back
 * (dirty JSON lines, replay markers), never for landed files.
 */
export async function readObjectText(
  store: ObjectStore,
  bucket: string,
  key: string,
): Promise<string> {
  const { body } = await store.open(bucket, key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
