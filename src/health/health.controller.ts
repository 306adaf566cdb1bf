import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { Public } from '../http/auth/auth.decorators.js';
import { KafkaGateway, type GatewayStatus } from '../gateway/kafka-gateway.js';
import {
  EVENT_STORE,
  isAfter,
  positionFromJson,
  positionToJson,
  type EventStore,
  type Position,
} from '../event-sourcing/ports/event-store.port.js';
import {
  ProjectionRunner,
  type ProjectionStatus,
} from '../event-sourcing/projection/projection-runner.js';
import { StorageHealth, type StorageFault } from '../event-sourcing/storage/storage-health.js';
import { LagMeter } from '../event-sourcing/positions/lag.js';
import { StorageUnavailable } from '../event-sourcing/storage/storage-unavailable.js';
import type { ComponentHealth, HealthProbes } from './health-probes.js';

export const METRICS = Symbol('Metrics');
export const HEALTH_PROBES = Symbol('HealthProbes');

/** What a client waits before asking again while something is down. */
const RETRY_AFTER_SECONDS = 5;

/**
 * `storage-unavailable` (HTTP 503): a store did not answer this check's round trip, or an
 * operation failed (full disk, I/O error, unreachable) and has not succeeded since;
 * `degraded` (HTTP 503): this replica publishes to Kafka and the broker did not answer its last
 * round trip (writes go on, the gateway catches up later); `catching-up`: a read model trails
 * the log.
 */
export type HealthStatus = 'ok' | 'catching-up' | 'degraded' | 'storage-unavailable';

export interface HealthAnswer {
  readonly status: HealthStatus;
  readonly eventStore: { readonly headPosition: number | null };
  readonly projections: ProjectionStatus[];
  readonly gateway?: GatewayStatus;
  /** This check's round trip to each store: up or not, and how long it took. */
  readonly components: ComponentHealth[];
  /** Only while something is down: the names of the stores and `kafka`. */
  readonly down?: string[];
  /** Only while a store fails: what failed, how, and since when. */
  readonly storage?: StorageFault[];
}

@Controller()
@Public()
export class HealthController {
  private readonly lag: LagMeter;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(METRICS) private readonly metrics: Registry,
    @Inject(KafkaGateway) private readonly gateway: KafkaGateway | null,
    @Inject(StorageHealth) private readonly storage: StorageHealth,
    @Inject(HEALTH_PROBES) private readonly probes: HealthProbes,
  ) {
    this.lag = new LagMeter(store);
  }

  /**
   * Ready when every store answers a round trip (and the broker, where this replica publishes);
   * shows how far each read model and the gateway trail the log, in events (`lag`, where the
   * store counts them) and in seconds (`lagSeconds`). 503 names what is down.
   */
  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthAnswer> {
    const [components, headPosition] = await Promise.all([
      this.probes.check(),
      this.store.headPosition().catch((error: unknown): null => {
        // Recorded by the store's guard; anything else is a failure of ours (500).
        if (!(error instanceof StorageUnavailable)) throw error;
        return null;
      }),
    ]);
    const projections = this.runner.status();
    const gateway = this.gateway?.status();
    const faults = this.storage.current();
    const down = [
      ...new Set([
        ...components.filter((c) => !c.up).map((c) => c.name),
        ...faults.map((f) => f.store),
        ...(headPosition === null ? ['event store'] : []),
        ...(gateway?.role === 'leader' && !gateway.connected ? ['kafka'] : []),
      ]),
    ];
    const status = statusOf(headPosition, down, projections);
    if (down.length > 0) {
      void reply.status(503).header('retry-after', String(RETRY_AFTER_SECONDS));
    }
    return {
      status,
      eventStore: { headPosition: headPosition && positionToJson(headPosition) },
      projections,
      ...(gateway && { gateway: await this.withFreshLag(gateway, headPosition) }),
      components,
      ...(down.length > 0 && { down }),
      ...(faults.length > 0 && { storage: faults }),
    };
  }

  /**
   * The gateway's lag against the head read now: its own figure stays as it was while a round
   * waits on a broker that does not answer.
   */
  private async withFreshLag(
    gateway: GatewayStatus,
    head: Position | null,
  ): Promise<GatewayStatus> {
    if (head === null) return gateway;
    try {
      const lag = await this.lag.measure(positionFromJson(gateway.checkpoint), head);
      return { ...gateway, lag: lag.events, lagSeconds: lag.seconds };
    } catch (error) {
      if (!(error instanceof StorageUnavailable)) throw error;
      return gateway;
    }
  }

  /** Liveness: the process answers, without touching any store (for probes and as a baseline). */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(): Promise<string> {
    return this.metrics.metrics();
  }
}

function statusOf(
  headPosition: Position | null,
  down: readonly string[],
  projections: readonly ProjectionStatus[],
): HealthStatus {
  if (headPosition === null || down.some((name) => name !== 'kafka')) return 'storage-unavailable';
  if (down.length > 0) return 'degraded';
  if (
    projections.length === 0 ||
    projections.some((p) => isAfter(headPosition, positionFromJson(p.checkpoint)))
  )
    return 'catching-up';
  return 'ok';
}
