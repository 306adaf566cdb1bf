/**
 * The seed commits its commands in groups (one transaction per store and group): whatever stops
 * it, a rerun must end with exactly the log of an uninterrupted run. Killed, it loses the group
 * in flight and resends it; on Ctrl-C it commits what it did; on an unexpected error it drops the
 * open group. The command-line tests run the built CLI (npm run build first).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import type { OrganizationPolicy } from '../../src/organizations/domain/organization.policy.js';
import { DEFAULT_ACTIVITY_LEVEL_THRESHOLDS } from '../../src/organizations/domain/rules/activity-level.js';
import { seedPlan } from '../../src/seed/seed-plan.js';
import {
  runSeed,
  SEED_GROUP_COMMANDS,
  type SeedRunResult,
  type SeedTarget,
} from '../../src/seed/seed-runner.js';
import { normalizedLog } from './seed-log.js';
import { waitUntil } from '../support/wait.js';
import { TEST_PERSONAL_DATA_KEK } from '../support/personal-data-kek.js';
import { openTestSeedTarget } from '../support/seed-target.js';

const SLOW = 180_000;
const cli = fileURLToPath(new URL('../../dist/src/cli/seed.js', import.meta.url));

// The configuration's defaults, which the command line uses.
const divisions = loadDivisions();
const policy: OrganizationPolicy = {
  divisions,
  activityLevels: DEFAULT_ACTIVITY_LEVEL_THRESHOLDS,
  teamsInSpecialUnits: true,
  governmentPurchaseRequiresRegistered: true,
  maxGrantFen: 1_000_000_000,
};
const small = seedPlan(divisions, { scale: 'small', seed: 1 });

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'seed-interruption-'));
  dirs.push(dir);
  return dir;
};

let whole: SeedTarget;
let wholeLog: unknown[];

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  expect(small.steps.length).toBeGreaterThan(SEED_GROUP_COMMANDS + 500);
  whole = openTestSeedTarget(tempDir(), policy);
  await runSeed(small, whole);
  wholeLog = await normalizedLog(whole);
}, SLOW);

afterAll(async () => {
  await whole.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
}

function seedCli(dataDir: string): {
  child: ChildProcessByStdio<null, Readable, Readable>;
  exit: Promise<Exit>;
} {
  const child = spawn(process.execPath, [cli, '--scale', 'small'], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      DATA_DIR: dataDir,
      PERSONAL_DATA_KEK: TEST_PERSONAL_DATA_KEK,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.resume();
  const exit = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout });
    });
  });
  return { child, exit };
}

/** Events committed in DATA_DIR, as another connection sees them. */
function committedEvents(dataDir: string): number {
  const file = join(dataDir, 'events.sqlite');
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 1000 });
  try {
    return db.prepare<[], number>('SELECT COUNT(*) FROM events').pluck().get() ?? 0;
  } catch {
    return 0; // the schema is not created yet
  } finally {
    db.close();
  }
}

/** Waits until the first group is committed: the run is then in the middle of the second. */
async function firstGroupCommitted(dataDir: string, exit: Promise<Exit>): Promise<number> {
  const run = { exited: false };
  void exit.then(() => (run.exited = true));
  return waitUntil(
    'a first group committed',
    () => {
      const committed = committedEvents(dataDir);
      if (committed > 0) return committed;
      if (run.exited) throw new Error('the seed ended before committing anything');
      return undefined;
    },
    SLOW,
  );
}

async function finish(dataDir: string): Promise<SeedRunResult> {
  const target = openTestSeedTarget(dataDir, policy);
  try {
    const rest = await runSeed(small, target);
    expect(rest).toMatchObject({ complete: true, refused: [] });
    expect(await normalizedLog(target)).toEqual(wholeLog);
    return rest;
  } finally {
    await target.close();
  }
}

it(
  'loses only the group in flight when killed, which a rerun sends again',
  async () => {
    const dir = tempDir();
    const { child, exit } = seedCli(dir);
    const committed = await firstGroupCommitted(dir, exit);
    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');
    // Nothing of the second group reached the log, however far the run had got into it.
    expect(committedEvents(dir)).toBe(committed);
    expect(committed).toBeLessThan(wholeLog.length);

    const rest = await finish(dir);
    expect(rest.startedAt).toBe(SEED_GROUP_COMMANDS - 1);
    expect(rest.replayed).toBe(1);
  },
  SLOW,
);

it(
  'commits what it did on Ctrl-C, exits 130, and a rerun finishes the job',
  async () => {
    const dir = tempDir();
    const { child, exit } = seedCli(dir);
    await firstGroupCommitted(dir, exit);
    child.kill('SIGINT');
    const { code, stdout } = await exit;
    expect(code).toBe(130);
    const interrupted = /interrupted at command ([\d,]+) of/.exec(stdout);
    expect(interrupted).not.toBeNull();
    const next = Number(interrupted?.[1]?.replaceAll(',', ''));
    // Stopped after a command of the second group, and committed it.
    expect(next).toBeGreaterThan(SEED_GROUP_COMMANDS);
    expect(next).toBeLessThan(small.steps.length);

    const rest = await finish(dir);
    expect(rest.startedAt).toBe(next - 1);
  },
  SLOW,
);

it(
  'drops the open group when a command fails unexpectedly, and a rerun finishes the job',
  async () => {
    const dir = tempDir();
    const target = openTestSeedTarget(dir, policy);
    const failAt = SEED_GROUP_COMMANDS + 300;
    let sends = 0;
    const failing =
      (send: (...args: never[]) => unknown) =>
      (...args: never[]): unknown => {
        sends += 1;
        if (sends === failAt) throw new Error('the disk is on fire');
        return send(...args);
      };
    const writer = target.writer;
    const flaky = new Proxy(writer, {
      get: (object, key): unknown => {
        if (key === 'register') return failing(writer.register.bind(writer));
        if (key === 'change') return failing(writer.change.bind(writer));
        return Reflect.get(object, key);
      },
    });
    try {
      await expect(runSeed(small, { ...target, writer: flaky })).rejects.toThrow(/on fire/);
      const head = await target.store.headPosition();
      const firstGroup = await runSeed(small, target, { stopAfter: 0 });
      expect(firstGroup.startedAt).toBe(SEED_GROUP_COMMANDS - 1);
      expect(head).toBeLessThan(wholeLog.length);
    } finally {
      await target.close();
    }
    await finish(dir);
  },
  SLOW,
);
