import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { EventStore } from '../event-sourcing/ports/event-store.port.js';
import type { KafkaGateway } from '../gateway/kafka-gateway.js';
import type { ProjectionRunner } from '../event-sourcing/projection/projection-runner.js';

/** The one registry of the server's metrics (the store calls' are registered as the stores open). */
export const PROMETHEUS_REGISTRY = Symbol('PrometheusRegistry');

/** Prometheus metrics: process defaults plus how far each read model trails the log. */
export function createMetrics(
  registry: Registry,
  store: EventStore,
  runner: ProjectionRunner,
  gateway: KafkaGateway | null,
): Registry {
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'registry_event_store_head_position',
    help: 'Global position of the last stored event',
    registers: [registry],
    async collect() {
      this.set(await store.headPosition());
    },
  });
  new Gauge({
    name: 'registry_projection_lag_events',
    help: 'Events stored but not yet applied by the projection (head position minus checkpoint)',
    labelNames: ['projection'],
    registers: [registry],
    collect() {
      for (const status of runner.status()) this.set({ projection: status.name }, status.lag);
    },
  });
  new Gauge({
    name: 'registry_projection_checkpoint',
    help: 'Last global position the projection applied',
    labelNames: ['projection'],
    registers: [registry],
    collect() {
      for (const status of runner.status())
        this.set({ projection: status.name }, status.checkpoint);
    },
  });
  if (gateway) {
    new Gauge({
      name: 'registry_gateway_lag_events',
      help: 'Events stored but not yet acknowledged by Kafka (head position minus the gateway checkpoint)',
      registers: [registry],
      collect() {
        this.set(gateway.status().lag);
      },
    });
  }
  return registry;
}
