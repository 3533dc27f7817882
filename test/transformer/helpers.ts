import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import * as E from 'fp-ts/lib/Either.js';
import { vi } from 'vitest';
import type { DirtyRecord } from '../../schemas/DirtyRecord.js';
import type { ObjectStore, OpenedObject } from '../../schemas/index.js';
import { routeEvent } from '../../schemas/index.js';
import { METRICS_NAMESPACE } from '../../transformer/constants.js';
import { createTransformerHandler } from '../../transformer/createTransformerHandler.js';
import { TEST_ARRIVAL } from '../helpers/firehoseEvents.js';
import { sampleEvents } from '../helpers/samples.js';

/** An object store in memory that can be told to fail its writes. */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, string>();
  readonly puts: { bucket: string; key: string; contentType?: string }[] = [];
  /** Keys (or key prefixes) whose writes reject. */
  failing: string[] = [];

  async open(bucket: string, key: string): Promise<OpenedObject> {
    throw new Error(`MemoryObjectStore cannot open s3://${bucket}/${key}.`);
  }

  async put(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    contentType?: string,
  ): Promise<void> {
    this.puts.push({ bucket, key, contentType });
    if (this.failing.some((prefix) => key.startsWith(prefix))) {
      throw new Error(`Access Denied writing ${key}`);
    }
    this.objects.set(`${bucket}/${key}`, Buffer.from(body).toString('utf8'));
  }

  async *list(bucket: string, prefix: string): AsyncIterable<string> {
    for (const path of this.objects.keys()) {
      const key = path.slice(bucket.length + 1);
      if (path.startsWith(`${bucket}/`) && key.startsWith(prefix)) yield key;
    }
  }

  /** The dirty records held under a key prefix, in object then line order. */
  dirtyRecords(bucket: string, prefix = 'dirty/'): DirtyRecord[] {
    return [...this.objects.entries()]
      .filter(([path]) => path.startsWith(`${bucket}/${prefix}`))
      .flatMap(([, text]) =>
        text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as DirtyRecord),
      );
  }
}

/** A parsed Powertools log line. */
export type LogLine = Record<string, unknown>;

/** A parsed EMF blob. */
export interface EmfBlob {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/**
 * A Powertools Logger and Metrics whose output is read back as objects.
 * Dev mode sends both to the global console, which test/setup.ts spies
 * on; metrics stay enabled.
 */
export function captureTelemetry() {
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'dvault-transformer');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  const logger = new Logger();
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
  const lines = (method: 'log' | 'info' | 'warn' | 'error') =>
    vi
      .mocked(console[method])
      .mock.calls.map((call) => JSON.parse(String(call[0])) as LogLine);
  return {
    logger,
    metrics,
    logs: (): LogLine[] => [
      ...lines('info'),
      ...lines('warn'),
      ...lines('error'),
    ],
    warnings: () => lines('warn'),
    errors: () => lines('error'),
    emf: () => lines('log').filter((line) => '_aws' in line) as EmfBlob[],
  };
}

/**
 * The value of a metric in the published blobs whose dimensions are
 * exactly `dimensions` (besides `service`), or undefined.
 */
export function metricValue(
  blobs: readonly EmfBlob[],
  name: string,
  dimensions: Record<string, string>,
): unknown {
  const wanted = Object.keys(dimensions).sort().join(',');
  const blob = blobs.find((candidate) => {
    const directive = candidate._aws.CloudWatchMetrics[0];
    const names = directive.Dimensions[0]
      .filter((dimension) => dimension !== 'service')
      .sort()
      .join(',');
    return (
      names === wanted &&
      directive.Metrics.some((metric) => metric.Name === name) &&
      Object.entries(dimensions).every(
        ([key, value]) => candidate[key] === value,
      )
    );
  });
  return blob?.[name];
}

/** The real sample events, grouped by the table each routes to. */
export function sampleEventsByTable(): Map<string, unknown[]> {
  const tables = new Map<string, unknown[]>();
  for (const event of sampleEvents()) {
    const routed = routeEvent(event);
    if (E.isLeft(routed)) continue;
    const events = tables.get(routed.right.name) ?? [];
    events.push(event);
    tables.set(routed.right.name, events);
  }
  return tables;
}

let cachedSamples: unknown[] | undefined;

/** The sample event with that EventBridge id, as a fresh copy. */
export function sampleEventWithId(id: string): Record<string, unknown> {
  cachedSamples ??= sampleEvents();
  const event = cachedSamples.find(
    (candidate) => (candidate as { id?: unknown }).id === id,
  );
  if (event === undefined) throw new Error(`No sample event has id ${id}.`);
  return structuredClone(event) as Record<string, unknown>;
}

/** The JSON value of a response record's base64 data. */
export function decodeData(data: string | undefined): unknown {
  return JSON.parse(Buffer.from(data ?? '', 'base64').toString('utf8'));
}

/**
 * A transformer handler over an in-memory lake, with captured telemetry
 * and a fixed clock (`TEST_ARRIVAL` unless told otherwise).
 */
export function transformerSetup(options: { now?: number } = {}) {
  const store = new MemoryObjectStore();
  const telemetry = captureTelemetry();
  const handler = createTransformerHandler({
    store,
    lakeBucket: 'lake',
    logger: telemetry.logger,
    metrics: telemetry.metrics,
    now: () => options.now ?? TEST_ARRIVAL,
  });
  return { store, handler, ...telemetry };
}
