import { Controller, Get, Inject } from '@nestjs/common';
import { Public } from '../auth/auth.decorators.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';

@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Ready when the event store answers; reports the head of the log. */
  @Get()
  @Public()
  async health(): Promise<{ status: 'ok'; eventStore: { headPosition: number } }> {
    return { status: 'ok', eventStore: { headPosition: await this.store.headPosition() } };
  }
}
