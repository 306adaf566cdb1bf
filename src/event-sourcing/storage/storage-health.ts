import type { Clock } from '../clock.js';
import type { StorageProblem, StorageUnavailable } from './storage-unavailable.js';

/** A store operation that last failed, as /health shows it. */
export interface StorageFault {
  /** `event store`, `read store`, `personal-data vault`. */
  readonly store: string;
  /** The port method that failed, e.g. `appendToStream`, `commit`. */
  readonly operation: string;
  readonly problem: StorageProblem;
  readonly reason: string;
  /** When it first failed (ISO 8601). */
  readonly since: string;
}

/**
 * Remembers the store operations whose last attempt failed, until one of them succeeds again.
 * Kept per operation, not per store: on a full disk a small write (a lease renewal) may still
 * fit while a projection's commit does not, and must not hide it.
 */
export class StorageHealth {
  private readonly faults = new Map<string, StorageFault>();

  constructor(private readonly clock: Clock) {}

  failed(store: string, operation: string, error: StorageUnavailable): void {
    // A busy lock passes by itself; the request that met it answered 503 already.
    if (error.problem === 'busy') return;
    const key = `${store}\u0000${operation}`;
    const since = this.faults.get(key)?.since ?? this.clock.now().toISOString();
    this.faults.set(key, { store, operation, problem: error.problem, reason: error.reason, since });
  }

  succeeded(store: string, operation: string): void {
    this.faults.delete(`${store}\u0000${operation}`);
  }

  current(): StorageFault[] {
    return [...this.faults.values()];
  }
}
