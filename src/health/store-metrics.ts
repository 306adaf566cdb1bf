import { Counter, Histogram, type Registry } from 'prom-client';
import type { StoreCallObserver, StoreCallOutcome } from '../event-sourcing/storage/store-calls.js';

/** Seconds: from a cached SQLite read (well under a millisecond) to a stalled server. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * Prometheus metrics of every store call (fed by the storage guard): latency by store and
 * operation, failures, and appends refused for a stale expected revision.
 */
export class StoreMetrics implements StoreCallObserver {
  private readonly latency: Histogram<'store' | 'operation'>;
  private readonly errors: Counter<'store' | 'operation'>;
  private readonly conflicts: Counter<'store'>;

  constructor(registry: Registry) {
    this.latency = new Histogram({
      name: 'registry_store_call_duration_seconds',
      help: 'Time a call to a store took (event store, read store, personal-data vault, access log), by operation',
      labelNames: ['store', 'operation'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'registry_store_call_errors_total',
      help: 'Calls to a store that failed (storage failures and errors of the store; not conflicts)',
      labelNames: ['store', 'operation'],
      registers: [registry],
    });
    this.conflicts = new Counter({
      name: 'registry_store_conflicts_total',
      help: 'Appends refused because the stream had moved past the expected revision (wrong expected revision)',
      labelNames: ['store'],
      registers: [registry],
    });
  }

  called(store: string, operation: string, seconds: number, outcome: StoreCallOutcome): void {
    this.latency.observe({ store, operation }, seconds);
    if (outcome === 'error') this.errors.inc({ store, operation });
    if (outcome === 'conflict') this.conflicts.inc({ store });
  }
}
