import type { Clock } from '../event-sourcing/clock.js';
import {
  isAfter,
  isAtOrAfter,
  LOG_START,
  positionToJson,
  type Position,
  type EventStore,
} from '../event-sourcing/ports/event-store.port.js';
import {
  LagMeter,
  NO_LAG,
  recordedTimeOf,
  secondsBetween,
  type Lag,
} from '../event-sourcing/positions/lag.js';
import type { CheckedCheckpoint } from '../event-sourcing/positions/checkpoint-check.js';
import type { Publisher } from '../event-sourcing/ports/publisher.port.js';
import type { ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { LeasedWorker, type LeaseChange } from '../event-sourcing/workers/leased-worker.js';
import { settledWithin } from '../event-sourcing/workers/deadline.js';
import { replicaName, systemClock } from '../system.js';
import { isIntegrationEvent, toIntegrationMessage } from './integration-event.js';

export const GATEWAY_CHECKPOINT = 'gateway_kafka';
/** The gateway's checkpoint, checked against the event store before start, and its way out. */
export const GATEWAY_CHECKED: CheckedCheckpoint = {
  name: GATEWAY_CHECKPOINT,
  wayOut:
    'move the gateway to this store with `npm run projections -- reset-gateway` (events before the head are not published again)',
};
/** One replica at a time publishes: the others wait on this lease in the read store. */
export const GATEWAY_LEASE = 'kafka-gateway';

/** While idle, the broker is asked for its metadata this often, so /health stays true. */
const PROBE_EVERY_MS = 5000;
/** How long a probe waits for the broker's answer. */
const PROBE_TIMEOUT_MS = 2000;
/**
 * stop() waits this long for the round in flight, then as long for the publisher to close:
 * a broker that accepts connections but never answers must not hold a shutdown (≤ 5 s).
 */
const STOP_WAIT_MS = 2000;

export interface GatewayStatus {
  /** The last position acknowledged by the broker, as on the wire. */
  readonly checkpoint: number;
  /** Events stored but not yet acknowledged, where the store counts them (null on EventStoreDB). */
  readonly lag: number | null;
  /** Seconds between the recorded times of the head's event and the checkpoint's. */
  readonly lagSeconds: number | null;
  /** Whether the broker answered the last round trip (a publish, or a probe while idle). */
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
  /** Every change of this replica's hold on the gateway's lease (for logs and metrics). */
  readonly onLeaseChange?: (change: LeaseChange) => void;
}

/**
 * Carries stored events to downstream systems (DESIGN §1): a checkpointed read of the whole
 * log, published in order, the checkpoint moved only after the broker acknowledged. It runs
 * beside the command path and never blocks it; a crash or an absent broker delays, never loses.
 */
export class KafkaGateway {
  private readonly worker: LeasedWorker;
  private checkpoint = LOG_START;
  private head = LOG_START;
  private lag: Lag = NO_LAG;
  private readonly lagMeter: LagMeter;
  /** The head `lag` was counted up to; undefined: count it again in full. */
  private lagHead: Position | undefined;
  private connected = false;
  private lastError: string | undefined;
  /** When the broker last answered, by the gateway's clock (0: never). */
  private answeredAt = 0;
  private readonly clock: Clock;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly publisher: Publisher,
    private readonly options: GatewayOptions = {},
  ) {
    this.lagMeter = new LagMeter(events);
    const now = options.now;
    const clock: Clock = now ? { now: () => new Date(now()) } : systemClock;
    this.clock = clock;
    this.worker = new LeasedWorker(
      events,
      store,
      clock,
      {
        lead: async () => {
          const sent = await this.publishBatch();
          // An empty batch asked nothing of the broker: a probe says whether it still answers.
          if (!sent && this.clock.now().getTime() - this.answeredAt >= PROBE_EVERY_MS)
            await this.probe();
          return sent !== undefined;
        },
        // Another replica publishes; follow its checkpoint for /health.
        follow: async () => {
          this.checkpoint = await this.store.checkpoint(GATEWAY_CHECKPOINT);
          this.head = await this.events.headPosition();
          await this.measureLag();
        },
        leased: async (_held, taken) => {
          // Taking over from another replica: continue from its checkpoint, not ours.
          if (taken) {
            this.checkpoint = await this.store.checkpoint(GATEWAY_CHECKPOINT);
            this.lagHead = undefined;
          }
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
        onLeaseChange: options.onLeaseChange,
      },
    );
  }

  start(): void {
    this.worker.start();
  }

  /** Bounded: at most STOP_WAIT_MS for the round in flight, as long again to close. */
  async stop(): Promise<void> {
    const stopping = this.worker.stop();
    const stopped = await settledWithin(stopping, STOP_WAIT_MS);
    // Closing the publisher also fails the requests the round still waits on.
    await settledWithin(this.publisher.close(), STOP_WAIT_MS);
    if (!stopped) await settledWithin(stopping, 500);
  }

  status(): GatewayStatus {
    return {
      checkpoint: positionToJson(this.checkpoint),
      lag: this.lag.events,
      lagSeconds: this.lag.seconds,
      connected: this.connected,
      role: this.worker.role,
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    };
  }

  /**
   * One batch: read after the checkpoint, publish, then move the checkpoint. Answers undefined
   * when the log had nothing new, else whether messages went to the broker (a batch of only
   * reservations moves the checkpoint without asking it anything).
   *
   * Fenced: the broker cannot refuse a stale publisher, so the lease is confirmed in the store
   * (its generation unchanged) right before publishing, and the checkpoint moves only under
   * that generation. A replica paused past its lease thus publishes nothing once another took
   * over; see docs/operators.md for the window that remains.
   */
  private async publishBatch(): Promise<boolean | undefined> {
    const fence = this.worker.fence;
    if (!fence) return undefined;
    this.head = await this.events.headPosition();
    await this.headMoved();
    const page = await this.events.readAll({
      fromPosition: this.checkpoint,
      maxCount: this.options.batchSize ?? 500,
    });
    const last = page.at(-1);
    if (!last) return undefined;
    const messages = page.filter(isIntegrationEvent).map(toIntegrationMessage);
    if (messages.length > 0) await this.worker.confirmLease(fence);
    await this.publisher.publish(messages);
    if (messages.length > 0) this.answered();
    await this.store.commit({ checkpoints: { [GATEWAY_CHECKPOINT]: last.position }, fence });
    this.checkpoint = last.position;
    const caughtUp = isAtOrAfter(this.checkpoint, this.head);
    this.lag = caughtUp
      ? NO_LAG
      : {
          events: this.lag.events === null ? null : Math.max(0, this.lag.events - page.length),
          seconds: secondsBetween(
            recordedTimeOf(last),
            await this.lagMeter.recordedTime(this.head),
          ),
        };
    return messages.length > 0;
  }

  private async measureLag(): Promise<void> {
    this.lag = await this.lagMeter.measure(this.checkpoint, this.head);
    this.lagHead = this.head;
  }

  /**
   * A long backlog is not counted again for every batch: only the events appended since the
   * last count are added (each batch counts itself off once published).
   */
  private async headMoved(): Promise<void> {
    const counted = this.lagHead;
    if (counted === undefined || isAfter(counted, this.head)) {
      await this.measureLag();
      return;
    }
    if (!isAfter(this.head, counted)) return;
    const added = await this.events.countBetween(counted, this.head);
    this.lag = {
      events: this.lag.events === null || added === null ? null : this.lag.events + added,
      seconds: secondsBetween(
        await this.lagMeter.recordedTime(this.checkpoint),
        await this.lagMeter.recordedTime(this.head),
      ),
    };
    this.lagHead = this.head;
  }

  /** Asks the broker for its metadata (when the publisher can): throws when it does not answer. */
  private async probe(): Promise<void> {
    if (!this.publisher.probe) return;
    await this.publisher.probe(PROBE_TIMEOUT_MS);
    this.answered();
  }

  private answered(): void {
    this.connected = true;
    this.lastError = undefined;
    this.answeredAt = this.clock.now().getTime();
  }
}
