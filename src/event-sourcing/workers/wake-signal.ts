import type { EventStore, Subscription } from '../ports/event-store.port.js';

/**
 * Lets a polling loop sleep until the log grows: appends made through this process's event
 * store wake it at once (through a subscription used only as a signal); others are seen when the
 * idle timeout ends.
 */
export class WakeSignal {
  private wake: (() => void) | undefined;
  /** Something arrived since the last `reset`: do not sleep. */
  private signalled = false;
  private subscription: Subscription | undefined;
  private closed = false;

  constructor(private readonly events: EventStore) {}

  async open(): Promise<void> {
    const head = await this.events.headPosition();
    if (this.closed) return;
    this.subscription = this.events.subscribeToAll({
      fromPosition: head,
      onEvent: () => {
        this.notify();
      },
    });
  }

  notify(): void {
    this.signalled = true;
    this.wake?.();
  }

  /** Call at the start of a round: appends from now on interrupt the next sleep. */
  reset(): void {
    this.signalled = false;
  }

  sleep(ms: number): Promise<void> {
    if (this.signalled || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.subscription?.close();
  }
}
