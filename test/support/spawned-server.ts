/**
 * Runs the compiled server (`node dist/src/main.js`) as a child process on a free loopback port,
 * for tests that must kill it (SIGKILL) and start it again on the same DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpRequest, TEST_JWT_SECRET } from './http-app.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COMPILED_MAIN = join(ROOT, 'dist', 'src', 'main.js');

export function requireCompiledServer(): void {
  if (!existsSync(COMPILED_MAIN)) {
    throw new Error(`${COMPILED_MAIN} is missing: run \`npm run build\` before these tests`);
  }
}

/** A port that was free a moment ago: bind port 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export interface SpawnedServer {
  readonly baseUrl: string;
  readonly pid: number;
  /** Everything the process wrote so far (for failure messages). */
  output(): string;
  /** SIGKILL: no shutdown hook, no flush, like a power cut of the process. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM), for the end of a test. */
  stop(): Promise<void>;
}

export async function startServer(dataDir: string, timeoutMs = 15_000): Promise<SpawnedServer> {
  requireCompiledServer();
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [COMPILED_MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const life = { running: true };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      life.running = false;
      resolve();
    });
  });

  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!life.running) throw new Error(`the server exited during start:\n${output}`);
    try {
      const res = await httpRequest(baseUrl, 'GET', '/health');
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `the server did not answer /health within ${String(timeoutMs)} ms:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const kill = async (): Promise<void> => {
    if (life.running) child.kill('SIGKILL');
    await exited;
  };
  return {
    baseUrl,
    pid: child.pid ?? -1,
    output: () => output,
    kill,
    async stop() {
      if (life.running) child.kill('SIGTERM');
      const timer = setTimeout(() => void kill(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
