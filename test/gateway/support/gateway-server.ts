/**
 * Runs the compiled server (`node dist/src/main.js`) with PUBLISHER=kafka as a child process on a
 * DATA_DIR, so a test can kill it with SIGKILL mid-stream and start it again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { httpRequest, type HttpResponse } from '../../support/http-app.js';
import { spawnServer, type SpawnedServer } from '../../support/spawned-server.js';
import { GATEWAY_CHECKPOINT } from '../../../src/gateway/kafka-gateway.js';

export interface GatewayServerOptions {
  readonly dataDir: string;
  readonly brokers: readonly string[];
  readonly topic: string;
}

export interface GatewayServer extends SpawnedServer {
  get(path: string): Promise<HttpResponse>;
}

/** The server with PUBLISHER=kafka; `ready` resolves once /health answers 200. */
export async function spawnGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const server = await spawnServer({
    dataDir: options.dataDir,
    env: {
      PUBLISHER: 'kafka',
      KAFKA_BROKERS: options.brokers.join(','),
      KAFKA_TOPIC: options.topic,
    },
  });
  return { ...server, get: (path) => httpRequest(server.baseUrl, 'GET', path) };
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
