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

export const METRICS = Symbol('Metrics');

/**
 * `storage-unavailable` (HTTP 503): a store failed (full disk, I/O error, unreachable) and the
 * operation has not succeeded since; `catching-up`: a read model trails the log; `degraded`:
 * this replica publishes to Kafka and the broker did not answer its last round trip (writes go
 * on, the gateway catches up later).
 */
export type HealthStatus = 'ok' | 'catching-up' | 'degraded' | 'storage-unavailable';

export interface HealthAnswer {
  readonly status: HealthStatus;
  readonly eventStore: { readonly headPosition: number | null };
  readonly projections: ProjectionStatus[];
  readonly gateway?: GatewayStatus;
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
  ) {
    this.lag = new LagMeter(store);
  }

  /**
   * Ready when the stores work; shows how far each read model and the gateway trail the log, in
   * events (`lag`, where the store counts them) and in seconds (`lagSeconds`).
   */
  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthAnswer> {
    let headPosition: Position | null = null;
    try {
      headPosition = await this.store.headPosition();
    } catch (error) {
      // Recorded by the store's guard; anything else is a failure of ours (500).
      if (!(error instanceof StorageUnavailable)) throw error;
    }
    const projections = this.runner.status();
    const gateway = this.gateway?.status();
    const faults = this.storage.current();
    const status = statusOf(headPosition, faults, projections, gateway);
    if (status === 'storage-unavailable') void reply.status(503);
    return {
      status,
      eventStore: { headPosition: headPosition && positionToJson(headPosition) },
      projections,
      ...(gateway && { gateway: await this.withFreshLag(gateway, headPosition) }),
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
  faults: readonly StorageFault[],
  projections: readonly ProjectionStatus[],
  gateway: GatewayStatus | undefined,
): HealthStatus {
  if (headPosition === null || faults.length > 0) return 'storage-unavailable';
  if (
    projections.length === 0 ||
    projections.some((p) => isAfter(headPosition, positionFromJson(p.checkpoint)))
  )
    return 'catching-up';
  if (gateway?.role === 'leader' && !gateway.connected) return 'degraded';
  return 'ok';
}
