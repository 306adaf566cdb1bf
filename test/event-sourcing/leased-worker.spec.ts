/**
 * The kernel's leased worker, on the SQLite stores in memory and a clock the test moves: the
 * lease taken, renewed, lost and released; a standby following the leader and taking over; the
 * retry policies (a pause an append cuts short, a backoff only stop() ends).
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import type { Clock } from '../../src/event-sourcing/clock.js';
import {
  LeasedWorker,
  type LeaseChange,
  type LeasedWork,
  type LeasedWorkerOptions,
} from '../../src/event-sourcing/workers/leased-worker.js';

const LEASE = 'test-lease';

/** A clock the test moves by hand. */
class FakeClock implements Clock {
  ms = Date.parse('2026-03-01T08:00:00.000Z');
  now(): Date {
    return new Date(this.ms);
  }
}

/** A leased work that notes what the worker asked of it. */
class Work implements LeasedWork {
  leads = 0;
  follows = 0;
  readonly leases: Array<{ held: boolean; taken: boolean }> = [];
  readonly failures: unknown[] = [];
  /** What the next leads do: answer whether they worked, or throw. */
  outcome: () => Promise<boolean> = () => Promise.resolve(false);

  lead(): Promise<boolean> {
    this.leads++;
    return this.outcome();
  }
  follow(): Promise<void> {
    this.follows++;
    return Promise.resolve();
  }
  leased(held: boolean, taken: boolean): void {
    this.leases.push({ held, taken });
  }
  failed(error: unknown): void {
    this.failures.push(error);
  }
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

async function waitUntil(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('the leased worker', () => {
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let clock: FakeClock;
  /** The lease writes, by replica. */
  let writes: Array<{ holder: string; nowMs: number }>;
  let errors: unknown[];
  const workers: LeasedWorker[] = [];

  beforeEach(() => {
    events = SqliteEventStore.open(':memory:');
    reads = SqliteReadStore.open(':memory:');
    clock = new FakeClock();
    writes = [];
    errors = [];
    const acquire = reads.acquireLease.bind(reads);
    reads.acquireLease = (name, holder, ttlMs, nowMs) => {
      writes.push({ holder, nowMs });
      return acquire(name, holder, ttlMs, nowMs);
    };
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await events.close();
    await reads.close();
  });

  function worker(
    replica: string,
    work: Work,
    options: Partial<LeasedWorkerOptions> = {},
  ): LeasedWorker {
    const w = new LeasedWorker(events, reads, clock, work, {
      lease: LEASE,
      replica,
      leaseMs: 30_000,
      idleMs: 10,
      retry: { kind: 'pause', ms: 1000 },
      onError: (error) => errors.push(error),
      ...options,
    });
    workers.push(w);
    return w;
  }

  const append = () =>
    events.appendToStream(
      's',
      [{ id: randomUUID(), type: 'Ticked', data: {}, metadata: {} }],
      'any',
    );

  const writesBy = (holder: string) => writes.filter((w) => w.holder === holder).length;

  it('takes the lease and leads, writing it again only once less than half is left', async () => {
    const work = new Work();
    const w = worker('a', work);
    w.start();
    await waitUntil('a few rounds', () => work.leads >= 5);
    expect(w.role).toBe('leader');
    expect(work.leases[0]).toEqual({ held: true, taken: true });
    // Checked against the clock between rounds: one write for all those rounds.
    expect(writesBy('a')).toBe(1);
    // Another replica cannot take it meanwhile.
    expect(await reads.acquireLease(LEASE, 'b', 30_000, clock.ms)).toBeUndefined();

    clock.ms += 14_000; // 16 s of 30 left: still more than half.
    const leads = work.leads;
    await waitUntil('more rounds', () => work.leads >= leads + 3);
    expect(writesBy('a')).toBe(1);

    clock.ms += 2_000; // 14 s left: renewed before the next round.
    await waitUntil('a renewal', () => writesBy('a') === 2);
    expect(writes.at(-1)).toEqual({ holder: 'a', nowMs: clock.ms });
    expect(work.leases.at(-1)).toEqual({ held: true, taken: false });
    expect(errors).toEqual([]);
  });

  it('renews the lease on a timer while a slow round goes on', async () => {
    const work = new Work();
    let finish = (): void => undefined;
    const slow = new Promise<boolean>((resolve) => {
      finish = () => {
        resolve(true);
      };
    });
    work.outcome = () => (work.leads === 1 ? slow : Promise.resolve(false));
    const w = worker('a', work, { leaseMs: 60 });
    w.start();
    await waitUntil('the slow round', () => work.leads === 1);
    // One write to take it, then one every 20 ms although the round has not ended.
    await waitUntil('renewals during the round', () => writesBy('a') >= 4);
    expect(work.leads).toBe(1);
    finish();
  });

  it('loses the lease it let lapse to another replica, then follows it', async () => {
    const work = new Work();
    const w = worker('a', work);
    w.start();
    await waitUntil('leading', () => work.leads > 0);
    // Paused past its lease (the timer, every 10 s, has not run): another replica takes it over.
    clock.ms += 31_000;
    expect(await reads.acquireLease(LEASE, 'b', 30_000, clock.ms)).toBeDefined();
    await waitUntil('standing by', () => work.follows > 0);
    expect(w.role).toBe('standby');
    expect(work.leases.at(-1)).toEqual({ held: false, taken: false });
    const leads = work.leads;
    await waitUntil('following', () => work.follows >= 3);
    expect(work.leads).toBe(leads);
  });

  it('gives the lease up on stop, and a standby takes over', async () => {
    const leaderWork = new Work();
    const leader = worker('a', leaderWork);
    leader.start();
    await waitUntil('a leading', () => leaderWork.leads > 0);

    const standbyWork = new Work();
    const standby = worker('b', standbyWork);
    standby.start();
    await waitUntil('b following', () => standbyWork.follows >= 2);
    expect(standby.role).toBe('standby');
    expect(standbyWork.leads).toBe(0);
    expect(standbyWork.leases.every((l) => !l.held)).toBe(true);

    await leader.stop();
    // Released: taken at once, without waiting for it to expire (the clock did not move).
    await waitUntil('b leading', () => standbyWork.leads > 0);
    expect(standby.role).toBe('leader');
    expect(standbyWork.leases.filter((l) => l.taken)).toEqual([{ held: true, taken: true }]);
  });

  it('reports its lease changes with their generation', async () => {
    const changes: LeaseChange[] = [];
    const onLeaseChange = (change: LeaseChange): void => {
      changes.push(change);
    };
    const work = new Work();
    const a = worker('a', work, { onLeaseChange });
    a.start();
    await waitUntil('a leading', () => work.leads > 0);
    // Paused past its lease: b takes it over; a finds out on its next lease write.
    clock.ms += 31_000;
    const taken = await reads.acquireLease(LEASE, 'b', 30_000, clock.ms);
    await waitUntil('a standing by', () => work.follows > 0);
    // b gives it up: a takes it again, under a third generation.
    await reads.releaseLease(LEASE, 'b');
    await waitUntil('a leading again', () => a.role === 'leader');
    await a.stop();
    expect(changes).toEqual([
      { lease: LEASE, replica: 'a', change: 'acquired', generation: 1 },
      { lease: LEASE, replica: 'a', change: 'lost', generation: 1 },
      { lease: LEASE, replica: 'a', change: 'acquired', generation: 3 },
      { lease: LEASE, replica: 'a', change: 'released', generation: 3 },
    ]);
    expect(taken).toBe(2);
    expect(errors).toEqual([]);
  });

  it('steps down when a write fenced with its generation is refused, without an error', async () => {
    const changes: LeaseChange[] = [];
    const work = new Work();
    let resume = (): void => undefined;
    const paused = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const collection = 'fenced';
    // The first round commits under the generation it started with, after a pause.
    work.outcome = async () => {
      if (work.leads > 1) return false;
      const fence = w.fence;
      await paused;
      await reads.commit({ puts: [{ collection, document: { id: 'late' } }], fence });
      return true;
    };
    const w = worker('a', work, {
      onLeaseChange: (change) => {
        changes.push(change);
      },
    });
    w.start();
    await waitUntil('the round started', () => work.leads === 1);
    expect(w.fence).toEqual({ lease: LEASE, holder: 'a', generation: 1 });
    clock.ms += 31_000;
    expect(await reads.acquireLease(LEASE, 'b', 30_000, clock.ms)).toBe(2);
    resume();
    await waitUntil('standing by', () => work.follows > 0);
    expect(w.role).toBe('standby');
    expect(w.fence).toBeUndefined();
    expect(await reads.get(collection, 'late')).toBeUndefined();
    expect(changes.map((c) => `${c.change} ${String(c.generation)}`)).toEqual([
      'acquired 1',
      'lost 1',
    ]);
    expect({ errors, failures: work.failures }).toEqual({ errors: [], failures: [] });
  });

  it('confirms its lease before what no store can fence, and refuses once another took over', async () => {
    const work = new Work();
    const w = worker('a', work);
    w.start();
    await waitUntil('a leading', () => work.leads > 0);
    const fence = w.fence;
    if (!fence) throw new Error('no fence');
    await expect(w.confirmLease(fence)).resolves.toBeUndefined();
    clock.ms += 31_000;
    expect(await reads.acquireLease(LEASE, 'b', 30_000, clock.ms)).toBe(2);
    await expect(w.confirmLease(fence)).rejects.toThrow(/no longer held by a under generation 1/);
  });

  it('wakes from an idle sleep when the log grows', async () => {
    const work = new Work();
    const w = worker('a', work, { idleMs: 60_000 });
    w.start();
    await waitUntil('a first round', () => work.leads === 1);
    await sleep(50);
    expect(work.leads).toBe(1);
    await append();
    await waitUntil('a round for the append', () => work.leads === 2);
  });

  it('paces rounds that worked: appends do not cut the pace short, stop() does', async () => {
    const work = new Work();
    work.outcome = () => Promise.resolve(true);
    const w = worker('a', work, { paceMs: 60_000 });
    w.start();
    await waitUntil('a first round', () => work.leads === 1);
    for (let i = 0; i < 5; i++) {
      await append();
      await sleep(10);
    }
    expect(work.leads).toBe(1);
    const started = Date.now();
    await w.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not pace a round that found nothing to do: an append wakes it at once', async () => {
    const work = new Work();
    const w = worker('a', work, { paceMs: 60_000, idleMs: 60_000 });
    w.start();
    await waitUntil('a first round', () => work.leads === 1);
    await append();
    await waitUntil('a round for the append', () => work.leads === 2);
  });

  it('after an error pauses as told, an append cutting the pause short', async () => {
    const work = new Work();
    work.outcome = () => Promise.reject(new Error('store away'));
    const w = worker('a', work, { retry: { kind: 'pause', ms: 60_000 } });
    w.start();
    await waitUntil('a failed round', () => work.leads === 1);
    expect(work.failures).toEqual([new Error('store away')]);
    expect(errors).toEqual([new Error('store away')]);
    await append();
    await waitUntil('a round for the append', () => work.leads === 2);
  });

  it('backs off after an error: appends do not cut it short, stop() does', async () => {
    const work = new Work();
    work.outcome = () => Promise.reject(new Error('broker away'));
    const w = worker('a', work, { retry: { kind: 'backoff', minMs: 30_000, maxMs: 60_000 } });
    w.start();
    await waitUntil('a failed round', () => work.leads === 1);
    for (let i = 0; i < 5; i++) {
      await append();
      await sleep(10);
    }
    expect(work.leads).toBe(1);
    const started = Date.now();
    await w.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    // Released on stop even after failed rounds.
    expect(await reads.acquireLease(LEASE, 'b', 30_000, clock.ms)).toBeDefined();
  });

  it('doubles the backoff up to its maximum, and starts again from the minimum after a lead', async () => {
    const work = new Work();
    const at: number[] = [];
    // Four failures, a round that works, then failures again.
    work.outcome = () => {
      at.push(Date.now());
      return at.length === 5 ? Promise.resolve(true) : Promise.reject(new Error('broker away'));
    };
    const w = worker('a', work, { retry: { kind: 'backoff', minMs: 50, maxMs: 200 } });
    w.start();
    await waitUntil('seven rounds', () => work.leads >= 7);
    await w.stop();
    const gaps = at.slice(1, 7).map((t, i) => t - (at[i] ?? 0));
    // 50, 100, 200, 200, then at once (it worked), then 50 again: timers may be late, not early.
    expect(gaps[0]).toBeGreaterThanOrEqual(49);
    expect(gaps[1]).toBeGreaterThanOrEqual(99);
    expect(gaps[2]).toBeGreaterThanOrEqual(199);
    expect(gaps[3]).toBeGreaterThanOrEqual(199);
    expect(gaps[5]).toBeGreaterThanOrEqual(49);
    expect(gaps[5]).toBeLessThan(190);
    expect(work.failures.length).toBeGreaterThanOrEqual(5);
  });
});
