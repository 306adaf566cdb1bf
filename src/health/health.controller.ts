import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { Public } from '../http/auth/auth.decorators.js';
import { KafkaGateway, type GatewayStatus } from '../gateway/kafka-gateway.js';
import { EVENT_STORE, type EventStore } from '../event-sourcing/ports/event-store.port.js';
import {
  ProjectionRunner,
  type ProjectionStatus,
} from '../event-sourcing/projection/projection-runner.js';

export const METRICS = Symbol('Metrics');

@Controller()
@Public()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(METRICS) private readonly metrics: Registry,
    @Inject(KafkaGateway) private readonly gateway: KafkaGateway | null,
  ) {}

  /** Ready when the event store answers; shows how far each read model trails the log. */
  @Get('health')
  async health(): Promise<{
    status: 'ok' | 'catching-up';
    eventStore: { headPosition: number };
    projections: ProjectionStatus[];
    gateway?: GatewayStatus;
  }> {
    const headPosition = await this.store.headPosition();
    const projections = this.runner.status();
    const behind = projections.length === 0 || projections.some((p) => p.checkpoint < headPosition);
    const gateway = this.gateway?.status();
    return {
      status: behind ? 'catching-up' : 'ok',
      eventStore: { headPosition },
      projections,
      ...(gateway && {
        gateway: { ...gateway, lag: Math.max(0, headPosition - gateway.checkpoint) },
      }),
    };
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
