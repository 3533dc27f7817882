import { REPLAYED_PREFIX, ReplayOutcome } from '../../producer/constants.js';
import { replayDirty } from '../../producer/replayDirty.js';
import type { ObjectStore } from '../../schemas/index.js';
import { offlineKinesis } from './offlineKinesis.js';
import { ReplaySourceStore } from './ReplaySourceStore.js';

/**
 * Which failed records an earlier replay already put back, as
 * `recordPlace(key, line)` strings. The answer comes from a dry run of
 * replayDirty itself, so it always agrees with what a replay would skip.
 *
 * @param store the lake's object store
 * @param bucket the lake's bucket in it
 */
export async function replayedRecords(
  store: ObjectStore,
  bucket: string,
): Promise<Set<string>> {
  if (!(await hasMarkers(store, bucket))) return new Set();
  const kinesis = offlineKinesis();
  try {
    const { items } = await replayDirty({
      store: new ReplaySourceStore(store),
      lakeBucket: bucket,
      kinesis,
      dryRun: true,
    });
    return new Set(
      items
        .filter((item) => item.outcome === ReplayOutcome.AlreadyReplayed)
        .map((item) =>
          recordPlace(ReplaySourceStore.lakeKeyOf(item.key), item.line),
        ),
    );
  } finally {
    kinesis.destroy();
  }
}

/** A record's place in the lake: its object's key and its line. */
export function recordPlace(key: string, line: number): string {
  return `${key}#${line}`;
}

async function hasMarkers(store: ObjectStore, bucket: string) {
  for await (const _ of store.list(bucket, `${REPLAYED_PREFIX}/`)) return true;
  return false;
}
