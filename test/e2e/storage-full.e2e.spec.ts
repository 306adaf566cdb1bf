/**
 * A full disk: writes answer 507 problem+json with Retry-After, /health turns 503 and names the
 * store until a write succeeds again, the server keeps running, nothing is half written (the
 * failed registration is not there, its retry lands once, the hash chains verify), and writes
 * resume once space returns. Twice: on a real full file system (a small tmpfs, when this runs
 * as root and may mount one) with the compiled server, and everywhere with SQLite's
 * max_page_count capping the server's own connections in process.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { EVENT_STORE } from '../../src/event-sourcing/ports/event-store.port.js';
import { READ_STORE } from '../../src/event-sourcing/ports/read-store.port.js';
import { PERSONAL_DATA_VAULT } from '../../src/event-sourcing/ports/personal-data-vault.port.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { ACTORS } from '../support/fixtures.js';
import { expectNoStackTrace, groupBody } from '../support/e2e-kit.js';
import {
  httpRequest,
  signTestToken,
  TEST_CLOCK,
  TEST_JWT_SECRET,
  type HttpResponse,
} from '../support/http-app.js';
import { runNode } from '../support/run-process.js';
import { COMPILED_MAIN, requireCompiledServer, startServer } from '../support/spawned-server.js';
import { waitUntil } from '../support/wait.js';

/** A server whose disk can be filled and freed again. */
interface FullDiskHarness {
  readonly baseUrl: string;
  readonly dataDir: string;
  fill(): void;
  free(): void;
  running(): boolean;
  /** A graceful stop; the data stays for the checks after it. */
  stop(): Promise<void>;
}

const committee = ACTORS.shanghaiXincunCommittee;

function register(h: FullDiskHarness, token: string, key: string): Promise<HttpResponse> {
  return httpRequest(h.baseUrl, 'POST', '/organizations', {
    token,
    body: groupBody(),
    headers: { 'idempotency-key': key },
  });
}

async function fullDiskScenario(h: FullDiskHarness): Promise<void> {
  const token = await signTestToken(committee.role, committee.jurisdiction, { sub: committee.id });
  const auditor = await signTestToken('auditor', ACTORS.auditor.jurisdiction, {
    sub: ACTORS.auditor.id,
  });
  for (const key of ['before-1', 'before-2'])
    expect((await register(h, token, key)).status).toBe(201);

  h.fill();
  // What still fits in pages or WAL frames SQLite already holds is written (and acknowledged
  // only once durable); the first write that needs more space must be refused whole.
  let refused: HttpResponse | undefined;
  let refusedKey = '';
  let headBefore = -1;
  for (let i = 0; i < 200 && refused === undefined; i++) {
    headBefore = (await httpRequest(h.baseUrl, 'GET', '/health')).body.eventStore.headPosition;
    const key = `while-full-${String(i)}`;
    const answer = await register(h, token, key);
    if (answer.status === 507) {
      refused = answer;
      refusedKey = key;
    } else expect(answer.status).toBe(201);
  }
  if (!refused) throw new Error('200 registrations fitted on the full disk');

  expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(refused.headers.get('retry-after')).toBe('60');
  expect(refused.body).toEqual(
    expect.objectContaining({
      status: 507,
      title: 'Insufficient storage',
      type: 'urn:community-orgs:problem:storage-full',
      detail: expect.stringMatching(/full.*nothing was written/i),
    }),
  );
  expectNoStackTrace(refused.text);

  const health = await httpRequest(h.baseUrl, 'GET', '/health');
  expect(health.status).toBe(503);
  expect(health.body.status).toBe('storage-unavailable');
  expect(health.body.storage).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        problem: 'full',
        store: expect.any(String),
        operation: expect.any(String),
        since: expect.any(String),
      }),
    ]),
  );
  // No event of the refused registration is readable: the log is where it was, or holds at
  // most a name reservation (taken before the organization's own append, released or
  // abandoned as after a crash), never the organization.
  const headAfter = health.body.eventStore.headPosition as number;
  expect(headAfter - headBefore).toBeLessThanOrEqual(1);
  // Still refused while full; the process did not die.
  expect((await register(h, token, 'still-full')).status).toBe(507);
  expect(h.running()).toBe(true);

  h.free();
  const retried = await register(h, token, refusedKey);
  expect(retried.status).toBe(201);
  expect(retried.headers.get('idempotent-replayed')).toBeNull();
  const id = retried.body.id as string;
  // The projections retry their commit every second; every fault clears once its write works.
  await waitUntil(
    'health back to ok',
    async () => {
      const res = await httpRequest(h.baseUrl, 'GET', '/health');
      return res.status === 200 && res.body.status === 'ok' && res.body.storage === undefined;
    },
    20_000,
    { pollMs: 100 },
  );
  const org = await httpRequest(h.baseUrl, 'GET', `/organizations/${id}`, { token: auditor });
  expect(org.status).toBe(200);
  expect(org.body.revision).toBe(0);
  expect(h.running()).toBe(true);

  await h.stop();
  // The refused registration left nothing of its own: its retry is the stream's only command.
  const store = SqliteEventStore.open(join(h.dataDir, 'events.sqlite'));
  try {
    const stream = [];
    for await (const event of store.readStream(`organization-${id}`)) stream.push(event.type);
    expect(stream).toEqual(['OrganizationRegistered']);
  } finally {
    await store.close();
  }
  const verify = await runNode(join(COMPILED_MAIN, '..', 'cli', 'audit.js'), ['verify'], {
    DATA_DIR: h.dataDir,
  });
  expect(verify.code).toBe(0);
  expect(verify.stdout).toMatch(/audit verify: ok, \d+ events .* 0 broken/);
}

/** Fills the file system of `dir` with one file until ENOSPC; answers the file. */
function fillFileSystem(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return filler;
}

/** Whether this process may mount a tmpfs (root in a container that allows it). */
function mountTmpfs(dir: string, size: string): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const tmpfsDir = mkdtempSync(join(tmpdir(), 'community-orgs-tmpfs-'));
const tmpfs = mountTmpfs(tmpfsDir, '16m');
if (!tmpfs) rmSync(tmpfsDir, { recursive: true, force: true });

(tmpfs ? describe : describe.skip)('a full file system (tmpfs, compiled server)', () => {
  if (!tmpfs)
    console.warn('!!! SKIPPED the tmpfs full-disk test: not root, or mount is not permitted');

  afterAll(() => {
    execFileSync('umount', [tmpfsDir]);
    rmSync(tmpfsDir, { recursive: true, force: true });
  });

  it('answers 507, shows 503 on /health, writes nothing half and recovers', async () => {
    requireCompiledServer();
    const server = await startServer(tmpfsDir);
    let filler: string | undefined;
    const harness: FullDiskHarness = {
      baseUrl: server.baseUrl,
      dataDir: tmpfsDir,
      fill: () => {
        filler = fillFileSystem(tmpfsDir);
      },
      free: () => {
        if (filler) unlinkSync(filler);
      },
      running: () => server.running(),
      stop: () => server.stop(),
    };
    try {
      await fullDiskScenario(harness);
    } catch (error) {
      throw new Error(`${String(error)}\nserver output:\n${server.output()}`, { cause: error });
    } finally {
      await server.kill();
    }
  }, 90_000);
});

/** The application in process, with the stores' own write connections (to cap them). */
async function startInProcess(dataDir: string): Promise<{
  app: NestFastifyApplication;
  baseUrl: string;
  connections: Record<'events' | 'reads' | 'keys', Database.Database>;
}> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
  });
  const app = await createApp({ config, clock: TEST_CLOCK });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  // Fault injection: max_page_count is per connection, so it must be the stores' own ones
  // (private fields, read through the ports).
  const db = (token: symbol): Database.Database =>
    Reflect.get(app.get<object>(token), 'db') as Database.Database;
  return {
    app,
    baseUrl: `http://127.0.0.1:${String(address.port)}`,
    connections: { events: db(EVENT_STORE), reads: db(READ_STORE), keys: db(PERSONAL_DATA_VAULT) },
  };
}

/** Caps the database at its current size: any write that needs a new page fails SQLITE_FULL. */
const cap = (db: Database.Database): void => {
  db.pragma(`max_page_count = ${String(db.pragma('page_count', { simple: true }))}`);
};
const uncap = (db: Database.Database): void => {
  db.pragma('max_page_count = 4294967294');
};

describe('a full database (max_page_count on the server connections)', () => {
  let app: NestFastifyApplication | undefined;
  const dirs: string[] = [];
  const freshDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'community-orgs-full-'));
    dirs.push(dir);
    return dir;
  };

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 507, shows 503 on /health, writes nothing half and recovers', async () => {
    const dataDir = freshDir();
    const started = await startInProcess(dataDir);
    app = started.app;
    const all = Object.values(started.connections);
    let closed = false;
    await fullDiskScenario({
      baseUrl: started.baseUrl,
      dataDir,
      fill: () => {
        all.forEach(cap);
      },
      free: () => {
        all.forEach(uncap);
      },
      running: () => !closed,
      stop: async () => {
        closed = true;
        await started.app.close();
        app = undefined;
      },
    });
  }, 60_000);

  it('keeps serving when only the read models are full, shows it on /health, catches up after', async () => {
    const started = await startInProcess(freshDir());
    app = started.app;
    const token = await signTestToken(committee.role, committee.jurisdiction, {
      sub: committee.id,
    });
    const h = { baseUrl: started.baseUrl } as FullDiskHarness;
    expect((await register(h, token, 'first')).status).toBe(201);
    await waitUntil(
      'caught up',
      async () => (await httpRequest(started.baseUrl, 'GET', '/health')).body.status === 'ok',
      10_000,
    );
    cap(started.connections.reads);
    // The log takes the writes; the projection runner's commit is what fails (once the pages it
    // already has are full), and is retried.
    let written = 0;
    const faulty = await waitUntil(
      'health to show the read store full',
      async () => {
        const res = await httpRequest(started.baseUrl, 'GET', '/health');
        if (res.status === 503) return res;
        expect((await register(h, token, `more-${String(written++)}`)).status).toBe(201);
        return undefined;
      },
      20_000,
      { pollMs: 50 },
    );
    expect(faulty.body).toMatchObject({
      status: 'storage-unavailable',
      storage: [{ store: 'read store', operation: 'commit', problem: 'full' }],
    });
    expect((await register(h, token, 'third')).status).toBe(201);

    uncap(started.connections.reads);
    const healthy = await waitUntil(
      'health back to ok',
      async () => {
        const res = await httpRequest(started.baseUrl, 'GET', '/health');
        return res.status === 200 && res.body.status === 'ok' ? res : undefined;
      },
      15_000,
      { pollMs: 100 },
    );
    expect(healthy.body.storage).toBeUndefined();
    for (const projection of healthy.body.projections as { checkpoint: number }[])
      expect(projection.checkpoint).toBe(healthy.body.eventStore.headPosition);
  }, 60_000);
});
