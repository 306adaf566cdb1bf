import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions, Figure } from '../figure.js';
import { signToken } from '../../src/http/auth/jwt.js';
import {
  HEAVY_PATHS,
  organizationReads,
  queryLoad,
  REGISTRY_PATHS,
  STATISTICS_PATHS,
} from '../query-load.js';
import { BENCH_JWT_SECRET, startServerProcess } from '../server-process.js';

const GOAL_MB = 300;
/**
 * Organizations opened at city scale (of ~73,600), far more than the stream cache keeps within
 * its default STREAM_CACHE_MB: every one of a smaller dataset.
 */
const OPENED = 50_000;

/**
 * Peak resident memory (VmHWM) of the compiled server holding the dataset and answering read
 * load (registry pages, statistics, the CSV export of the whole registry, four requests at a
 * time, then up to 50,000 organizations opened by a city user, every one of a smaller dataset:
 * the stream cache is bounded by bytes), beside the same server under the same load on an empty
 * data directory. The server reads
 * the cached dataset in place: queries write nothing but the projection runner's lease row.
 */
export async function serverMemory({ quick, workDir, data }: BenchOptions): Promise<Figure> {
  const paths = [...REGISTRY_PATHS, ...STATISTICS_PATHS, ...HEAVY_PATHS];
  const rounds = quick ? 2 : 3;
  const token = await signToken(
    BENCH_JWT_SECRET,
    { id: 'bench-city', role: 'city', jurisdiction: '310000' },
    '2h',
  );
  const measure = async (
    dataDir: string,
  ): Promise<{
    peak: number;
    started: number;
    afterReads: number;
    opened: number;
    cache: string;
  }> => {
    // STREAM_CACHE_MB=16 npm run bench -- --only memory: the figure with another budget.
    const budget = process.env['STREAM_CACHE_MB'];
    const server = await startServerProcess(dataDir, budget ? { STREAM_CACHE_MB: budget } : {});
    try {
      const started = server.rssMB();
      await queryLoad(server.baseUrl, paths, 4, rounds, quick ? 10_000 : 60_000);
      const afterReads = server.peakRssMB();
      // At city, several times what the server's stream cache holds (64 MiB by default).
      const opened = await organizationReads(
        server.baseUrl,
        token,
        quick ? 1000 : OPENED,
        4,
        quick ? 10_000 : 600_000,
      );
      return {
        peak: server.peakRssMB(),
        started,
        afterReads,
        opened,
        cache: await streamCache(server.baseUrl),
      };
    } finally {
      await server.stop();
    }
  };
  const empty = join(workDir, 'empty');
  mkdirSync(empty);
  const baseline = await measure(empty);
  const loaded = await measure(data.dir);
  return {
    name: `server peak RSS (VmHWM) with the ${data.scale} dataset under read load, ${loaded.opened.toLocaleString('en')} organizations opened (${Math.round(loaded.started).toString()} MB after start, peak ${Math.round(loaded.afterReads).toString()} MB before opening them; stream cache then ${loaded.cache})`,
    value: loaded.peak,
    unit: 'MB',
    baseline: `same server and load on an empty data directory (${Math.round(baseline.started).toString()} MB after start)`,
    baselineValue: baseline.peak,
    ratio: loaded.peak / baseline.peak,
    goal: `< ${String(GOAL_MB)} MB`,
    met: loaded.peak < GOAL_MB,
  };
}

/** The stream cache as /metrics shows it: estimated MB against the budget, entries, evictions. */
async function streamCache(base: string): Promise<string> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const gauge = (name: string): number =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
  return `${mb(gauge('registry_stream_cache_bytes'))} of ${mb(gauge('registry_stream_cache_budget_bytes'))} MiB, ${gauge('registry_stream_cache_entries').toLocaleString('en')} streams, ${gauge('registry_stream_cache_evictions_total').toLocaleString('en')} evicted`;
}
