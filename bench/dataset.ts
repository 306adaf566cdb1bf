import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import { createProjections } from '../projections/index.js';
import { SqliteEventStore } from '../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../src/adapters/sqlite/sqlite-read-store.js';
import { Progress } from '../src/cli/progress.js';
import { loadConfig } from '../src/config.js';
import { loadDivisions } from '../src/divisions/load-divisions.js';
import { policyFromConfig } from '../src/organizations/policy-from-config.js';
import { activeEntry } from '../src/event-sourcing/projection/projection-catalog.js';
import { rebuildAll } from '../src/event-sourcing/projection/rebuild.js';
import { seedPlan, type SeedScale } from '../src/seed/seed-plan.js';
import {
  isAtOrAfter,
  LOG_START,
  positionToJson,
} from '../src/event-sourcing/ports/event-store.port.js';
import { openSeedTarget, runSeed } from '../src/seed/seed-runner.js';
import { SqlitePersonalDataVault } from '../src/adapters/sqlite/sqlite-personal-data-vault.js';
import { VAULT_FILE } from '../src/adapters/stores.js';
import { benchKek } from './server-process.js';

/**
 * How long the seed took when the cached dataset was created, kept beside it so a run reports
 * the seed time without seeding again (a city seed takes minutes). Written only when one run
 * seeded the whole plan from an empty directory: a resumed seed has no honest total.
 */
export interface SeedTiming {
  readonly scale: SeedScale;
  readonly seed: number;
  readonly seconds: number;
  readonly events: number;
  readonly organizations: number;
  readonly commands: number;
  /** ISO date the seed finished. */
  readonly measuredAt: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly node: string;
    /** 1-minute load average when the seed started and when it finished. */
    readonly loadAtStart: number;
    readonly loadAtEnd: number;
  };
}

export interface BenchDataset {
  readonly scale: SeedScale;
  /** The data directory: events.sqlite, personal-data-keys.sqlite and read-models.sqlite. */
  readonly dir: string;
  readonly events: number;
  readonly organizations: number;
  readonly seedTiming: SeedTiming | undefined;
}

const SEED = 1;
/**
 * The shape of the events a dataset holds, in its folder's name: a change of shape seeds a new
 * dataset rather than reuse a cached one written before it. 2: resident founders' names sealed
 * (OrganizationRegistered v3). 3: the seed's oversight and change (annual reports, spot checks,
 * grades, the abnormal list, support platforms, incubations, renames, profiles, receipts). 4: its
 * moves (迁移). 5, 6: its own random key-encryption key instead of a published one (6: kept
 * beside it, `<dataset>.kek`, not in it).
 */
const DATASET_SHAPE = 6;
const TIMING_FILE = 'seed-timing.json';

/** Where the seeded datasets are cached, outside the clone and shared by later runs. */
export function datasetDir(scale: SeedScale): string {
  return join(
    process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'),
    'community-orgs',
    'bench',
    `${scale}-seed-${SEED}-v${DATASET_SHAPE}`,
  );
}

/**
 * A seeded data directory with its read models built, reused across runs: the seed is
 * deterministic and resumable, so a later run only checks that it is complete, and the read
 * models are rebuilt only when they lag the log (the servers the figures start then serve at once
 * instead of catching up from position 0 while being measured).
 */
export async function benchDataset(
  scale: SeedScale,
  log: (line: string) => void,
): Promise<BenchDataset> {
  const dir = datasetDir(scale);
  const fresh = !existsSync(join(dir, 'events.sqlite'));
  mkdirSync(dir, { recursive: true });
  const divisions = loadDivisions();
  const plan = seedPlan(divisions, { scale, seed: SEED });
  const vault = SqlitePersonalDataVault.open(join(dir, VAULT_FILE), benchKek(dir), {
    synchronous: 'NORMAL',
  });
  const target = openSeedTarget(dir, policyFromConfig(loadConfig({}), divisions), vault);
  const loadAtStart = loadavg()[0] ?? 0;
  try {
    log(
      fresh
        ? `seeding the ${scale} dataset into ${dir} (once; reused by later runs)…`
        : `checking the ${scale} dataset in ${dir}…`,
    );
    const progress = new Progress(`seed ${scale}`);
    let first: number | undefined;
    const result = await runSeed(plan, target, {
      onProgress: (done, total) => {
        first ??= done - 1;
        if (total - first > 1) progress.update(done - first, total - first, 'commands');
      },
    });
    progress.done();
    if (result.refused.length > 0)
      throw new Error(`the seed refused ${result.refused.length} commands`);
    if (result.startedAt === 0 && result.complete && result.sent === result.commands) {
      const timing: SeedTiming = {
        scale,
        seed: SEED,
        seconds: result.seconds,
        events: result.eventsWritten ?? 0,
        organizations: result.organizations,
        commands: result.commands,
        measuredAt: new Date().toISOString(),
        machine: {
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? 'unknown',
          node: process.version,
          loadAtStart,
          loadAtEnd: loadavg()[0] ?? 0,
        },
      };
      writeFileSync(join(dir, TIMING_FILE), JSON.stringify(timing, null, 2) + '\n');
      log(
        `seeded ${(result.eventsWritten ?? 0).toLocaleString('en')} events in ${result.seconds.toFixed(0)} s`,
      );
    }
  } finally {
    await target.close();
  }
  const events = await buildReadModels(dir, scale, log);
  return {
    scale,
    dir,
    events,
    organizations: plan.organizations.length,
    seedTiming: readTiming(dir),
  };
}

/** Rebuilds every read model whose active generation lags the log; answers the head position. */
async function buildReadModels(
  dir: string,
  scale: SeedScale,
  log: (line: string) => void,
): Promise<number> {
  const events = SqliteEventStore.open(join(dir, 'events.sqlite'));
  const store = SqliteReadStore.open(join(dir, 'read-models.sqlite'), { synchronous: 'NORMAL' });
  try {
    const head = await events.headPosition();
    const lagging = [];
    for (const projection of createProjections(loadDivisions())) {
      const active = await activeEntry(store, projection.name);
      if (active === undefined || !isAtOrAfter(await store.checkpoint(active.collection), head))
        lagging.push(projection);
    }
    if (lagging.length > 0) {
      const names = lagging.map((p) => p.name).join(', ');
      log(`building the ${names} read models of the ${scale} dataset (once)…`);
      const progress = new Progress(`read models ${names}`);
      // One pass over the log for all of them, as `npm run projections -- rebuild` does.
      await rebuildAll(
        events,
        store,
        lagging,
        () => new Date(),
        (_name, folded, of) => {
          progress.update(folded, of === null ? null : Math.max(of, folded));
        },
      );
      progress.done();
    }
    // SQLite positions are row numbers: the count is the bench's figure of the dataset's size.
    return (await events.countBetween(LOG_START, head)) ?? positionToJson(head);
  } finally {
    await store.close();
    await events.close();
  }
}

function readTiming(dir: string): SeedTiming | undefined {
  const file = join(dir, TIMING_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as SeedTiming;
}
