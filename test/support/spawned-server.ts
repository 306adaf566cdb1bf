/**
 * Runs the compiled server (`node dist/src/main.js`) as a child process on a free loopback port,
 * for tests that must kill it (SIGKILL) and start it again on the same DATA_DIR, or run several
 * at once.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bench/free-port.js';
import { httpRequest, TEST_JWT_SECRET, type HttpResponse } from './http-app.js';
import { TEST_PERSONAL_DATA_KEK } from './personal-data-kek.js';
import { waitUntil } from './wait.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COMPILED_MAIN = join(ROOT, 'dist', 'src', 'main.js');

export function requireCompiledServer(): void {
  if (!existsSync(COMPILED_MAIN)) {
    throw new Error(`${COMPILED_MAIN} is missing: run \`npm run build\` before these tests`);
  }
}

export interface SpawnOptions {
  readonly dataDir: string;
  /** Variables on top of the test defaults (PUBLISHER, READ_STORE, LEASE_SECONDS, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** The port to listen on (a free one when not given). */
  readonly port?: number;
  /** How long `ready` waits for the server to start. */
  readonly timeoutMs?: number;
  /** What /health must answer for the server to count as started (status 200). */
  readonly isReady?: (health: HttpResponse) => boolean;
  /** How long `stop` waits after SIGTERM before it sends SIGKILL. */
  readonly stopGraceMs?: number;
}

export interface SpawnedServer {
  readonly baseUrl: string;
  readonly pid: number;
  /** Resolves once started; rejects if it exits first or the timeout passes (still running). */
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  running(): boolean;
  /** Everything the process wrote so far (for failure messages). */
  output(): string;
  /** SIGKILL: no shutdown hook, no flush, like a power cut of the process. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM), SIGKILL after the grace period. */
  stop(): Promise<void>;
}

/** Starts the server and answers at once, so a test can kill it at any moment of its start. */
export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  requireCompiledServer();
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [COMPILED_MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
      PERSONAL_DATA_KEK: TEST_PERSONAL_DATA_KEK,
      LOG_LEVEL: 'warn',
      // Load and fault tests send more than a person would; the limits have their own test.
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_PUBLIC_PER_MINUTE: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const life = { running: true };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      life.running = false;
      resolve();
    });
  });
  const kill = async (): Promise<void> => {
    if (life.running) child.kill('SIGKILL');
    await exited;
  };
  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const isReady = options.isReady ?? ((health: HttpResponse) => health.status === 200);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const ready = waitUntil(
    () => `the server to answer /health:\n${output}`,
    async () => {
      if (!life.running) return 'exited';
      try {
        return isReady(await httpRequest(baseUrl, 'GET', '/health')) ? 'started' : undefined;
      } catch {
        return undefined; // not listening yet
      }
    },
    timeoutMs,
    { pollMs: 25 },
  ).then((started) => {
    if (started === 'exited') throw new Error(`the server exited during start:\n${output}`);
  });
  ready.catch(() => undefined); // observed by whoever awaits it
  const stopGraceMs = options.stopGraceMs ?? 5000;
  return {
    baseUrl,
    pid: child.pid ?? -1,
    ready,
    exited,
    running: () => life.running,
    output: () => output,
    kill,
    async stop() {
      if (life.running) child.kill('SIGTERM');
      const timer = setTimeout(() => void kill(), stopGraceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts the server on DATA_DIR and resolves once /health answers (kills it if it does not). */
export async function startServer(dataDir: string, timeoutMs = 15_000): Promise<SpawnedServer> {
  const server = await spawnServer({ dataDir, timeoutMs });
  try {
    await server.ready;
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}
