import { positionToJson, type Position } from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * The projection runner's lease and its /health status when batches are slow (a slow read store:
 * FerretDB's guarded upserts cost a full collection scan, ~40 ms per new document at 500
 * documents; a congested network; a GC pause). Deterministic: real SQLite stores, a read store
 * whose commits take a set time, and a projection of our own. No server, no MongoDB.
 *
 * - a leader's status() shows the batches it already committed, not only once the whole
 *   catch-up ended (while writes keep coming, a catch-up never ends);
 * - a replica that took the lease over says `leader` before its first catch-up ended;
 * - every commit is made under a lease its replica holds: a batch longer than the lease must not
 *   let the lease lapse under a live leader (another replica would run the projections too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import type { Clock } from '../../src/event-sourcing/clock.js';
import type {
  Document,
  Filter,
  IndexSpec,
  Query,
  ReadStore,
  UnitOfWork,
} from '../../src/event-sourcing/ports/read-store.port.js';
import {
  ProjectionRunner,
  RUNNER_LEASE,
  type ProjectionStatus,
} from '../../src/event-sourcing/projection/projection-runner.js';
import { sleep, waitUntil } from '../support/wait.js';
import { appendTicks, ticks } from './ticks.js';

const COLLECTION = 'ticks_v1_g1';

const clock: Clock = { now: () => new Date() };

/** What the replicas' lease calls left in the store: the holder and until when. */
class LeaseBook {
  holder: string | undefined;
  expiresAt = 0;
  /** Commits made by a replica that did not hold a live lease at that moment. */
  readonly unleasedCommits: Array<{ replica: string; holder: string | undefined; lateMs: number }> =
    [];
}

/**
 * The read store as one replica sees it: the shared store behind, commits taking `commitMs`
 * before they are written, and the lease calls noted in the book.
 */
class ReplicaStore implements ReadStore {
  commits = 0;

  constructor(
    private readonly inner: ReadStore,
    private readonly replica: string,
    private readonly book: LeaseBook,
    private readonly commitMs: number,
  ) {}

  ensureCollection(collection: string, indexes: readonly IndexSpec[]): Promise<void> {
    return this.inner.ensureCollection(collection, indexes);
  }
  get(collection: string, id: string): Promise<Document | undefined> {
    return this.inner.get(collection, id);
  }
  getMany(collection: string, ids: readonly string[]): Promise<Map<string, Document>> {
    return this.inner.getMany(collection, ids);
  }
  find(collection: string, query?: Query): Promise<Document[]> {
    return this.inner.find(collection, query);
  }
  count(collection: string, filter?: Filter): Promise<number> {
    return this.inner.count(collection, filter);
  }
  async commit(unit: UnitOfWork): Promise<void> {
    await sleep(this.commitMs);
    const now = Date.now();
    if (this.book.holder !== this.replica || now > this.book.expiresAt) {
      this.book.unleasedCommits.push({
        replica: this.replica,
        holder: this.book.holder,
        lateMs: now - this.book.expiresAt,
      });
    }
    this.commits++;
    await this.inner.commit(unit);
  }
  checkpoint(name: string): Promise<Position> {
    return this.inner.checkpoint(name);
  }
  deleteCheckpoint(name: string): Promise<void> {
    return this.inner.deleteCheckpoint(name);
  }
  dropCollection(collection: string): Promise<void> {
    return this.inner.dropCollection(collection);
  }
  async acquireLease(name: string, holder: string, ttlMs: number, nowMs: number) {
    const taken = await this.inner.acquireLease(name, holder, ttlMs, nowMs);
    if (taken !== undefined && name === RUNNER_LEASE) {
      this.book.holder = holder;
      this.book.expiresAt = nowMs + ttlMs;
    }
    return taken;
  }
  async releaseLease(name: string, holder: string): Promise<void> {
    await this.inner.releaseLease(name, holder);
    if (name === RUNNER_LEASE && this.book.holder === holder) this.book.holder = undefined;
  }
  listCollections(): Promise<string[]> {
    return this.inner.listCollections();
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('the projection runner with slow batches', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let book: LeaseBook;
  const runners: ProjectionRunner[] = [];
  /** What the runners reported through onError: none expected. */
  let errors: string[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-lease-'));
    events = SqliteEventStore.open(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
    store = SqliteReadStore.open(join(dir, 'read.sqlite'), { synchronous: 'NORMAL' });
    book = new LeaseBook();
    errors = [];
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    expect(errors).toEqual([]);
    await store.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = (count: number): Promise<void> => appendTicks(events, count, 5);

  function runner(
    replica: string,
    options: { commitMs: number; leaseMs: number; batchSize?: number },
  ): { runner: ProjectionRunner; store: ReplicaStore } {
    const view = new ReplicaStore(store, replica, book, options.commitMs);
    const r = new ProjectionRunner(events, view, [ticks], clock, {
      replica,
      leaseMs: options.leaseMs,
      batchSize: options.batchSize ?? 10,
      idleMs: 50,
      onError: (error) => {
        errors.push(`${replica}: ${error instanceof Error ? error.message : String(error)}`);
      },
    });
    runners.push(r);
    return { runner: r, store: view };
  }

  const statusOf = (r: ProjectionRunner): ProjectionStatus | undefined =>
    r.status().find((s) => s.name === 'ticks');

  it('a leader’s status shows the batches it already committed, during a long catch-up', async () => {
    await append(80);
    const { runner: r1 } = runner('r1', { commitMs: 150, leaseMs: 10_000 });
    r1.start();
    // Half way: 4 of 8 batches committed, the catch-up (one step of the runner) still going.
    await waitUntil(
      '4 batches committed',
      async () => positionToJson(await store.checkpoint(COLLECTION)) >= 40,
      10_000,
    );
    const committed = positionToJson(await store.checkpoint(COLLECTION));
    expect(committed).toBeLessThan(80);
    const status = statusOf(r1);
    // What /health shows: the leader, at least at the batch before the last one committed.
    expect({
      role: status?.role,
      checkpointBehindStore: status === undefined ? null : committed - status.checkpoint,
    }).toEqual({ role: 'leader', checkpointBehindStore: expect.any(Number) });
    expect(committed - status!.checkpoint).toBeLessThanOrEqual(10);
    expect(status!.lag).toBeLessThanOrEqual(80 - committed + 10);
  }, 20_000);

  it('a replica that took the lease over says leader before its first catch-up ended', async () => {
    // A first generation, caught up to 20 by a runner that then stopped.
    await append(20);
    const first = runner('r0', { commitMs: 0, leaseMs: 10_000 });
    first.runner.start();
    await waitUntil(
      'r0 caught up',
      async () => positionToJson(await store.checkpoint(COLLECTION)) >= 20,
      10_000,
    );
    await first.runner.stop();
    runners.splice(runners.indexOf(first.runner), 1);
    // A replica that died holding the lease (no release), for 500 ms more.
    expect(await store.acquireLease(RUNNER_LEASE, 'dead', 500, Date.now())).toBeDefined();
    book.holder = 'dead';
    book.expiresAt = Date.now() + 500;
    await append(80);

    const { runner: r2 } = runner('r2', { commitMs: 150, leaseMs: 10_000 });
    r2.start();
    await waitUntil(
      'r2 standing by',
      async () => Promise.resolve(statusOf(r2) !== undefined),
      5000,
    );
    expect(statusOf(r2)?.role).toBe('standby');
    // It takes the lease once expired, then catches up 80 events in 8 slow batches.
    await waitUntil(
      'r2 committed 3 batches',
      async () => positionToJson(await store.checkpoint(COLLECTION)) >= 50,
      10_000,
    );
    expect(book.holder).toBe('r2');
    expect(positionToJson(await store.checkpoint(COLLECTION)) < 100).toBe(true);
    expect(statusOf(r2)).toEqual(expect.objectContaining({ role: 'leader' }));
  }, 20_000);

  it('commits only under a lease its replica holds, even when a batch outlasts the lease', async () => {
    await append(40);
    // Each commit takes 600 ms, the lease lasts 250 ms: only renewing during a batch (or
    // checking the lease before committing) keeps a second runner from running at the same time.
    const a = runner('r1', { commitMs: 600, leaseMs: 250 });
    a.runner.start();
    await sleep(100);
    const b = runner('r2', { commitMs: 600, leaseMs: 250 });
    b.runner.start();
    await waitUntil(
      'caught up',
      async () => positionToJson(await store.checkpoint(COLLECTION)) >= 40,
      20_000,
    );
    await sleep(700);
    expect({ unleasedCommits: book.unleasedCommits.slice(0, 5) }).toEqual({ unleasedCommits: [] });
    // And the read model is right anyway.
    const rollup = await store.get(`${COLLECTION}_rollup`, 'all');
    expect(rollup?.['counts']).toEqual({ ticks: 40 });
  }, 30_000);
});
