/**
 * One benchmark's figures, printed as one JSON line. `floor_events_per_s`
 * and `ratio` are present when a floor was measured in the same run.
 */
export interface BenchResult {
  name: string;
  events: number;
  seconds: number;
  events_per_s: number;
  floor_events_per_s?: number;
  ratio?: number;
  [figure: string]: unknown;
}

/** A benchmark script's default export. */
export type Benchmark = () => Promise<BenchResult | BenchResult[]>;

/** Times a synchronous or asynchronous piece of work, in seconds. */
export async function timed(work: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Builds a result with rates, and the ratio against a floor when given. */
export function result(
  name: string,
  events: number,
  seconds: number,
  floorSeconds?: number,
  figures: Record<string, unknown> = {},
): BenchResult {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const rate = events / seconds;
  const floor =
    floorSeconds === undefined
      ? {}
      : {
          floor_events_per_s: Math.round(events / floorSeconds),
          ratio: round(floorSeconds / seconds),
        };
  return {
    name,
    events,
    seconds: round(seconds),
    events_per_s: Math.round(rate),
    ...floor,
    ...figures,
  };
}
