import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/divisions/load-divisions.js';
import { freePort } from './free-port.js';
import { KeyEncryptionKey } from '../src/adapters/personal-data/key-encryption-key.js';

/** A JWT secret of the benchmarks' own: the bench mints its tokens with it, in-process. */
export const BENCH_JWT_SECRET = 'bench-secret-of-at-least-thirty-two-characters';
/** The key-encryption key of the bench's data (base64 of 32 bytes; published, bench only). */
export const BENCH_PERSONAL_DATA_KEK = 'YmVuY2gtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI=';

export function benchKek(): KeyEncryptionKey {
  const kek = KeyEncryptionKey.fromBase64(BENCH_PERSONAL_DATA_KEK);
  if (!kek) throw new Error('BENCH_PERSONAL_DATA_KEK is not a key');
  return kek;
}

/** The compiled server (`npm start`) running as a child process of the bench. */
export interface ServerProcess {
  readonly baseUrl: string;
  readonly pid: number;
  /** Peak resident set size so far (VmHWM), in MB (10^6 bytes). */
  peakRssMB(): number;
  /** Current resident set size (VmRSS), in MB. */
  rssMB(): number;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/src/main.js` on DATA_DIR and waits until /health answers ok, that is until
 * the read models caught up with the log, so that nothing measured afterwards races a catch-up.
 */
export async function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
  timeoutMs = 600_000,
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'src', 'main.js')], {
    cwd: projectRoot(),
    env: {
      PATH: process.env['PATH'] ?? '',
      // Not production: it refuses the bench's secrets, published in this repository (the
      // dataset's personal-data keys are wrapped with that KEK). Production changes nothing on
      // the paths measured (it only turns off the workbench's development sign-in).
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      JWT_SECRET: BENCH_JWT_SECRET,
      PERSONAL_DATA_KEK: BENCH_PERSONAL_DATA_KEK,
      // A request log line per request would measure pino, not the registry.
      LOG_LEVEL: 'warn',
      // The bench measures the registry's own throughput, not the limits that cap one client.
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_PUBLIC_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const life = { running: true };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      life.running = false;
      resolve();
    });
  });
  const pid = child.pid ?? -1;
  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!life.running) throw new Error(`the server exited during start:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      const body = (await res.json()) as { status?: string };
      if (res.ok && body.status === 'ok') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready within ${String(timeoutMs)} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl,
    pid,
    peakRssMB: () => (statusKiB(pid, 'VmHWM') * 1024) / 1e6,
    rssMB: () => (statusKiB(pid, 'VmRSS') * 1024) / 1e6,
    stop: async () => {
      if (life.running) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A field of /proc/<pid>/status in KiB (Linux). */
function statusKiB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${String(pid)}/status`);
  return Number(match[1]);
}
