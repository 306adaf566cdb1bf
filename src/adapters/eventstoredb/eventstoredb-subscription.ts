import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  Subscription,
  SubscribeToAllOptions,
} from '../../event-sourcing/ports/event-store.port.js';
import type {
  EsdbPosition,
  EsdbReadPosition,
  EsdbSubscriptionSource,
} from './eventstoredb-client.js';
import { START, isAfter, isFatalForSubscription, toRecordedEvent } from './eventstoredb-mapping.js';

/** How long to wait before resubscribing after a drop: doubling from the first to the cap. */
export interface ResubscribeDelays {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RESUBSCRIBE_DELAYS: ResubscribeDelays = { initialMs: 100, maxMs: 5_000 };

export interface EventStoreDbSubscriptionOptions {
  /** Opens the client's subscription to $all from a checkpoint (exclusive), filtered. */
  readonly open: (from: EsdbReadPosition) => EsdbSubscriptionSource;
  /** Whether an arriving event is one of ours (the server filters; this checks again). */
  readonly accepts: (event: { readonly type: string; readonly streamId: string }) => boolean;
  readonly from: EsdbPosition | typeof START;
  readonly delays: ResubscribeDelays;
  readonly onFinished: (subscription: EventStoreDbSubscription) => void;
  /** Each event's position once its handler settled (the head cache follows these). */
  readonly onDelivered?: (position: EsdbPosition) => void;
  /** The client's stream failed or ended: a resubscription follows, unless it stopped for good. */
  readonly onDropped?: (forGood: boolean) => void;
}

/** Carries a handler's failure out of the read loop, apart from the stream's own failures. */
class HandlerFailed extends Error {
  constructor(readonly error: unknown) {
    super('The subscription handler failed', { cause: error });
  }
}

/**
 * A catch-up subscription to $all that survives the server: when the client's stream fails or
 * ends (a server restart, a leader change, a lost connection), it resubscribes from the last
 * delivered position, waiting longer after each failure in a row, until closed. Only a failing
 * handler, or an error no retry can get past (access denied, a position the server refuses),
 * stops it and is reported to onError.
 *
 * Events are handed to onEvent one at a time: the next is taken from the client's stream only
 * once the handler's promise settled, so the stream's backpressure holds the server back.
 */
export class EventStoreDbSubscription implements Subscription {
  private static readonly delivering = new AsyncLocalStorage<EventStoreDbSubscription>();
  private closed = false;
  private source: EsdbSubscriptionSource | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly finished: Promise<void>;
  /** Subscriptions made so far (1 + resubscriptions), for tests and diagnostics. */
  attempts: number;

  constructor(
    private readonly port: SubscribeToAllOptions,
    private readonly options: EventStoreDbSubscriptionOptions,
  ) {
    // Subscribed before subscribeToAll returns, as the clients do; events flow from run().
    this.attempts = 1;
    this.source = options.open(options.from);
    this.finished = this.run(this.source);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.wakeUp?.();
      await this.stopSource();
    }
    // Called from inside onEvent: the loop is waiting for that very call, so waiting for the
    // loop would deadlock. It stops as soon as onEvent settles.
    if (EventStoreDbSubscription.delivering.getStore() === this) return;
    await this.finished;
  }

  private async run(first: EsdbSubscriptionSource): Promise<void> {
    // Let subscribeToAll return the subscription before the first event is delivered.
    await Promise.resolve();
    let checkpoint = this.options.from;
    let failuresInARow = 0;
    let opened: EsdbSubscriptionSource | undefined = first;
    try {
      while (!this.isClosed()) {
        try {
          const source = opened ?? this.resubscribe(checkpoint);
          opened = undefined;
          for await (const resolved of source) {
            if (this.isClosed()) return;
            const recorded = resolved.event;
            // The server starts after the position and filters; both are checked again so that
            // neither a server version nor a replay after resubscribing can break the promise.
            if (recorded?.position === undefined || !this.options.accepts(recorded)) continue;
            if (!isAfter(recorded.position, checkpoint)) continue;
            await this.deliver(toRecordedEvent(recorded));
            checkpoint = recorded.position;
            failuresInARow = 0;
            this.options.onDelivered?.(recorded.position);
            if (this.isClosed()) return;
          }
          if (this.isClosed()) return;
          // The server ended the stream (it shut down cleanly): catch up again.
        } catch (error) {
          // A stream torn down by close() ends with an error of its own: not worth reporting.
          if (this.isClosed()) return;
          if (error instanceof HandlerFailed) {
            await this.stop(error.error);
            return;
          }
          if (isFatalForSubscription(error)) {
            await this.stop(error);
            return;
          }
        }
        await this.stopSource();
        this.options.onDropped?.(false);
        failuresInARow += 1;
        await this.pause(resubscribeDelay(this.options.delays, failuresInARow));
      }
    } finally {
      this.options.onFinished(this);
    }
  }

  private resubscribe(from: EsdbReadPosition): EsdbSubscriptionSource {
    this.attempts += 1;
    this.source = this.options.open(from);
    return this.source;
  }

  private async deliver(event: Parameters<SubscribeToAllOptions['onEvent']>[0]): Promise<void> {
    try {
      await EventStoreDbSubscription.delivering.run(this, () => this.port.onEvent(event));
    } catch (error) {
      // The failed event is not skipped: the subscription stops on it.
      throw new HandlerFailed(error);
    }
  }

  private async stop(error: unknown): Promise<void> {
    this.closed = true;
    await this.stopSource();
    this.options.onDropped?.(true);
    try {
      this.port.onError?.(error);
    } catch {
      // A failing error handler has nowhere left to report to.
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.isClosed() || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = (): void => {
        clearTimeout(timer);
        done();
      };
      this.wakeUp = wake;
      function done(): void {
        resolve();
      }
    });
  }

  /** A method, not the field, so that the checks after an await are not narrowed away. */
  private isClosed(): boolean {
    return this.closed;
  }

  private async stopSource(): Promise<void> {
    const source = this.source;
    if (source === undefined) return;
    this.source = undefined;
    try {
      await source.unsubscribe();
    } catch {
      // Already gone.
    }
    // Ends a pending read of the loop, which cancelling the call alone may leave waiting.
    source.destroy?.();
  }
}

/** initialMs after the first drop in a row, doubling with each further one up to maxMs. */
export function resubscribeDelay(delays: ResubscribeDelays, failuresInARow: number): number {
  if (failuresInARow <= 0) return 0;
  return Math.min(delays.maxMs, delays.initialMs * 2 ** Math.min(failuresInARow - 1, 30));
}
