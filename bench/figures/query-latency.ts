import { percentile, type BenchOptions, type Figure } from '../figure.js';
import { REGISTRY_PATHS, STATISTICS_PATHS, timedGet } from '../query-load.js';
import { startServerProcess } from '../server-process.js';

const GOAL_MS = 10;

/**
 * Latency of the public read routes on the seeded dataset (read models built), measured over
 * HTTP on loopback against the compiled server in its own process, one request at a time, beside
 * the liveness route of the same server (no store touched).
 */
export async function queryLatency({ quick, data }: BenchOptions): Promise<Figure[]> {
  const server = await startServerProcess(data.dir);
  try {
    const n = quick ? 300 : 1200;
    // Slow routes at city scale would take many minutes for n samples: each group also stops
    // after its time budget, once every path was sampled a few times.
    const budgetMs = quick ? 10_000 : 60_000;
    const live = await sample(server.baseUrl, ['/health/live'], n, budgetMs);
    const registry = await sample(server.baseUrl, REGISTRY_PATHS, n, budgetMs);
    const statistics = await sample(server.baseUrl, STATISTICS_PATHS, n, budgetMs);
    return [
      figure(`registry query (${data.scale})`, registry, live),
      figure(`statistics query (${data.scale})`, statistics, live),
    ];
  } finally {
    await server.stop();
  }
}

function figure(name: string, samples: number[], live: number[]): Figure {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  const baselineValue = percentile(live, 95);
  return {
    name: `${name} latency p95 (p50 ${p50.toFixed(2)} ms, ${samples.length.toLocaleString('en')} requests)`,
    value: p95,
    unit: 'ms',
    baseline: `GET /health/live p95, same server (p50 ${percentile(live, 50).toFixed(2)} ms)`,
    baselineValue,
    ratio: p95 / baselineValue,
    goal: `p95 < ${String(GOAL_MS)} ms`,
    met: p95 < GOAL_MS,
  };
}

/**
 * Round-robin over the paths, one request at a time, `n` requests or as many whole rounds as fit
 * in the budget (at least three); answers sorted latencies in ms.
 */
async function sample(
  base: string,
  paths: readonly string[],
  n: number,
  budgetMs: number,
): Promise<number[]> {
  // The first rounds warm caches and the JIT.
  for (let i = 0; i < 3 * paths.length; i++) await timedGet(base, paths[i % paths.length] ?? '/');
  const latencies: number[] = [];
  const deadline = Date.now() + budgetMs;
  for (let i = 0; i < n; i++) {
    if (i % paths.length === 0 && i >= 3 * paths.length && Date.now() > deadline) break;
    latencies.push(await timedGet(base, paths[i % paths.length] ?? '/'));
  }
  return latencies.sort((a, b) => a - b);
}
