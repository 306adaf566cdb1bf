/**
 * Issue #3: the projection runner survives being killed in the middle of its catch-up.
 *
 * Two small seeds (different `--seed`s, so ~8,000 varied events: the second seed's clashing
 * names are refused, everything else lands) go into one DATA_DIR. The compiled server then
 * catches up from position 0 in batches of 1,000 and is SIGKILLed at seeded-random moments of
 * that catch-up, restarted each time on the same files, and finally left to reach the head.
 * The read models must then be exactly what a rebuild gives: `projections verify` agrees, and
 * every document and rollup of every read model equals those of a clean rebuild of a copy.
 *
 * Replay a failure with its seed: RUNNER_CRASH_SEED=<n> npm test -- runner-crash
 * Needs `npm run build` (dist/src/main.js, dist/src/cli/*.js).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../support/hostile-input.js';
import { httpRequest } from '../support/http-app.js';
import { spawnServer, type SpawnedServer } from '../support/spawned-server.js';
import { sleep, waitUntil } from '../support/wait.js';
import {
  copyWithoutReadModels,
  headPosition,
  lowestCheckpoint,
  projectionsCli,
  READ_MODELS,
  seedSmall,
  snapshotReadModels,
  waitCaughtUp,
  type ReadModelsSnapshot,
} from './read-side-kit.js';

const RANDOM_SEED = Number(process.env['RUNNER_CRASH_SEED'] ?? 20_260_427);
const KILLS = 3;
/** The runner's catch-up batch (ProjectionRunner's default). */
const BATCH = 1000;

/** Seeding, several server starts and two rebuilds: tens of seconds on a busy machine. */
const SLOW = 120_000;

let dataDir = '';
let cleanDir = '';
let head = 0;
const running: SpawnedServer[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'read-side-crash-'));
  cleanDir = mkdtempSync(join(tmpdir(), 'read-side-clean-'));
  const first = await seedSmall(dataDir, 1);
  expect({ code: first.code, stderr: first.code === 0 ? '' : first.stderr }).toEqual({
    code: 0,
    stderr: '',
  });
  for (const seed of [2]) {
    const before = headPosition(dataDir);
    const run = await seedSmall(dataDir, seed);
    // Names the first seed took are refused (exit 1); the rest of the plan still lands.
    expect([0, 1]).toContain(run.code);
    expect(run.stdout).toMatch(/done:/);
    expect(headPosition(dataDir) - before).toBeGreaterThan(2000);
  }
  head = headPosition(dataDir);
}, SLOW);

afterAll(async () => {
  for (const server of running) await server.kill();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cleanDir, { recursive: true, force: true });
}, SLOW);

/**
 * The server on DATA_DIR, answering at once so that it can be killed before /health first
 * answers. A killed server's runner lease outlives it: the restarted one (another replica name)
 * waits that long before catching up. Short here, so restarts do not wait 15 s.
 */
const launchServer = (): Promise<SpawnedServer> =>
  spawnServer({ dataDir, env: { LEASE_SECONDS: '2' } });

/** Starts the server and SIGKILLs it once its read models passed `threshold`, after `delayMs`. */
async function killDuringCatchUp(
  threshold: number,
  delayMs: number,
): Promise<{ checkpoint: number }> {
  const server = await launchServer();
  running.push(server);
  await waitUntil(
    () =>
      `a checkpoint of ${threshold} (at ${String(lowestCheckpoint(dataDir))}):\n${server.output()}`,
    () => (lowestCheckpoint(dataDir) ?? -1) >= threshold,
    30_000,
    { pollMs: 5 },
  );
  if (delayMs > 0) await sleep(delayMs);
  await server.kill();
  running.splice(running.indexOf(server), 1);
  const checkpoint = lowestCheckpoint(dataDir) ?? 0;
  return { checkpoint };
}

function sortedObject(docs: ReadonlyMap<string, unknown>): Record<string, unknown> {
  return Object.fromEntries([...docs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function differingIds(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): string[] {
  const ids = new Set([...a.keys(), ...b.keys()]);
  return [...ids].filter((id) => canonical(a.get(id)) !== canonical(b.get(id))).sort();
}

/** JSON with object keys sorted, so only content counts. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

describe(`the projection runner killed during catch-up (seed ${RANDOM_SEED})`, () => {
  let live: ReadModelsSnapshot;

  it(
    'comes out of repeated SIGKILLs mid catch-up with read models that verify',
    async () => {
      expect(head).toBeGreaterThan(7 * BATCH);
      const random = mulberry32(RANDOM_SEED);
      // One kill point per slice of the log, the last well before the head so every kill lands
      // while the server is still catching up; random delays land some mid-batch.
      const span = head - 3 * BATCH;
      const kills: Array<{ threshold: number; delayMs: number; checkpoint: number }> = [];
      let previous = 0;
      for (let i = 0; i < KILLS; i++) {
        const slot = span / KILLS;
        let threshold = Math.floor(i * slot + random() * slot);
        if (i > 0 && threshold <= previous) threshold = previous + 1; // at least one more batch
        const delayMs = random() < 0.3 ? 0 : Math.floor(random() * 90);
        const { checkpoint } = await killDuringCatchUp(threshold, delayMs);
        kills.push({ threshold, delayMs, checkpoint });
        // Killed mid catch-up, never losing what was committed before.
        expect({ kill: i, checkpoint, below: checkpoint < head }).toEqual({
          kill: i,
          checkpoint,
          below: true,
        });
        expect(checkpoint).toBeGreaterThanOrEqual(previous);
        expect(checkpoint).toBeGreaterThanOrEqual(threshold);
        previous = checkpoint;
      }
      // The kills were spread over the catch-up, not all at its start.
      expect(new Set(kills.map((k) => k.checkpoint)).size).toBe(KILLS);

      // Killed in between: what was committed is consistent up to the checkpoint it reached.
      const between = await projectionsCli(dataDir, 'verify');
      expect({ code: between.code, out: between.stdout }).toEqual({
        code: 0,
        out: expect.stringMatching(/verify: ok, .* 0 different/) as unknown,
      });

      const server = await launchServer();
      running.push(server);
      await server.ready;
      const h = await waitCaughtUp(server.baseUrl, head, 60_000);
      expect(h.projections.map((p) => p.name).sort()).toEqual([...READ_MODELS].sort());
      expect((await httpRequest(server.baseUrl, 'GET', '/registry?pageSize=1')).status).toBe(200);
      await server.stop();
      running.splice(running.indexOf(server), 1);

      const verify = await projectionsCli(dataDir, 'verify');
      expect({ code: verify.code, stderr: verify.code === 0 ? '' : verify.stderr }).toEqual({
        code: 0,
        stderr: '',
      });
      expect(verify.stdout).toMatch(
        /verify: ok, [\d,]+ documents compared, 0 changed .*0 different/,
      );

      live = snapshotReadModels(dataDir);
      for (const name of READ_MODELS) {
        const entry = live.catalog.get(name);
        expect(entry && live.checkpoints.get(entry.collection)).toBe(head);
      }
    },
    SLOW,
  );

  it(
    'holds exactly the documents and rollups of a clean rebuild',
    async () => {
      expect(live).toBeDefined();
      copyWithoutReadModels(dataDir, cleanDir);
      const rebuild = await projectionsCli(cleanDir, 'rebuild');
      expect({ code: rebuild.code, stderr: rebuild.code === 0 ? '' : rebuild.stderr }).toEqual({
        code: 0,
        stderr: '',
      });
      const clean = snapshotReadModels(cleanDir);
      for (const name of READ_MODELS) {
        const entry = clean.catalog.get(name);
        expect(entry && clean.checkpoints.get(entry.collection)).toBe(head);
        const liveDocs = live.documents.get(name) ?? new Map<string, unknown>();
        const cleanDocs = clean.documents.get(name) ?? new Map<string, unknown>();
        const liveRollups = live.rollups.get(name) ?? new Map<string, unknown>();
        const cleanRollups = clean.rollups.get(name) ?? new Map<string, unknown>();
        expect(cleanDocs.size).toBeGreaterThan(100);
        expect({ name, documents: differingIds(liveDocs, cleanDocs) }).toEqual({
          name,
          documents: [],
        });
        expect({ name, rollups: differingIds(liveRollups, cleanRollups) }).toEqual({
          name,
          rollups: [],
        });
        expect(sortedObject(liveDocs)).toEqual(sortedObject(cleanDocs));
        expect(sortedObject(liveRollups)).toEqual(sortedObject(cleanRollups));
      }
      // Every statistics rollup (places, communities, timelines) is there.
      const statistics = clean.rollups.get('statistics') ?? new Map<string, unknown>();
      expect([...statistics.keys()].filter((id) => id.startsWith('place:')).length).toBeGreaterThan(
        10,
      );
      expect(statistics.has('communities:310104')).toBe(true);
      expect(statistics.has('timeline:310000')).toBe(true);
    },
    SLOW,
  );
});
