/**
 * A Kafka broker of the test's own, for an outage: started by scripts/services/services.mjs
 * (the same jars and settings as the shared broker) on free ports, with a runtime folder of its
 * own (XDG_RUNTIME_DIR), so stopping it leaves the shared broker and the other test files alone.
 *
 * `npm run services -- stop` deletes a broker's data, which no real outage does; so the outage
 * stops the broker's process (SIGTERM) and starts it again with the same command line (read from
 * /proc) on the same data. `destroy()` then stops it through the script, which removes it all.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../../../bench/free-port.js';
import { sleep, waitUntil } from '../../support/wait.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SERVICES = join(ROOT, 'scripts', 'services', 'services.mjs');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function runServices(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVICES, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`services ${args.join(' ')} exited ${String(code)}:\n${stderr}`));
    });
  });
}

export class SecondBroker {
  private command: string[] | undefined;

  private constructor(
    private readonly runtime: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly brokers: string[],
  ) {}

  static async start(): Promise<SecondBroker> {
    const runtime = mkdtempSync(join(tmpdir(), 'gateway-outage-broker-'));
    const port = await freePort();
    let controller = await freePort();
    while (controller === port) controller = await freePort();
    const env = {
      ...process.env,
      XDG_RUNTIME_DIR: runtime,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controller),
    };
    try {
      const out = await runServices(['start', 'kafka'], env);
      const line = /^KAFKA_BROKERS=(.+)$/m.exec(out)?.[1];
      if (line === undefined) throw new Error(`no KAFKA_BROKERS line in:\n${out}`);
      return new SecondBroker(runtime, env, line.trim().split(','));
    } catch (error) {
      await runServices(['stop', 'kafka'], env).catch(() => undefined);
      rmSync(runtime, { recursive: true, force: true });
      throw error;
    }
  }

  private get dir(): string {
    return join(this.runtime, 'community-orgs-services', 'kafka');
  }

  private pid(): number {
    return Number(readFileSync(join(this.dir, 'pid'), 'utf8').trim());
  }

  /** Stops the broker's process (SIGTERM: a controlled shutdown, SIGKILL: a crash); data stays. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const pid = this.pid();
    this.command ??= readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    process.kill(pid, signal);
    const deadline = Date.now() + 20_000;
    while (alive(pid)) {
      if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
      await sleep(50);
    }
  }

  /** Starts the stopped broker again on the same data and ports; resolves once it serves. */
  async restart(timeoutMs = 60_000): Promise<void> {
    const [cmd, ...args] = this.command ?? [];
    if (cmd === undefined) throw new Error('restart() before stop()');
    const log = openSync(join(this.dir, 'server.log'), 'a');
    const child = spawn(cmd, args, {
      cwd: this.dir,
      env: this.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    child.unref();
    // Where `npm run services -- stop` looks for the process (destroy).
    writeFileSync(join(this.dir, 'pid'), `${String(child.pid)}\n`);
    const admin = new Kafka({
      clientId: 'gateway-tests-outage',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await waitUntil(
      'the broker to restart',
      async () => {
        try {
          await admin.connect();
          const cluster = await admin.describeCluster();
          if (cluster.brokers.length > 0) return true;
        } catch {
          // not up yet
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
        if (child.pid === undefined || !alive(child.pid)) {
          throw new Error(`the broker exited during restart; see ${join(this.dir, 'server.log')}`);
        }
        return false;
      },
      timeoutMs,
      { pollMs: 200 },
    );
  }

  /** Stops it through the services script (which deletes its data) and removes the folder. */
  async destroy(): Promise<void> {
    await runServices(['stop', 'kafka'], this.env).catch(() => undefined);
    rmSync(this.runtime, { recursive: true, force: true });
  }
}
