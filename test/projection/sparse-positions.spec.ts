/**
 * The log walks that used to count with positions (the seed's resume, catch-up up to a
 * checkpoint, verify, the audit's walk up to a position, lag), run on a store whose positions
 * are byte-offset-like (far apart, refused unless an event starts there, not countable), as on
 * EventStoreDB: each works from positions and stream ids alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProjections } from '../../projections/index.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import {
  isAfter,
  LOG_START,
  positionToJson,
  type RecordedEvent,
} from '../../src/event-sourcing/ports/event-store.port.js';
import { LagMeter } from '../../src/event-sourcing/positions/lag.js';
import { catchUp } from '../../src/event-sourcing/projection/catch-up.js';
import { ensureTarget, targetFor } from '../../src/event-sourcing/projection/projection-catalog.js';
import { rebuildAll, verify } from '../../src/event-sourcing/projection/rebuild.js';
import { DEFAULT_ACTIVITY_LEVEL_THRESHOLDS } from '../../src/organizations/domain/rules/activity-level.js';
import { runSeed, type SeedTarget } from '../../src/seed/seed-runner.js';
import { seedPlan } from '../../src/seed/seed-plan.js';
import { openTestSeedTarget } from '../support/seed-target.js';
import { SparseEventStore } from '../support/sparse-event-store.js';

const divisions = loadDivisions();
const projections = createProjections(divisions);
const plan = seedPlan(divisions, { scale: 'small', seed: 1 });
const now = (): Date => new Date('2026-01-15T02:00:00.000Z');

describe('log walks on byte-offset-like positions', () => {
  let dir: string;
  let target: SeedTarget;
  let sparse: SparseEventStore;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparse-positions-'));
    target = openTestSeedTarget(dir, {
      divisions,
      activityLevels: DEFAULT_ACTIVITY_LEVEL_THRESHOLDS,
      teamsInSpecialUnits: true,
      governmentPurchaseRequiresRegistered: true,
      maxGrantFen: 1_000_000_000,
    });
    sparse = new SparseEventStore(target.store);
  });

  afterAll(async () => {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the seed at its last command, reading the log backwards from the head', async () => {
    const onSparse: SeedTarget = { ...target, store: sparse, close: () => Promise.resolve() };
    const cut = await runSeed(plan, onSparse, { stopAfter: 60 });
    expect(cut).toMatchObject({ next: 60, eventsWritten: null });
    const resumed = await runSeed(plan, onSparse, { stopAfter: 40 });
    expect(resumed.startedAt).toBe(59);
    expect(resumed.replayed).toBe(1);
    expect(resumed.refused).toEqual([]);
  }, 120_000);

  it('catches up exactly to a checkpoint, and verify finds the rebuilt read models equal', async () => {
    const reads = SqliteReadStore.open(':memory:');
    const scratch = SqliteReadStore.open(':memory:');
    try {
      await rebuildAll(sparse, reads, projections, now);
      const result = await verify(sparse, reads, scratch, projections);
      expect(result.differences).toEqual([]);
      expect(result.compared).toBeGreaterThan(0);

      // Up to an event in the middle of the log: nothing after it is folded.
      const events: RecordedEvent[] = await sparse.readAll({ maxCount: 100_000 });
      const middle = events[Math.floor(events.length / 2)]!;
      const partial = targetFor(projections[0]!, 9);
      await ensureTarget(scratch, partial);
      const reached = await catchUp(sparse, scratch, [partial], {
        batchSize: 7,
        until: middle.position,
      });
      expect(positionToJson(reached)).toBe(positionToJson(middle.position));
    } finally {
      await reads.close();
      await scratch.close();
    }
  }, 120_000);

  it('audits the log up to a position, and reports lag in seconds without a count', async () => {
    const events = await sparse.readAll({ maxCount: 100_000 });
    const middle = events[Math.floor(events.length / 2)]!;
    const check = await new AuditService(sparse).verifyLog(middle.position);
    expect(check.ok).toBe(true);
    expect(check.upToPosition).toBe(positionToJson(middle.position));
    expect(check.checked).toBe(events.filter((e) => !isAfter(e.position, middle.position)).length);

    const lag = await new LagMeter(sparse).measure(middle.position, await sparse.headPosition());
    expect(lag.events).toBeNull();
    expect(lag.seconds).toEqual(expect.any(Number));
    expect(await new LagMeter(sparse).measure(LOG_START, LOG_START)).toEqual({
      events: 0,
      seconds: 0,
    });
  });
});
