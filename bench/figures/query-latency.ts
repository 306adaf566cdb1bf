import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { percentile, type BenchOptions, type Figure } from '../figure.js';

interface Health {
  status: string;
}

/**
 * Latency of the public read routes on the seeded dataset, measured over HTTP on loopback one
 * request at a time, beside the liveness route of the same server (no store touched).
 */
export async function queryLatency({ quick, dataset }: BenchOptions): Promise<Figure[]> {
  const app = await createApp({
    config: loadConfig({ DATA_DIR: dataset, LOG_LEVEL: 'silent', PORT: '0' }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    // The read models are built on first start: wait until they caught up with the log.
    for (let i = 0; i < 3600; i++) {
      const health = (await (await fetch(`${base}/health`)).json()) as Health;
      if (health.status === 'ok') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const n = quick ? 200 : 1000;
    const live = await sample(base, ['/health/live'], n);
    const registry = await sample(
      base,
      [
        '/registry',
        '/registry?district=310104',
        '/registry?district=310104&tier=team&page=3',
        '/registry?category=charity&status=active&pageSize=50',
        '/registry?q=%E4%B9%A6%E7%94%BB',
        '/registry?street=310104003&tier=group',
      ],
      n,
    );
    const statistics = await sample(
      base,
      [
        '/statistics/overview',
        '/statistics/overview?district=310104',
        '/statistics/targets?district=310104',
        '/statistics/targets',
        '/statistics/timeline',
        '/statistics/funding',
      ],
      n,
    );
    const p95Live = percentile(live, 95);
    return [
      figure('registry query', registry, p95Live),
      figure('statistics query', statistics, p95Live),
    ];
  } finally {
    await app.close();
  }
}

function figure(name: string, samples: number[], baselineValue: number): Figure {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  return {
    name: `${name} latency p95 (p50 ${p50.toFixed(2)} ms)`,
    value: p95,
    unit: 'ms',
    baseline: 'liveness route p95, same server',
    baselineValue,
    ratio: p95 / baselineValue,
    goal: 'p95 < 10 ms',
    met: p95 < 10,
  };
}

/** Round-robin over the paths, one request at a time; answers sorted latencies in ms. */
async function sample(base: string, paths: readonly string[], n: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < n + 20; i++) {
    const path = paths[i % paths.length] ?? '/';
    const start = process.hrtime.bigint();
    const response = await fetch(base + path);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    // The first rounds warm caches and the JIT.
    if (i >= 20) latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return latencies.sort((a, b) => a - b);
}
