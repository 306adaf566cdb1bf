import type { Projection } from './projection.js';
import type { Clock } from '../clock.js';
import type { EventStore } from '../ports/event-store.port.js';
import { WakeSignal } from '../workers/wake-signal.js';
import type { ReadStore } from '../ports/read-store.port.js';
import { catchUp } from './catch-up.js';
import {
  activeEntry,
  CATALOG_COLLECTION,
  catalogEntry,
  ensureTarget,
  nextGeneration,
  targetFor,
} from './projection-catalog.js';
import type { ProjectionTarget } from './projection-target.js';

export interface ProjectionStatus {
  readonly name: string;
  /** Whether this replica runs the projection (holds the lease) or follows another. */
  readonly role: 'leader' | 'standby';
  readonly version: number;
  readonly collection: string;
  readonly checkpoint: number;
  readonly lag: number;
  /** A new version being built while the previous one serves. */
  readonly building?: { readonly collection: string; readonly checkpoint: number };
}

/** One replica at a time runs the projections: the others wait on this lease in the read store. */
export const RUNNER_LEASE = 'projection-runner';

export interface RunnerOptions {
  /** This replica's name in leases: unique among the replicas sharing a read store. */
  readonly replica: string;
  /**
   * How long a lease lasts unless renewed: renewed every third of it on a timer, and before a
   * batch whenever less than half of it is left.
   */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  /** How long to sleep when caught up, unless an append wakes the runner first. */
  readonly idleMs?: number;
  readonly onError?: (error: unknown) => void;
}

interface Waiter {
  readonly name: string;
  readonly position: number;
  readonly resolve: () => void;
}

/**
 * Keeps every projection's active generation caught up with the log (catch-up, then live), and
 * builds a new generation from 0 when a projection's version changed, swapping it in once it
 * has caught up. Generations rebuilt by the command line are picked up from the catalog.
 */
export class ProjectionRunner {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly signal: WakeSignal;
  private readonly checkpoints = new Map<string, number>();
  private readonly statuses = new Map<string, ProjectionStatus>();
  private waiters: Waiter[] = [];
  /** Generations being built for a changed version, by projection name. */
  private readonly pending = new Map<string, ProjectionTarget>();
  /** Active generations whose declared indexes this process has ensured. */
  private readonly indexed = new Set<string>();
  private head = 0;
  /** Whether this replica holds the runner lease. */
  private leader = false;
  /** When the lease this replica last took or renewed ends, by its clock (0: not held). */
  private leaseUntil = 0;
  private renewal: NodeJS.Timeout | undefined;
  private readonly replica: string;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly projections: ReadonlyArray<Projection>,
    private readonly clock: Clock,
    private readonly options: RunnerOptions,
  ) {
    this.signal = new WakeSignal(events);
    this.replica = options.replica;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.signal.open();
    // Renewed on a timer too, not only between batches: a slow batch must not let it lapse.
    const ttl = this.options.leaseMs ?? 15_000;
    this.renewal = setInterval(() => {
      if (this.leader) this.holdLease().catch((error: unknown) => this.options.onError?.(error));
    }, ttl / 3);
    this.renewal.unref();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.renewal);
    await this.signal.close();
    await this.loop;
  }

  status(): ProjectionStatus[] {
    return [...this.statuses.values()];
  }

  /** Resolves true once the projection applied `position`, false after `timeoutMs`. */
  async waitFor(name: string, position: number, timeoutMs: number): Promise<boolean> {
    if ((await this.appliedPosition(name)) >= position) return true;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        name,
        position,
        resolve: () => {
          resolve(true);
        },
      };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs).unref();
    });
  }

  private async appliedPosition(name: string): Promise<number> {
    const known = this.checkpoints.get(name);
    if (known !== undefined) return known;
    const entry = await activeEntry(this.store, name);
    return entry ? this.store.checkpoint(entry.collection) : 0;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.keepLease())) {
          // Another replica runs the projections: follow its checkpoints for /health and waiters.
          await this.observe();
          await this.idle();
          continue;
        }
        const worked = await this.step();
        if (!worked) await this.idle();
      } catch (error) {
        this.options.onError?.(error);
        await this.idle(1000);
      }
    }
    if (this.leader)
      await this.store.releaseLease(RUNNER_LEASE, this.replica).catch(() => undefined);
  }

  /**
   * Before a round or a batch: whether this replica holds the lease with at least half of it
   * left. Checked against the clock, without a store write, while the timer keeps renewing it; a
   * write only when the lease ran short, which is what a replica paused past its lease (its
   * timer stalled too) finds on waking: it must win the lease again before it writes anything.
   */
  private async keepLease(): Promise<boolean> {
    const ttl = this.options.leaseMs ?? 15_000;
    if (this.leader && this.leaseUntil - this.clock.now().getTime() >= ttl / 2) return true;
    return this.holdLease();
  }

  /** Takes or renews the runner lease in the store; answers whether this replica holds it. */
  private async holdLease(): Promise<boolean> {
    const ttl = this.options.leaseMs ?? 15_000;
    // Counted from before the write, as the store counts it: our estimate never outlasts it.
    const now = this.clock.now().getTime();
    const held = await this.store.acquireLease(RUNNER_LEASE, this.replica, ttl, now);
    this.leader = held;
    this.leaseUntil = held ? now + ttl : 0;
    // The role shows at once, not when the next catch-up ends.
    for (const [name, status] of this.statuses)
      this.statuses.set(name, { ...status, role: held ? 'leader' : 'standby' });
    return held;
  }

  /** A standby's view: each projection's active generation and checkpoint, read from the store. */
  private async observe(): Promise<void> {
    const active = new Map<string, ProjectionTarget>();
    for (const projection of this.projections) {
      const entry = await activeEntry(this.store, projection.name);
      if (entry?.version === projection.version) {
        active.set(projection.name, {
          projection,
          collection: entry.collection,
          rollupCollection: entry.rollupCollection,
        });
      }
    }
    await this.refresh(active, new Map());
  }

  /** One round: resolve the targets, catch them up, swap in finished builds. */
  private async step(): Promise<boolean> {
    this.signal.reset();
    const targets = await this.resolveTargets();
    await this.refresh(targets.active, targets.building);
    const before = Math.min(
      ...(await Promise.all(targets.all.map((t) => this.store.checkpoint(t.collection)))),
    );
    const reached = await catchUp(this.events, this.store, targets.all, {
      batchSize: this.options.batchSize ?? 1000,
      // Documents of organizations active now stay in memory between batches of a long
      // catch-up rather than being read back for each; bounded to keep the server small.
      maxCached: 5_000,
      stopped: () => !this.running,
      // Checked before every batch: a long catch-up keeps it, a paused replica loses it.
      beforeBatch: () => this.keepLease(),
      onBatch: (position) => {
        this.markApplied(targets.active.keys(), position);
      },
    });
    for (const [name, target] of targets.building) {
      if ((await this.store.checkpoint(target.collection)) >= (await this.events.headPosition())) {
        await this.activate(target);
        targets.active.set(name, target);
        targets.building.delete(name);
      }
    }
    await this.refresh(targets.active, targets.building);
    return reached > before;
  }

  private async resolveTargets(): Promise<{
    active: Map<string, ProjectionTarget>;
    building: Map<string, ProjectionTarget>;
    all: ProjectionTarget[];
  }> {
    const active = new Map<string, ProjectionTarget>();
    const building = new Map<string, ProjectionTarget>();
    for (const projection of this.projections) {
      const entry = await activeEntry(this.store, projection.name);
      if (entry?.version === projection.version) {
        const target = {
          projection,
          collection: entry.collection,
          rollupCollection: entry.rollupCollection,
        };
        // Indexes declared since the generation was built are added once (a no-op otherwise).
        if (!this.indexed.has(target.collection)) {
          await ensureTarget(this.store, target);
          this.indexed.add(target.collection);
        }
        active.set(projection.name, target);
        continue;
      }
      // No generation yet, or one of an older version: build the current version from 0.
      const pending =
        this.pending.get(projection.name) ??
        targetFor(projection, await nextGeneration(this.store, projection));
      this.pending.set(projection.name, pending);
      await ensureTarget(this.store, pending);
      if (entry === undefined) {
        await this.activate(pending);
        active.set(projection.name, pending);
      } else {
        building.set(projection.name, pending);
      }
    }
    for (const name of active.keys()) this.pending.delete(name);
    return { active, building, all: [...active.values(), ...building.values()] };
  }

  private async refresh(
    active: ReadonlyMap<string, ProjectionTarget>,
    building: ReadonlyMap<string, ProjectionTarget>,
  ): Promise<void> {
    this.head = await this.events.headPosition();
    for (const [name, target] of active) {
      const checkpoint = await this.store.checkpoint(target.collection);
      this.checkpoints.set(name, checkpoint);
      const build = building.get(name);
      this.statuses.set(name, {
        name,
        role: this.leader ? 'leader' : 'standby',
        version: target.projection.version,
        collection: target.collection,
        checkpoint,
        lag: Math.max(0, this.head - checkpoint),
        ...(build && {
          building: {
            collection: build.collection,
            checkpoint: await this.store.checkpoint(build.collection),
          },
        }),
      });
    }
    this.releaseWaiters();
  }

  private markApplied(names: Iterable<string>, position: number): void {
    for (const name of names) {
      const checkpoint = Math.max(this.checkpoints.get(name) ?? 0, position);
      this.checkpoints.set(name, checkpoint);
      // /health moves with every batch of a long catch-up.
      const status = this.statuses.get(name);
      if (status)
        this.statuses.set(name, {
          ...status,
          checkpoint,
          lag: Math.max(0, this.head - checkpoint),
        });
    }
    this.releaseWaiters();
  }

  private releaseWaiters(): void {
    const ready = this.waiters.filter((w) => (this.checkpoints.get(w.name) ?? 0) >= w.position);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }

  private async activate(target: ProjectionTarget): Promise<void> {
    const entry = catalogEntry(target, generationOf(target), this.clock.now());
    await this.store.commit({ puts: [{ collection: CATALOG_COLLECTION, document: entry }] });
  }

  private idle(ms = this.options.idleMs ?? 200): Promise<void> {
    return this.signal.sleep(ms);
  }
}

function generationOf(target: ProjectionTarget): number {
  return Number(/_g(\d+)$/.exec(target.collection)?.[1] ?? 1);
}
