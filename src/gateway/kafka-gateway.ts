import type { EventStore } from '../event-sourcing/ports/event-store.port.js';
import type { Publisher } from '../event-sourcing/ports/publisher.port.js';
import type { ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { WakeSignal } from '../event-sourcing/workers/wake-signal.js';
import { replicaName } from '../system.js';
import { isIntegrationEvent, toIntegrationMessage } from './integration-event.js';

export const GATEWAY_CHECKPOINT = 'gateway_kafka';
/** One replica at a time publishes: the others wait on this lease in the read store. */
export const GATEWAY_LEASE = 'kafka-gateway';

export interface GatewayStatus {
  readonly checkpoint: number;
  readonly lag: number;
  readonly connected: boolean;
  readonly role: 'leader' | 'standby';
  readonly lastError?: string;
}

export interface GatewayOptions {
  /** This replica's name in leases. */
  readonly replica?: string;
  readonly leaseMs?: number;
  readonly now?: () => number;
  readonly batchSize?: number;
  readonly idleMs?: number;
  /** Backoff while the broker is away: doubles from `minBackoffMs` up to `maxBackoffMs`. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Carries stored events to downstream systems (DESIGN §1): a checkpointed read of the whole
 * log, published in order, the checkpoint moved only after the broker acknowledged. It runs
 * beside the command path and never blocks it; a crash or an absent broker delays, never loses.
 */
export class KafkaGateway {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly signal: WakeSignal;
  private checkpoint = 0;
  private head = 0;
  private connected = false;
  private lastError: string | undefined;
  private leader = false;
  private renewal: NodeJS.Timeout | undefined;
  private readonly replica: string;
  /** Ends the backoff in progress (stop). */
  private endBackoff: (() => void) | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly publisher: Publisher,
    private readonly options: GatewayOptions = {},
  ) {
    this.signal = new WakeSignal(events);
    this.replica = options.replica ?? replicaName();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.signal.open();
    // Renewed on a timer too, not only between batches: a slow publish must not let it lapse.
    this.renewal = setInterval(
      () => {
        if (this.leader) this.holdLease().catch((error: unknown) => this.options.onError?.(error));
      },
      (this.options.leaseMs ?? 15_000) / 3,
    );
    this.renewal.unref();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.renewal);
    this.endBackoff?.();
    await this.signal.close();
    await this.loop;
    if (this.leader)
      await this.store.releaseLease(GATEWAY_LEASE, this.replica).catch(() => undefined);
    await this.publisher.close().catch(() => undefined);
  }

  status(): GatewayStatus {
    return {
      checkpoint: this.checkpoint,
      lag: Math.max(0, this.head - this.checkpoint),
      connected: this.connected,
      role: this.leader ? 'leader' : 'standby',
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    };
  }

  private async run(): Promise<void> {
    let backoff = this.options.minBackoffMs ?? 500;
    this.checkpoint = await this.store.checkpoint(GATEWAY_CHECKPOINT);
    while (this.running) {
      try {
        this.signal.reset();
        if (!(await this.holdLease())) {
          // Another replica publishes; follow its checkpoint for /health.
          this.checkpoint = await this.store.checkpoint(GATEWAY_CHECKPOINT);
          this.head = await this.events.headPosition();
          await this.signal.sleep(this.options.idleMs ?? 200);
          continue;
        }
        const moved = await this.publishBatch();
        this.connected = true;
        this.lastError = undefined;
        backoff = this.options.minBackoffMs ?? 500;
        if (!moved) await this.signal.sleep(this.options.idleMs ?? 200);
      } catch (error) {
        this.connected = false;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.onError?.(error);
        await this.backoff(backoff);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 30_000);
      }
    }
  }

  /**
   * Waits while the broker is away. Not on the wake signal: appends arriving meanwhile would cut
   * every backoff short and retry once per write; only stop() ends it early.
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

  private async holdLease(): Promise<boolean> {
    const wasLeader = this.leader;
    const now = (this.options.now ?? Date.now)();
    this.leader = await this.store.acquireLease(
      GATEWAY_LEASE,
      this.replica,
      this.options.leaseMs ?? 15_000,
      now,
    );
    // Taking over from another replica: continue from its checkpoint, not ours.
    if (this.leader && !wasLeader)
      this.checkpoint = await this.store.checkpoint(GATEWAY_CHECKPOINT);
    return this.leader;
  }

  /** One batch: read after the checkpoint, publish, then move the checkpoint. */
  private async publishBatch(): Promise<boolean> {
    this.head = await this.events.headPosition();
    const page = await this.events.readAll({
      fromPosition: this.checkpoint,
      maxCount: this.options.batchSize ?? 500,
    });
    const last = page.at(-1);
    if (!last) return false;
    await this.publisher.publish(page.filter(isIntegrationEvent).map(toIntegrationMessage));
    await this.store.commit({ checkpoints: { [GATEWAY_CHECKPOINT]: last.position } });
    this.checkpoint = last.position;
    return true;
  }
}
