import type { Clock } from '../clock.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { ReadStore } from '../ports/read-store.port.js';
import { WakeSignal } from './wake-signal.js';

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
  readonly retry: RetryPolicy;
  /** Every error: a failed round and a failed renewal on the timer. */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** The work a leased worker runs: its own rounds as the leader and as a standby. */
export interface LeasedWork {
  /** One round as the leader; answers whether it did something (if not, the worker idles). */
  lead(): Promise<boolean>;
  /** One round as a standby: follow what the leader does (its checkpoints). */
  follow(): Promise<void>;
  /** After every lease write: whether this replica holds it, and whether it just took it. */
  leased?(held: boolean, taken: boolean): Promise<void> | void;
  /** A round failed (called before onError and the retry policy's wait). */
  failed?(error: unknown): void;
}

/**
 * A loop that one replica at a time runs, under a lease in the read store: rounds as the leader
 * while it holds the lease, rounds following the leader otherwise; asleep until an append (or
 * the idle timeout) when a round found nothing to do; waiting as the retry policy says after an
 * error. The lease is renewed on a timer even during slow work and given up on stop.
 */
export class LeasedWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly signal: WakeSignal;
  private leader = false;
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

  private get ttl(): number {
    return this.options.leaseMs ?? 15_000;
  }

  /** Takes or renews the lease in the store; answers whether this replica holds it. */
  private async holdLease(): Promise<boolean> {
    const wasLeader = this.leader;
    // Counted from before the write, as the store counts it: our estimate never outlasts it.
    const now = this.clock.now().getTime();
    const held = await this.store.acquireLease(
      this.options.lease,
      this.options.replica,
      this.ttl,
      now,
    );
    this.leader = held;
    this.leaseUntil = held ? now + this.ttl : 0;
    await this.work.leased?.(held, held && !wasLeader);
    return held;
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
      } catch (error) {
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
    if (this.leader)
      await this.store
        .releaseLease(this.options.lease, this.options.replica)
        .catch(() => undefined);
  }

  private idle(): Promise<void> {
    return this.signal.sleep(this.options.idleMs ?? 200);
  }

  /** Waits `ms`, on a timer of its own rather than the wake signal: only stop() ends it early. */
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
