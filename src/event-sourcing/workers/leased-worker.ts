import type { Clock } from '../clock.js';
import type { EventStore } from '../ports/event-store.port.js';
import { LeaseLostError, type LeaseFence } from '../ports/lease-fence.js';
import type { ReadStore } from '../ports/read-store.port.js';
import { WakeSignal } from './wake-signal.js';

/**
 * A change of this replica's hold on a lease, for logs and metrics (a counter by `change`):
 * - `acquired`: it took the lease (free, released, or expired under another holder) under a new
 *   generation;
 * - `lost`: another replica took it over (seen when renewing, or when a fenced write of this
 *   replica was refused: it was paused or slow past its lease);
 * - `released`: it gave the lease up on stop.
 */
export interface LeaseChange {
  readonly lease: string;
  readonly replica: string;
  readonly change: 'acquired' | 'lost' | 'released';
  /** The generation acquired, lost or released. */
  readonly generation: number;
}

/** What the worker waits before the next round when a round failed. */
export type RetryPolicy =
  /** A fixed pause, cut short by an append like an idle sleep. */
  | { readonly kind: 'pause'; readonly ms: number }
  /**
   * Doubling from `minMs` up to `maxMs`, back to `minMs` after a round led without error. Not
   * cut short by appends: while a dependency is away they would retry once per write; only
   * stop() ends it early.
   */
  | { readonly kind: 'backoff'; readonly minMs: number; readonly maxMs: number };

export interface LeasedWorkerOptions {
  /** The lease, in the read store, that one replica at a time holds to lead. */
  readonly lease: string;
  /** This replica's name in leases: unique among the replicas sharing a read store. */
  readonly replica: string;
  /**
   * How long a lease lasts unless renewed (default 15 s): renewed every third of it on a timer,
   * and before a round whenever less than half of it is left.
   */
  readonly leaseMs?: number | undefined;
  /** How long to sleep when there was nothing to do, unless an append wakes the worker first. */
  readonly idleMs?: number | undefined;
  /**
   * After a round that did something, how long before the next (default 0): under a stream of
   * appends each round then takes in more of them, and what they share (a rollup, a worklist)
   * is written once for all instead of once per round. Not cut short by appends; stop() ends it.
   */
  readonly paceMs?: number | undefined;
  readonly retry: RetryPolicy;
  /** Every error: a failed round and a failed renewal on the timer (not a lost lease). */
  readonly onError?: ((error: unknown) => void) | undefined;
  /** Every change of this replica's hold on the lease. */
  readonly onLeaseChange?: ((change: LeaseChange) => void) | undefined;
}

/** The work a leased worker runs: its own rounds as the leader and as a standby. */
export interface LeasedWork {
  /** One round as the leader; answers whether it did something (if not, the worker idles). */
  lead(): Promise<boolean>;
  /** One round as a standby: follow what the leader does (its checkpoints). */
  follow(): Promise<void>;
  /**
   * After every lease write: whether this replica holds it, and whether it just took it (under a
   * new generation: what it knew of the work as an earlier leader may be stale). Also after a
   * fenced write was refused (held false).
   */
  leased?(held: boolean, taken: boolean): Promise<void> | void;
  /** A round failed (called before onError and the retry policy's wait). */
  failed?(error: unknown): void;
}

/**
 * A loop that one replica at a time runs, under a lease in the read store: rounds as the leader
 * while it holds the lease, rounds following the leader otherwise; asleep until an append (or
 * the idle timeout) when a round found nothing to do; waiting as the retry policy says after an
 * error. The lease is renewed on a timer even during slow work and given up on stop.
 *
 * The work fences its writes with `fence` (the lease generation held): a replica paused past
 * its lease finds them refused (`LeaseLostError`) once another took over, and steps down.
 */
export class LeasedWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly signal: WakeSignal;
  private leader = false;
  /** Lease writes started, and the latest whose answer was applied. */
  private leaseWrites = 0;
  private appliedWrite = 0;
  /** The generation of the lease this replica holds (as of its last lease write). */
  private generation: number | undefined;
  /** When the lease this replica last took or renewed ends, by its clock (0: not held). */
  private leaseUntil = 0;
  private renewal: NodeJS.Timeout | undefined;
  /** Ends the backoff in progress (stop). */
  private endBackoff: (() => void) | undefined;

  constructor(
    events: EventStore,
    private readonly store: ReadStore,
    private readonly clock: Clock,
    private readonly work: LeasedWork,
    private readonly options: LeasedWorkerOptions,
  ) {
    this.signal = new WakeSignal(events);
  }

  /** Whether this replica holds the lease (as of its last lease write). */
  get role(): 'leader' | 'standby' {
    return this.leader ? 'leader' : 'standby';
  }

  /**
   * What the leader's writes are conditional on (`UnitOfWork.fence`): the lease generation it
   * holds. Undefined on a standby.
   */
  get fence(): LeaseFence | undefined {
    if (!this.leader || this.generation === undefined) return undefined;
    return { lease: this.options.lease, holder: this.options.replica, generation: this.generation };
  }

  /** False once stop() was called: long work checks it between steps. */
  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.signal.open();
    // Renewed on a timer too, not only between rounds: slow work must not let it lapse.
    this.renewal = setInterval(() => {
      if (this.leader) this.holdLease().catch((error: unknown) => this.options.onError?.(error));
    }, this.ttl / 3);
    this.renewal.unref();
    this.loop = this.run();
  }

  /** Ends the loop after the round in progress (a sleep or a backoff ends at once). */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.renewal);
    this.endBackoff?.();
    await this.signal.close();
    await this.loop;
  }

  /**
   * Before a round or a batch: whether this replica holds the lease with at least half of it
   * left. Checked against the clock, without a store write, while the timer keeps renewing it; a
   * write only when the lease ran short, which is what a replica paused past its lease (its
   * timer stalled too) finds on waking: it must win the lease again before it writes anything.
   */
  async keepLease(): Promise<boolean> {
    if (this.leader && this.leaseUntil - this.clock.now().getTime() >= this.ttl / 2) return true;
    return this.holdLease();
  }

  /**
   * A store round trip before something no store can fence (a publish to the broker): renews
   * the lease, or throws LeaseLostError when this replica no longer holds it under the
   * generation `fence` was taken with (another replica took over meanwhile).
   */
  async confirmLease(fence: LeaseFence): Promise<void> {
    await this.holdLease();
    if (this.fence?.generation !== fence.generation) throw new LeaseLostError(fence);
  }

  private get ttl(): number {
    return this.options.leaseMs ?? 15_000;
  }

  /** Takes or renews the lease in the store; answers whether this replica holds it. */
  private async holdLease(): Promise<boolean> {
    // The timer and the loop may write at once: an answer older than one already applied is
    // stale (a paused replica's writes may all come back together) and changes nothing.
    const write = ++this.leaseWrites;
    // Counted from before the write, as the store counts it: our estimate never outlasts it.
    const now = this.clock.now().getTime();
    const generation = await this.store.acquireLease(
      this.options.lease,
      this.options.replica,
      this.ttl,
      now,
    );
    if (write < this.appliedWrite) return this.leader;
    this.appliedWrite = write;
    const previous = this.leader ? this.generation : undefined;
    const held = generation !== undefined;
    // A new generation, even for a replica that thought it led: another held it in between.
    const taken = held && generation !== previous;
    if (previous !== undefined && generation !== previous) this.changed('lost', previous);
    this.leader = held;
    this.generation = generation;
    this.leaseUntil = held ? now + this.ttl : 0;
    if (taken) this.changed('acquired', generation);
    await this.work.leased?.(held, taken);
    return held;
  }

  /**
   * A fenced write was refused: the lease was taken over. Steps down at once (unless the lease
   * was already taken again under a newer generation); the next round's lease write tells
   * whether this replica may lead again.
   */
  private async stepDown(lost: LeaseFence): Promise<void> {
    if (!this.leader || this.generation !== lost.generation) return;
    this.leader = false;
    this.generation = undefined;
    this.leaseUntil = 0;
    this.changed('lost', lost.generation);
    await this.work.leased?.(false, false);
  }

  private changed(change: LeaseChange['change'], generation: number): void {
    this.options.onLeaseChange?.({
      lease: this.options.lease,
      replica: this.options.replica,
      change,
      generation,
    });
  }

  private async run(): Promise<void> {
    const { retry } = this.options;
    let backoff = retry.kind === 'backoff' ? retry.minMs : 0;
    while (this.running) {
      try {
        // Appends from now on interrupt this round's sleep.
        this.signal.reset();
        if (!(await this.keepLease())) {
          await this.work.follow();
          await this.idle();
          continue;
        }
        const worked = await this.work.lead();
        if (retry.kind === 'backoff') backoff = retry.minMs;
        if (!worked) await this.idle();
        else if (this.options.paceMs) await this.backoff(this.options.paceMs);
      } catch (error) {
        if (error instanceof LeaseLostError) {
          // Not a failure: another replica leads now. Follow it from the next round on.
          await this.stepDown(error.fence).catch((failure: unknown) =>
            this.options.onError?.(failure),
          );
          continue;
        }
        this.work.failed?.(error);
        this.options.onError?.(error);
        if (retry.kind === 'pause') {
          await this.signal.sleep(retry.ms);
        } else {
          await this.backoff(backoff);
          backoff = Math.min(backoff * 2, retry.maxMs);
        }
      }
    }
    const released = this.fence;
    if (released) {
      this.leader = false;
      this.generation = undefined;
      await this.store
        .releaseLease(released.lease, released.holder)
        .then(() => {
          this.changed('released', released.generation);
        })
        .catch(() => undefined);
    }
  }

  private idle(): Promise<void> {
    return this.signal.sleep(this.options.idleMs ?? 200);
  }

  /**
   * Waits `ms`, on a timer of its own rather than the wake signal (a backoff, or the pace
   * between rounds): only stop() ends it early.
   */
  private backoff(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.endBackoff = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
