import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/divisions/load-divisions.js';
import { freePort } from './free-port.js';
import { KeyEncryptionKey } from '../src/adapters/personal-data/key-encryption-key.js';

/**
 * A JWT secret of this bench run's own: the bench mints its tokens with it, in-process, and the
 * production server refuses a secret published in the repository.
 */
export const BENCH_JWT_SECRET = randomBytes(48).toString('base64');
/**
 * The file holding the key-encryption key of a bench data directory: beside it (`<dir>.kek`,
 * 0600), never in it, as the server requires of PERSONAL_DATA_KEK_FILE — a copy of the data
 * must not carry the key that unlocks it. Generated (base64 of 32 random bytes) with the
 * dataset; the synthetic data's keys are wrapped with it, and the production server the figures
 * start is handed it like an operator's key. No key is published: production refuses those.
 */
export function benchKekFile(dir: string): string {
  const file = `${dir.replace(/\/+$/, '')}.kek`;
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return file;
}

export function benchKek(dir: string): KeyEncryptionKey {
  const file = benchKekFile(dir);
  const kek = KeyEncryptionKey.fromBase64(readFileSync(file, 'utf8').trim());
  if (!kek) throw new Error(`${file} holds no key`);
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
 * The HTTP writes' baseline route (`bench/baseline-write-server.ts`) in its own process on
 * DATA_DIR, started and stopped like the server.
 */
export function startBaselineWriteServer(dataDir: string): Promise<ServerProcess> {
  return startServerProcess(dataDir, {}, 60_000, ['dist', 'bench', 'baseline-write-server.js']);
}

/**
 * Starts `node dist/src/main.js` (or another `script` of the project) on DATA_DIR and waits until /health answers ok, that is until
 * the read models caught up with the log, so that nothing measured afterwards races a catch-up.
 */
export async function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
  timeoutMs = 600_000,
  script: readonly string[] = ['dist', 'src', 'main.js'],
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(projectRoot(), ...script)], {
    cwd: projectRoot(),
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      JWT_SECRET: BENCH_JWT_SECRET,
      // The bench signs its own HS256 tokens; production would take them from OIDC_ISSUER.
      ALLOW_HS256_IN_PRODUCTION: 'true',
      // The data directory's own key (a figure on a copy passes its dataset's in `env`).
      PERSONAL_DATA_KEK_FILE: benchKekFile(dataDir),
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
    if (!life.running) {
      throw new Error(`the server exited during start:\n${output}`);
    }
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
