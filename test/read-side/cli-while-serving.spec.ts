/**
 * Issue #3: `projections rebuild` and `verify` run against the DATA_DIR of a running server.
 *
 * On a seeded DATA_DIR served by the compiled server, with registrations and grants arriving
 * over HTTP and reads going on all the while: `rebuild` (every read model, then one by name)
 * exits 0 and the server swaps to the new generations (/health names them), no read answers
 * 5xx, the writes made during the rebuilds are all in the new generations, and `verify` exits 0.
 * Right after a swap, the server must not keep reading the generation it swapped out: a read
 * with the `minPosition` of a write must show that write, and two rebuilds of one read model
 * within a second must not leave it reading the generation the second one dropped (a dropped
 * collection reads as empty: 200 with no data). Its catalog lookups are cached for 1 s. A registry document tampered with directly in
 * the read-models file makes `verify` exit 1 naming it; bad usage exits 2 with the usage text.
 *
 * Needs `npm run build` (dist/src/main.js, dist/src/cli/*.js).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createProjections } from '../../projections/index.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import { rebuild } from '../../src/event-sourcing/projection/rebuild.js';
import { groupBody } from '../support/e2e-kit.js';
import { PLACES } from '../support/fixtures.js';
import { httpRequest, signTestToken, type HttpResponse } from '../support/http-app.js';
import { startServer, type SpawnedServer } from '../support/spawned-server.js';
import { sleep, waitUntil } from '../support/wait.js';
import {
  health,
  projectionsCli,
  READ_MODELS,
  readModelsFile,
  seedSmall,
  snapshotReadModels,
  waitCaughtUp,
  type Health,
} from './read-side-kit.js';

const SLOW = 90_000;
/** How long the server reuses a catalog lookup (ReadModelCollections' TTL). */
const CATALOG_CACHE_MS = 1000;

let dataDir = '';
let server: SpawnedServer | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'read-side-cli-'));
  const seeded = await seedSmall(dataDir, 2);
  expect({ code: seeded.code, stderr: seeded.code === 0 ? '' : seeded.stderr }).toEqual({
    code: 0,
    stderr: '',
  });
  server = await startServer(dataDir, 30_000);
  await waitCaughtUp(server.baseUrl, undefined, 60_000);
}, SLOW);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, SLOW);

/**
 * The rebuild the command line runs (`rebuild(...)` of src/projection/rebuild.ts), in-process
 * on the server's files: without a process start it takes a fraction of a second, so a swap
 * can be followed by reads within the server's catalog cache.
 */
async function rebuildInProcess(name: string, times = 1): Promise<string[]> {
  const events = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
  const store = SqliteReadStore.open(readModelsFile(dataDir));
  const projection = createProjections(loadDivisions()).find((p) => p.name === name)!;
  const swaps: string[] = [];
  try {
    for (let i = 0; i < times; i++)
      swaps.push((await rebuild(events, store, projection, () => new Date())).collection);
  } finally {
    await store.close();
    await events.close();
  }
  return swaps;
}

const generationOf = (collection: string): number => Number(/_g(\d+)$/.exec(collection)?.[1]);

function generations(h: Health): Record<string, number> {
  return Object.fromEntries(
    [...h.projections]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((p) => [p.name, generationOf(p.collection)]),
  );
}

/** Polls /health until `done` holds for the generations it shows. */
async function waitForGenerations(
  baseUrl: string,
  done: (g: Record<string, number>) => boolean,
): Promise<Record<string, number>> {
  let g: Record<string, number> = {};
  return waitUntil(
    () => `other generations than ${JSON.stringify(g)}`,
    async () => {
      g = generations(await health(baseUrl));
      return done(g) ? g : undefined;
    },
    20_000,
    { pollMs: 50 },
  );
}

interface Traffic {
  stop(): Promise<void>;
  readonly reads: Array<{ path: string; status: number; at: number; size: number | undefined }>;
  readonly writes: Array<{ path: string; status: number; text: string }>;
  /** Organizations registered (201), with the position each write answered. */
  readonly registered: Array<{ id: string; position: number }>;
}

const READS = [
  '/registry?pageSize=5',
  `/registry?community=${PLACES.huaizhong}&pageSize=1`,
  '/statistics/overview?district=310104',
  '/statistics/targets?district=310151',
  '/statistics/timeline',
  '/statistics/funding',
  '/fundings?pageSize=5',
  '/activity-reports?district=310151&pageSize=5',
  '/registry.csv?district=310151',
  '/health',
];

/**
 * How much an answer holds, for the routes where that can only grow while organizations and
 * grants are added: a swap must never serve a half-built or dropped generation (empty answers).
 */
function sizeOf(path: string, res: HttpResponse): number | undefined {
  if (res.status !== 200) return undefined;
  const body = res.body as Record<string, unknown>;
  if (path.startsWith('/statistics/overview')) return body['total'] as number;
  if (path.startsWith('/statistics/targets'))
    return (body['rural'] as { organizations: number }).organizations;
  if (path.startsWith('/statistics/timeline')) return (body['months'] as unknown[]).length;
  if (path.startsWith('/statistics/funding')) return (body['city'] as unknown[]).length;
  if (path.startsWith('/registry.csv')) return res.text.split('\r\n').length;
  if (path.startsWith('/health')) return undefined;
  return body['total'] as number;
}

/** Registrations and grants in a loop, and two readers cycling through the read routes. */
async function startTraffic(baseUrl: string): Promise<Traffic> {
  const committee = await signTestToken('committee', PLACES.huaizhong, { sub: 'u-huaizhong' });
  const street = await signTestToken('street', PLACES.hunan, { sub: 'u-hunan' });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const state = { running: true };
  const traffic: Traffic = {
    reads: [],
    writes: [],
    registered: [],
    stop: async () => {
      state.running = false;
      await Promise.all(loops);
    },
  };
  const record = (path: string, res: HttpResponse): void => {
    traffic.writes.push({ path, status: res.status, text: res.status >= 300 ? res.text : '' });
  };
  const writer = async (): Promise<void> => {
    for (let i = 0; state.running; i++) {
      const res = await httpRequest(baseUrl, 'POST', '/organizations', {
        token: committee,
        body: groupBody({
          name: `淮中读书会第${i + 1}组`,
          category: 'culture-sports',
          streetCode: PLACES.hunan,
          communityCode: PLACES.huaizhong,
        }),
        headers: { 'idempotency-key': `cli-while-serving-reg-${i}` },
      });
      record('POST /organizations', res);
      if (res.status === 201) {
        traffic.registered.push({
          id: res.body.id as string,
          position: res.body.position as number,
        });
        const path = `/organizations/${res.body.id as string}/fundings`;
        record(
          `POST ${path}`,
          await httpRequest(baseUrl, 'POST', path, {
            token: street,
            body: {
              channel: 'self-governance-fund',
              amountFen: 100_000 + i,
              grantedOn: today,
              funder: { name: '湖南路街道办事处', level: 'street', code: PLACES.hunan },
              programme: '读书会自治项目',
            },
            headers: { 'idempotency-key': `cli-while-serving-fund-${i}` },
          }),
        );
      }
      await sleep(20);
    }
  };
  // Each path has one reader, so its answers come in the order they were read.
  const reader = async (paths: readonly string[]): Promise<void> => {
    for (let i = 0; state.running; i++) {
      const path = paths[i % paths.length]!;
      let status: number;
      let size: number | undefined;
      try {
        const res = await httpRequest(baseUrl, 'GET', path);
        status = res.status;
        size = sizeOf(path, res);
      } catch {
        status = -1; // no answer at all
      }
      traffic.reads.push({ path, status, at: Date.now(), size });
    }
  };
  const half = Math.ceil(READS.length / 2);
  const loops = [writer(), reader(READS.slice(0, half)), reader(READS.slice(half))];
  return traffic;
}

describe('the projections command line while the server serves', () => {
  let traffic: Traffic | undefined;

  afterEach(async () => {
    await traffic?.stop();
    traffic = undefined;
  });

  it(
    'rebuilds all, then one by name, swapping generations under reads and writes',
    async () => {
      const s = server!;
      const before = generations(await health(s.baseUrl));
      expect(Object.keys(before)).toEqual([...READ_MODELS].sort());
      traffic = await startTraffic(s.baseUrl);
      await sleep(300);

      const all = await projectionsCli(dataDir, 'rebuild');
      const allDone = Date.now();
      expect({ code: all.code, stderr: all.code === 0 ? '' : all.stderr }).toEqual({
        code: 0,
        stderr: '',
      });
      expect(all.stdout).toMatch(
        new RegExp(`rebuilt ${String(READ_MODELS.length)} read model\\(s\\)`),
      );
      const afterAll = await waitForGenerations(s.baseUrl, (g) =>
        READ_MODELS.every((name) => (g[name] ?? 0) > (before[name] ?? 0)),
      );

      const one = await projectionsCli(dataDir, 'rebuild', 'registry');
      expect({ code: one.code, stderr: one.code === 0 ? '' : one.stderr }).toEqual({
        code: 0,
        stderr: '',
      });
      expect(one.stdout).toMatch(/rebuilt 1 read model\(s\)/);
      const afterOne = await waitForGenerations(
        s.baseUrl,
        (g) => (g['registry'] ?? 0) > (afterAll['registry'] ?? 0),
      );
      // Only the named one moved.
      expect({ ...afterOne, registry: 0 }).toEqual({ ...afterAll, registry: 0 });
      await sleep(300);
      const t = traffic;
      await t.stop();
      traffic = undefined;

      // Reads kept answering, during the rebuilds and after, and never with a server error.
      expect(t.reads.filter((r) => r.status !== 200)).toEqual([]);
      // Nothing served less than before the rebuilds began (an empty or half-built generation
      // would). Not strictly monotonic: right after a swap a read may come from either side.
      const shrunk = READS.flatMap((path) => {
        const sizes = t.reads.filter((r) => r.path === path).map((r) => r.size);
        return sizes.some((size) => (size ?? 0) < (sizes[0] ?? 0)) ? [{ path, sizes }] : [];
      });
      expect(shrunk).toEqual([]);
      expect(
        t.reads.find((r) => r.path === '/statistics/overview?district=310104')?.size,
      ).toBeGreaterThan(50);
      expect(t.reads.filter((r) => r.at < allDone).length).toBeGreaterThan(20);
      expect(t.reads.filter((r) => r.at > allDone).length).toBeGreaterThan(20);
      expect(t.writes.filter((w) => w.status !== 201)).toEqual([]);
      expect(t.registered.length).toBeGreaterThan(5);

      // The writes made while the generations were built are all in the serving ones. (Asked
      // once the server's catalog lookups, cached for 1 s, have seen the last swap: the read
      // right after a swap is the next test's.)
      const h = await waitCaughtUp(s.baseUrl);
      await sleep(CATALOG_CACHE_MS + 100);
      const last = Math.max(...t.registered.map((r) => r.position));
      expect(h.eventStore.headPosition).toBeGreaterThanOrEqual(last);
      const listed = await httpRequest(
        s.baseUrl,
        'GET',
        `/registry?community=${PLACES.huaizhong}&pageSize=1&minPosition=${last}`,
      );
      expect(listed.body.total).toBe(t.registered.length);
      const grants = await httpRequest(
        s.baseUrl,
        'GET',
        `/fundings?organization=${t.registered[0]!.id}&minPosition=${last}`,
      );
      expect(grants.body.total).toBe(1);

      // The generation before the previous one is dropped; the previous one stays.
      const db = new Database(readModelsFile(dataDir), { readonly: true, fileMustExist: true });
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
      ).filter((name) => name.startsWith('registry_v'));
      db.close();
      const registry = afterOne['registry'] ?? 0;
      expect(
        tables
          .filter((name) => !name.endsWith('_rollup'))
          .map(generationOf)
          .sort(),
      ).toEqual([registry - 1, registry]);

      const verify = await projectionsCli(dataDir, 'verify');
      expect({ code: verify.code, out: verify.stdout }).toEqual({
        code: 0,
        out: expect.stringMatching(
          /verify: ok, [\d,]+ documents compared, \d+ changed .*0 different/,
        ) as unknown,
      });
    },
    SLOW,
  );

  it(
    'answers a read with minPosition right after a swap from the generation that applied it',
    async () => {
      const s = server!;
      const committee = await signTestToken('committee', PLACES.huaizhong, { sub: 'u-huaizhong' });
      const community = `/registry?community=${PLACES.huaizhong}&pageSize=1`;
      // No read for over a second: the next one looks the serving generation up afresh.
      await sleep(CATALOG_CACHE_MS + 100);
      const before = (await httpRequest(s.baseUrl, 'GET', community)).body.total as number;
      const started = Date.now();
      const [swapped] = await rebuildInProcess('registry');
      // A write after the swap, and the reads its answer's position promises will show it.
      const write = await httpRequest(s.baseUrl, 'POST', '/organizations', {
        token: committee,
        body: groupBody({
          name: '淮中换代后读书会',
          streetCode: PLACES.hunan,
          communityCode: PLACES.huaizhong,
        }),
      });
      expect(write.status).toBe(201);
      const { id, position } = write.body as { id: string; position: number };
      const one = await httpRequest(s.baseUrl, 'GET', `/registry/${id}?minPosition=${position}`);
      const list = await httpRequest(s.baseUrl, 'GET', `${community}&minPosition=${position}`);
      const took = Date.now() - started;
      const serving = (await health(s.baseUrl)).projections.find((p) => p.name === 'registry');
      // (`took` shows the reads came within the server's catalog cache of the swap.)
      expect({ swapped, one: one.status, total: list.body.total as number, took }).toEqual({
        swapped: serving?.collection,
        one: 200,
        total: before + 1,
        took,
      });
    },
    SLOW,
  );

  it(
    'serves no dropped generation when one read model is rebuilt twice within a second',
    async () => {
      // The same rebuild the command line runs, in-process: two of them take well under a second.
      const s = server!;
      const total = async (): Promise<number> => {
        const res = await httpRequest(s.baseUrl, 'GET', '/registry?pageSize=1');
        expect(res.status).toBe(200);
        return res.body.total as number;
      };
      // No read for over a second: the next one looks the serving generation up afresh.
      await sleep(CATALOG_CACHE_MS + 100);
      const expected = await total();
      expect(expected).toBeGreaterThan(150);
      const started = Date.now();
      const swaps = await rebuildInProcess('registry', 2);
      const took = Date.now() - started;
      // The generation served a moment ago was dropped by the second swap: reads must not see it.
      const totals: number[] = [];
      for (let i = 0; i < 12; i++) {
        totals.push(await total());
        await sleep(100);
      }
      // (The window is the server's catalog cache, 1 s: `took` shows the swaps came within it.)
      expect({ swaps: swaps.length, took, totals }).toEqual({
        swaps: 2,
        took,
        totals: totals.map(() => expected),
      });
    },
    SLOW,
  );

  it(
    'verify exits 1 and names a registry document tampered with in the read-models file',
    async () => {
      await server?.stop();
      server = undefined;
      const snapshot = snapshotReadModels(dataDir);
      const entry = snapshot.catalog.get('registry');
      expect(entry).toBeDefined();
      const docs = snapshot.documents.get('registry') ?? new Map();
      const [id] = [...docs.keys()].sort().slice(Math.floor(docs.size / 2));
      expect(id).toBeDefined();
      const db = new Database(readModelsFile(dataDir), { fileMustExist: true });
      const changed = db
        .prepare(
          `UPDATE "${entry!.collection}" SET doc = json_set(doc, '$.activityCount', json_extract(doc, '$.activityCount') + 1) WHERE id = ?`,
        )
        .run(id).changes;
      db.close();
      expect(changed).toBe(1);

      const verify = await projectionsCli(dataDir, 'verify');
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain(`registry documents ${id!}`);
      expect(verify.stdout).toMatch(/verify: FAILED, .* 1 different/);
    },
    SLOW,
  );

  it(
    'exits 2 with the usage on bad usage',
    async () => {
      const cases: Array<[string[], string]> = [
        [['nope'], 'unknown command nope'],
        [['rebuild', 'unknown-model'], 'unknown read model unknown-model'],
        [[], 'missing command'],
      ];
      for (const [args, message] of cases) {
        const run = await projectionsCli(dataDir, ...args);
        expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
        expect(run.stderr).toContain(message);
        expect(run.stderr).toContain('Usage:');
        expect(run.stderr).toContain('rebuild [NAME]');
      }
    },
    SLOW,
  );
});
