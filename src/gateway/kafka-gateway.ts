import type { Clock } from '../event-sourcing/clock.js';
import type { EventStore } from '../event-sourcing/ports/event-store.port.js';
import type { Publisher } from '../event-sourcing/ports/publisher.port.js';
import type { ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { LeasedWorker } from '../event-sourcing/workers/leased-worker.js';
import { replicaName, systemClock } from '../system.js';
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
  /** The time in milliseconds, in place of the system clock. */
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
  private readonly worker: LeasedWorker;
  private checkpoint = 0;
  private head = 0;
  private connected = false;
  private lastError: string | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly publisher: Publisher,
    private readonly options: GatewayOptions = {},
  ) {
    const now = options.now;
    const clock: Clock = now ? { now: () => new Date(now()) } : systemClock;
    this.worker = new LeasedWorker(
      events,
      store,
      clock,
      {
        lead: async () => {
          const moved = await this.publishBatch();
          this.connected = true;
          this.lastError = undefined;
          return moved;
        },
        // Another replica publishes; follow its checkpoint for /health.
        follow: async () => {
          this.checkpoint = await this.store.checkpoint(GATEWAY_CHECKPOINT);
          this.head = await this.events.headPosition();
        },
        leased: async (_held, taken) => {
          // Taking over from another replica: continue from its checkpoint, not ours.
          if (taken) this.checkpoint = await this.store.checkpoint(GATEWAY_CHECKPOINT);
        },
        failed: (error) => {
          this.connected = false;
          this.lastError = error instanceof Error ? error.message : String(error);
        },
      },
      {
        lease: GATEWAY_LEASE,
        replica: options.replica ?? replicaName(),
        leaseMs: options.leaseMs,
        idleMs: options.idleMs,
        retry: {
          kind: 'backoff',
          minMs: options.minBackoffMs ?? 500,
          maxMs: options.maxBackoffMs ?? 30_000,
        },
        onError: options.onError,
      },
    );
  }

  start(): void {
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    await this.publisher.close().catch(() => undefined);
  }

  status(): GatewayStatus {
    return {
      checkpoint: this.checkpoint,
      lag: Math.max(0, this.head - this.checkpoint),
      connected: this.connected,
      role: this.worker.role,
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    };
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
