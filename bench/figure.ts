/** One benchmark result beside the baseline measured in the same run (issue 7's JSON shape). */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: string;
  readonly baselineValue: number;
  /** value / baselineValue for rates (higher is better). */
  readonly ratio: number;
  /** The goal, e.g. "ratio >= 0.5". */
  readonly goal: string;
  readonly met: boolean;
}

export interface BenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

/** Runs `fn` `count` times and answers operations per second. */
export async function ratePerSecond(count: number, fn: (i: number) => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await fn(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}
