import type { Projection } from './projection.js';
import type { Clock } from '../clock.js';
import {
  earliestOf,
  isAfter,
  isAtOrAfter,
  laterOf,
  LOG_START,
  positionToJson,
  type EventStore,
  type Position,
} from '../ports/event-store.port.js';
import { LagMeter, secondsBetween } from '../positions/lag.js';
import type { CheckedCheckpoint } from '../positions/checkpoint-check.js';
import { readModelCheckpoints } from './read-model-checkpoints.js';
import type { LeaseFence } from '../ports/lease-fence.js';
import { LeasedWorker, type LeaseChange } from '../workers/leased-worker.js';
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
  /** The last position applied, as on the wire. */
  readonly checkpoint: number;
  /** Events behind the head, where the store counts them cheaply (null on EventStoreDB). */
  readonly lag: number | null;
  /** Seconds between the recorded times of the head's event and the checkpoint's. */
  readonly lagSeconds: number | null;
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
  /** After a round that applied events, how long before the next (see LeasedWorkerOptions). */
  readonly paceMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Every change of this replica's hold on the runner's lease (for logs and metrics). */
  readonly onLeaseChange?: (change: LeaseChange) => void;
}

interface Waiter {
  readonly name: string;
  readonly position: Position;
  readonly resolve: () => void;
}

/**
 * Keeps every projection's active generation caught up with the log (catch-up, then live), and
 * builds a new generation from 0 when a projection's version changed, swapping it in once it
 * has caught up. Generations rebuilt by the command line are picked up from the catalog.
 */
export class ProjectionRunner {
  private readonly worker: LeasedWorker;
  private readonly checkpoints = new Map<string, Position>();
  private readonly statuses = new Map<string, ProjectionStatus>();
  private waiters: Waiter[] = [];
  /** Generations being built for a changed version, by projection name. */
  private readonly pending = new Map<string, ProjectionTarget>();
  /** Active generations whose declared indexes this process has ensured. */
  private readonly indexed = new Set<string>();
  private head = LOG_START;
  /** When the head's event was recorded (ms), for the lag in seconds between refreshes. */
  private headTime: number | null = null;
  private readonly lag: LagMeter;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly projections: ReadonlyArray<Projection>,
    private readonly clock: Clock,
    private readonly options: RunnerOptions,
  ) {
    this.lag = new LagMeter(events);
    this.worker = new LeasedWorker(
      events,
      store,
      clock,
      {
        lead: () => this.step(),
        // Another replica runs the projections: follow its checkpoints for /health and waiters.
        follow: () => this.observe(),
        leased: (held) => {
          // The role shows at once, not when the next catch-up ends.
          for (const [name, status] of this.statuses)
            this.statuses.set(name, { ...status, role: held ? 'leader' : 'standby' });
        },
      },
      {
        lease: RUNNER_LEASE,
        replica: options.replica,
        leaseMs: options.leaseMs,
        idleMs: options.idleMs,
        paceMs: options.paceMs,
        retry: { kind: 'pause', ms: 1000 },
        onError: options.onError,
        onLeaseChange: options.onLeaseChange,
      },
    );
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** The serving generations' checkpoints, to check against the event store before start. */
  servingCheckpoints(): Promise<CheckedCheckpoint[]> {
    return readModelCheckpoints(this.store, this.projections);
  }

  status(): ProjectionStatus[] {
    return [...this.statuses.values()];
  }

  /** Resolves true once the projection applied `position`, false after `timeoutMs`. */
  async waitFor(name: string, position: Position, timeoutMs: number): Promise<boolean> {
    if (isAtOrAfter(await this.appliedPosition(name), position)) return true;
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

  private async appliedPosition(name: string): Promise<Position> {
    const known = this.checkpoints.get(name);
    if (known !== undefined) return known;
    const entry = await activeEntry(this.store, name);
    return entry ? this.store.checkpoint(entry.collection) : LOG_START;
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
    // Every write of the round is conditional on the lease generation it started under: a
    // replica paused past its lease finds them refused once another took over.
    const fence = this.worker.fence;
    if (!fence) return false;
    const targets = await this.resolveTargets(fence);
    await this.refresh(targets.active, targets.building);
    const before = earliestOf(
      await Promise.all(targets.all.map((t) => this.store.checkpoint(t.collection))),
    );
    const reached = await catchUp(this.events, this.store, targets.all, {
      batchSize: this.options.batchSize ?? 1000,
      // Documents of organizations active now stay in memory between batches of a long
      // catch-up rather than being read back for each; bounded to keep the server small.
      maxCached: 5_000,
      stopped: () => !this.worker.active,
      // Checked before every batch: a long catch-up keeps it, a paused replica loses it.
      beforeBatch: () => this.worker.keepLease(),
      fence,
      onBatch: (position, events, recordedAt) => {
        this.markApplied(targets.active.keys(), position, events, recordedAt);
      },
    });
    for (const [name, target] of targets.building) {
      const checkpoint = await this.store.checkpoint(target.collection);
      if (isAtOrAfter(checkpoint, await this.events.headPosition())) {
        await this.activate(target, fence);
        targets.active.set(name, target);
        targets.building.delete(name);
      }
    }
    await this.refresh(targets.active, targets.building);
    return isAfter(reached, before);
  }

  private async resolveTargets(fence: LeaseFence): Promise<{
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
        await this.activate(pending, fence);
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
    this.headTime = await this.lag.recordedTime(this.head);
    for (const [name, target] of active) {
      const checkpoint = await this.store.checkpoint(target.collection);
      this.checkpoints.set(name, checkpoint);
      const build = building.get(name);
      const lag = await this.lag.measure(checkpoint, this.head);
      this.statuses.set(name, {
        name,
        role: this.worker.role,
        version: target.projection.version,
        collection: target.collection,
        checkpoint: positionToJson(checkpoint),
        lag: lag.events,
        lagSeconds: lag.seconds,
        ...(build && {
          building: {
            collection: build.collection,
            checkpoint: positionToJson(await this.store.checkpoint(build.collection)),
          },
        }),
      });
    }
    this.releaseWaiters();
  }

  /**
   * After a batch committed `events` events up to `position` (recorded at `recordedAt`): /health
   * moves with every batch of a long catch-up, its lag counted down by the events applied, in
   * seconds from the batch's last event, until the round's refresh measures them again.
   */
  private markApplied(
    names: Iterable<string>,
    position: Position,
    events: number,
    recordedAt: number | null,
  ): void {
    for (const name of names) {
      const checkpoint = laterOf(this.checkpoints.get(name) ?? LOG_START, position);
      this.checkpoints.set(name, checkpoint);
      const status = this.statuses.get(name);
      if (status) {
        const caughtUp = isAtOrAfter(checkpoint, this.head);
        this.statuses.set(name, {
          ...status,
          checkpoint: positionToJson(checkpoint),
          lag: caughtUp ? 0 : status.lag === null ? null : Math.max(0, status.lag - events),
          lagSeconds: caughtUp ? 0 : secondsBetween(recordedAt, this.headTime),
        });
      }
    }
    this.releaseWaiters();
  }

  private releaseWaiters(): void {
    const ready = this.waiters.filter((w) =>
      isAtOrAfter(this.checkpoints.get(w.name) ?? LOG_START, w.position),
    );
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }

  private async activate(target: ProjectionTarget, fence: LeaseFence): Promise<void> {
    const entry = catalogEntry(target, generationOf(target), this.clock.now());
    await this.store.commit({ puts: [{ collection: CATALOG_COLLECTION, document: entry }], fence });
  }
}

function generationOf(target: ProjectionTarget): number {
  return Number(/_g(\d+)$/.exec(target.collection)?.[1] ?? 1);
}
