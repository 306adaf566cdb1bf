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
  /** A figure shown for information only: it has no goal and does not count among the goals. */
  readonly informational?: boolean;
}

import type { BenchDataset } from './dataset.js';

export interface BenchOptions {
  readonly quick: boolean;
  /** A scratch folder of this figure's own. */
  readonly workDir: string;
  /** A seeded data directory shared by the figures (read it; copy before writing). */
  readonly dataset: string;
  /** The same dataset's scale, size and seed timing. */
  readonly data: BenchDataset;
}

/** Percentile of sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Runs `fn` `count` times and answers operations per second. */
export async function ratePerSecond(count: number, fn: (i: number) => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await fn(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}
