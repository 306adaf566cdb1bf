import type { FastifyRequest } from 'fastify';
import type { Clock } from '../event-sourcing/clock.js';
import type {
  PersonalDataAccessLog,
  PersonalDataField,
} from '../event-sourcing/ports/personal-data-access-log.port.js';
import type { Actor } from '../organizations/domain/organization.types.js';

/** Where a read came from: the route, and the caller's correlation id if it sent one. */
export interface AccessRoute {
  /** Method and route pattern, e.g. `GET /organizations/:id`. */
  readonly route: string;
  readonly correlationId?: string;
}

export interface AccessToRecord extends AccessRoute {
  readonly actor: Actor;
  readonly organizationId: string;
  /** What is about to be shown; nothing is recorded when it is empty. */
  readonly fields: readonly PersonalDataField[];
}

/** The same rule the writes apply to `X-Correlation-Id` (an identifier only). */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The route a request came by, for the access log (a malformed correlation id is left out). */
export function accessRoute(request: FastifyRequest): AccessRoute {
  const correlation = request.headers['x-correlation-id'];
  return {
    route: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0] ?? ''}`,
    ...(typeof correlation === 'string' &&
      CORRELATION_ID.test(correlation) && { correlationId: correlation }),
  };
}

/**
 * Records a read of personal data before it is shown (DOMAIN §7): `record` resolves once the
 * record is durable and rejects when it could not be kept (a storage failure: 507/503), so a
 * caller that awaits it before answering never shows personal data that went unrecorded.
 */
export class PersonalDataAccessRecorder {
  constructor(
    private readonly log: PersonalDataAccessLog,
    private readonly clock: Clock,
  ) {}

  async record(access: AccessToRecord): Promise<void> {
    if (access.fields.length === 0) return;
    await this.log.append({
      at: this.clock.now().toISOString(),
      actorId: access.actor.id,
      role: access.actor.role,
      jurisdiction: access.actor.jurisdiction,
      organizationId: access.organizationId,
      route: access.route,
      fields: access.fields,
      ...(access.correlationId !== undefined && { correlationId: access.correlationId }),
    });
  }
}
