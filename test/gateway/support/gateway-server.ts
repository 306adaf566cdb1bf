/**
 * Runs the compiled server (`node dist/src/main.js`) with PUBLISHER=kafka as a child process on a
 * DATA_DIR, so a test can kill it with SIGKILL mid-stream and start it again.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { httpRequest, TEST_JWT_SECRET, type HttpResponse } from '../../support/http-app.js';
import { COMPILED_MAIN, freePort, requireCompiledServer } from '../../support/spawned-server.js';
import { GATEWAY_CHECKPOINT } from '../../../src/gateway/kafka-gateway.js';

export interface GatewayServerOptions {
  readonly dataDir: string;
  readonly brokers: readonly string[];
  readonly topic: string;
}

export interface GatewayServer {
  readonly baseUrl: string;
  output(): string;
  running(): boolean;
  /** Resolves once /health answers 200. */
  ready(timeoutMs?: number): Promise<void>;
  get(path: string): Promise<HttpResponse>;
  /** SIGKILL: no shutdown hook, nothing flushed. */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export async function spawnGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  requireCompiledServer();
  const port = await freePort();
  const child = spawn(process.execPath, [COMPILED_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      PUBLISHER: 'kafka',
      KAFKA_BROKERS: options.brokers.join(','),
      KAFKA_TOPIC: options.topic,
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
  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const kill = async (): Promise<void> => {
    if (life.running) child.kill('SIGKILL');
    await exited;
  };
  return {
    baseUrl,
    output: () => output,
    running: () => life.running,
    async ready(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!life.running) throw new Error(`the server exited during start:\n${output}`);
        try {
          if ((await httpRequest(baseUrl, 'GET', '/health')).status === 200) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) {
          await kill();
          throw new Error(`the server did not answer /health in ${timeoutMs} ms:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    get: (path) => httpRequest(baseUrl, 'GET', path),
    kill,
    async stop() {
      if (life.running) child.kill('SIGTERM');
      const timer = setTimeout(() => void kill(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Reads the gateway's checkpoint and the log's head straight from the DATA_DIR's SQLite files
 * (read-only), as fast as a test needs to catch the gateway mid-stream.
 */
export class CheckpointProbe {
  private reads: Database.Database | undefined;
  private events: Database.Database | undefined;

  constructor(private readonly dataDir: string) {}

  /** The gateway's committed checkpoint (0 before its first commit). */
  checkpoint(): number {
    const file = join(this.dataDir, 'read-models.sqlite');
    if (!this.reads) {
      if (!existsSync(file)) return 0;
      this.reads = new Database(file, { readonly: true, fileMustExist: true });
    }
    try {
      const row = this.reads
        .prepare('SELECT position FROM checkpoints WHERE name = ?')
        .get(GATEWAY_CHECKPOINT) as { position: number } | undefined;
      return row?.position ?? 0;
    } catch {
      return 0; // the table is not created yet
    }
  }

  head(): number {
    this.events ??= new Database(join(this.dataDir, 'events.sqlite'), {
      readonly: true,
      fileMustExist: true,
    });
    const row = this.events
      .prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events')
      .get() as { head: number };
    return row.head;
  }

  close(): void {
    this.reads?.close();
    this.events?.close();
    this.reads = undefined;
    this.events = undefined;
  }
}
