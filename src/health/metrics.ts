import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { StreamCacheStats } from '../event-sourcing/commands/stream-cache.js';
import {
  positionFromJson,
  positionToJson,
  type EventStore,
} from '../event-sourcing/ports/event-store.port.js';
import { LagMeter, type Lag } from '../event-sourcing/positions/lag.js';
import type { KafkaGateway } from '../gateway/kafka-gateway.js';
import type { ProjectionRunner } from '../event-sourcing/projection/projection-runner.js';

/** The one registry of the server's metrics (the store calls' are registered as the stores open). */
export const PROMETHEUS_REGISTRY = Symbol('PrometheusRegistry');

/**
 * Prometheus metrics: process defaults plus how far each read model and the gateway trail the
 * log, in events (`*_lag_events`, absent where the store cannot count them cheaply, as on
 * EventStoreDB) and in seconds (`*_lag_seconds`, on every store). Positions are shown as they
 * are on the wire: they identify a place in the log, their differences mean nothing.
 */
export function createMetrics(
  registry: Registry,
  store: EventStore,
  runner: ProjectionRunner,
  gateway: KafkaGateway | null,
  streamCache: () => StreamCacheStats,
): Registry {
  collectDefaultMetrics({ register: registry });
  registerStreamCacheMetrics(registry, streamCache);
  new Gauge({
    name: 'registry_event_store_head_position',
    help: 'Global position of the last stored event (an identifier of a place in the log, not a count)',
    registers: [registry],
    async collect() {
      this.set(positionToJson(await store.headPosition()));
    },
  });
  new Gauge({
    name: 'registry_projection_lag_events',
    help: 'Events stored but not yet applied by the projection (absent where the store cannot count them cheaply)',
    labelNames: ['projection'],
    registers: [registry],
    collect() {
      this.reset();
      for (const status of runner.status())
        if (status.lag !== null) this.set({ projection: status.name }, status.lag);
    },
  });
  new Gauge({
    name: 'registry_projection_lag_seconds',
    help: 'Recorded time of the newest event minus that of the last event the projection applied',
    labelNames: ['projection'],
    registers: [registry],
    collect() {
      this.reset();
      for (const status of runner.status())
        if (status.lagSeconds !== null) this.set({ projection: status.name }, status.lagSeconds);
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
    // Against the head read now: the gateway's own figure stays as it was while a round waits
    // on a broker that does not answer.
    const meter = new LagMeter(store);
    const gatewayLag = async (): Promise<Lag> =>
      meter.measure(positionFromJson(gateway.status().checkpoint), await store.headPosition());
    new Gauge({
      name: 'registry_gateway_lag_events',
      help: 'Events stored but not yet acknowledged by Kafka (absent where the store cannot count them cheaply)',
      registers: [registry],
      async collect() {
        this.reset();
        const { events } = await gatewayLag();
        if (events !== null) this.set(events);
      },
    });
    new Gauge({
      name: 'registry_gateway_lag_seconds',
      help: 'Recorded time of the newest event minus that of the last event Kafka acknowledged',
      registers: [registry],
      async collect() {
        this.reset();
        const { seconds } = await gatewayLag();
        if (seconds !== null) this.set(seconds);
      },
    });
  }
  return registry;
}

/** The organizations kept folded in memory: estimated bytes against the budget, and evictions. */
function registerStreamCacheMetrics(registry: Registry, stats: () => StreamCacheStats): void {
  new Gauge({
    name: 'registry_stream_cache_bytes',
    help: 'Estimated bytes of the organization streams kept folded in memory (STREAM_CACHE_MB bounds them)',
    registers: [registry],
    collect() {
      this.set(stats().bytes);
    },
  });
  new Gauge({
    name: 'registry_stream_cache_budget_bytes',
    help: 'The stream cache budget (STREAM_CACHE_MB), in the same estimated bytes',
    registers: [registry],
    collect() {
      this.set(stats().budgetBytes);
    },
  });
  new Gauge({
    name: 'registry_stream_cache_entries',
    help: 'Organization streams kept folded in memory',
    registers: [registry],
    collect() {
      this.set(stats().entries);
    },
  });
  new Counter({
    name: 'registry_stream_cache_evictions_total',
    help: 'Streams dropped from the cache, least recently used first, to stay within its budget',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(stats().evictions);
    },
  });
}
