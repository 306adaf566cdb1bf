import { Counter, Gauge, type Registry } from 'prom-client';
import type { LeaseChange } from '../event-sourcing/workers/leased-worker.js';

/**
 * Prometheus metrics of the leases this replica takes part in (the projection runner's and the
 * Kafka gateway's): each change counted, and the generation it last saw per lease, so a takeover
 * shows as a step in the generation and a `lost` on the replica that was fenced off.
 */
export class LeaseMetrics {
  private readonly changes: Counter<'lease' | 'change'>;
  private readonly generation: Gauge<'lease'>;

  constructor(registry: Registry) {
    this.changes = new Counter({
      name: 'registry_lease_changes_total',
      help: 'Leases this replica acquired, lost to another replica (fenced off) or released',
      labelNames: ['lease', 'change'],
      registers: [registry],
    });
    this.generation = new Gauge({
      name: 'registry_lease_generation',
      help: 'The generation (fencing token) of the lease this replica last acquired, lost or released',
      labelNames: ['lease'],
      registers: [registry],
    });
  }

  /** For the workers' onLeaseChange. */
  readonly observe = (change: LeaseChange): void => {
    this.changes.inc({ lease: change.lease, change: change.change });
    this.generation.set({ lease: change.lease }, change.generation);
  };
}
