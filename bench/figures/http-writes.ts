import { execFile } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signToken } from '../../src/http/auth/jwt.js';
import { projectRoot } from '../../src/divisions/load-divisions.js';
import type { BenchOptions, Figure } from '../figure.js';
import type { LoadPlan, LoadResult } from '../load-driver.js';
import {
  BENCH_JWT_SECRET,
  benchKekFile,
  startBaselineWriteServer,
  startServerProcess,
} from '../server-process.js';

const run = promisify(execFile);

/** 徐汇区 天平路街道 上海新村居委会: the committee registers its groups (DOMAIN.md §4). */
const PLACE = { district: '310104', street: '310104003', community: '310104003001' } as const;

/** Concurrent connections of both runs: enough to keep two cores busy, few enough for p99. */
const CONNECTIONS = 10;

/**
 * HTTP writes under load: the compiled server (`npm start`, synchronous=FULL as shipped) on a
 * copy of the dataset, driven by autocannon from a second process, against the least durable
 * write route on the same stack (`bench/baseline-write-server.ts`: Fastify, the same body, one
 * event appended through the same event store, no auth, no validation) in a process of its own
 * on another copy, at the same connection count. The liveness route (no store touched) is
 * measured too, for information: the rate and latency the stack itself allows.
 */
export async function httpWrites({ quick, workDir, dataset }: BenchOptions): Promise<Figure[]> {
  // Writes change the log: work on copies so the cached dataset stays as seeded.
  const dataDir = copyDataset(dataset, join(workDir, 'data'), [
    'events.sqlite',
    'personal-data-keys.sqlite',
    'read-models.sqlite',
  ]);
  const baselineDir = copyDataset(dataset, join(workDir, 'baseline'), ['events.sqlite']);
  // The copy's personal-data keys are wrapped with the dataset's key.
  const server = await startServerProcess(dataDir, {
    PERSONAL_DATA_KEK_FILE: benchKekFile(dataset),
  });
  const baselineServer = await startBaselineWriteServer(baselineDir).catch(
    async (error: unknown) => {
      await server.stop();
      throw error;
    },
  );
  try {
    const token = await signToken(
      BENCH_JWT_SECRET,
      { id: 'bench-committee', role: 'committee', jurisdiction: PLACE.community },
      '2h',
    );
    const seconds = quick ? 4 : 15;
    const drive = (url: string, kind: LoadPlan['kind'], duration: number): Promise<LoadResult> =>
      driveLoad({ url, kind, connections: CONNECTIONS, seconds: duration, token, place: PLACE });
    // Warm the JIT, the caches and SQLite's pages on every route before measuring.
    await drive(server.baseUrl, 'live', 2);
    await drive(baselineServer.baseUrl, 'register', 2);
    await drive(server.baseUrl, 'register', 2);
    const live = await drive(server.baseUrl, 'live', seconds);
    const baseline = await drive(baselineServer.baseUrl, 'register', seconds);
    const writes = await drive(server.baseUrl, 'register', seconds);
    const ratio = writes.perSecond / baseline.perSecond;
    const load = `${String(CONNECTIONS)} connections, autocannon in a second process`;
    const name = `HTTP writes, POST /organizations (${writes.requests.toLocaleString('en')} in ${String(seconds)} s, ${load})`;
    return [
      {
        name,
        value: writes.perSecond,
        unit: 'writes/s',
        baseline: `minimal durable write route, same stack, body and load (p50 ${String(baseline.p50)} ms, p99 ${String(baseline.p99)} ms)`,
        baselineValue: baseline.perSecond,
        ratio,
        goal: 'ratio >= 0.5',
        met: ratio >= 0.5,
      },
      {
        name: `HTTP write latency p99 at that load (p50 ${String(writes.p50)} ms)`,
        value: writes.p99,
        unit: 'ms',
        baseline: 'the minimal durable write route p99, same load',
        baselineValue: baseline.p99,
        ratio: baseline.p99 > 0 ? writes.p99 / baseline.p99 : Number.POSITIVE_INFINITY,
        goal: 'p99 < 25 ms',
        met: writes.p99 < 25,
      },
      {
        name: `${name} against the liveness route`,
        value: writes.perSecond,
        unit: 'writes/s',
        baseline: `GET /health/live of the same server, same load (p50 ${String(live.p50)} ms, p99 ${String(live.p99)} ms)`,
        baselineValue: live.perSecond,
        ratio: writes.perSecond / live.perSecond,
        goal: 'for information',
        met: true,
        informational: true,
      },
    ];
  } finally {
    await Promise.all([server.stop(), baselineServer.stop()]);
  }
}

/** Copies some database files of the dataset (with their WAL) into `dir`; answers `dir`. */
function copyDataset(dataset: string, dir: string, files: readonly string[]): string {
  for (const file of files) {
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(join(dataset, file + suffix)))
        cpSync(join(dataset, file + suffix), join(dir, file + suffix));
    }
  }
  return dir;
}

/** Runs the load driver in its own Node process; refuses any answer but 2xx. */
export async function driveLoad(plan: LoadPlan): Promise<LoadResult> {
  const { stdout } = await run(
    process.execPath,
    [join(projectRoot(), 'dist', 'bench', 'load-driver.js'), JSON.stringify(plan)],
    { maxBuffer: 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as LoadResult;
  if (result.non2xx > 0 || result.errors > 0 || result.requests === 0) {
    throw new Error(
      `${plan.kind} load: ${String(result.non2xx)} non-2xx answers, ${String(result.errors)} ` +
        `connection errors (${String(result.timeouts)} timeouts) of ${String(result.requests)}; ` +
        `status codes ${JSON.stringify(result.statusCodes)}; first refusal: ${result.firstRefusal ?? 'none'}`,
    );
  }
  return result;
}
