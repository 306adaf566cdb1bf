import { shanghaiDate } from '../src/event-sourcing/clock.js';
import type { ProjectedEvent } from '../src/event-sourcing/projection/projection.js';
import type {
  OrganizationEvent,
  OrganizationEventType,
} from '../src/organizations/domain/organization.events.js';
import { ORGANIZATION_UPCASTER } from '../src/organizations/domain/organization.upcasts.js';

/**
 * The stored organization event as its domain type, lifted to the current schema version (the
 * runner passes only handled types).
 */
export function domainEvent(event: ProjectedEvent): OrganizationEvent {
  const data = ORGANIZATION_UPCASTER.upcastData(event.type, event.schemaVersion, event.data);
  // Already current (nearly every event): the projected event has the domain event's type and
  // data, so it serves as one without a copy per call (a rebuild asks for every event several
  // times per projection).
  if (data === event.data) return event as unknown as OrganizationEvent;
  return { type: event.type, data } as OrganizationEvent;
}

export const organizationId = (event: ProjectedEvent): string =>
  domainEvent(event).data.organizationId;

/**
 * The Shanghai date the event was recorded: the business date of an event without one (DOMAIN
 * §5). The runner always passes the recorded time; an event without it counts from 1970.
 */
export function recordedShanghaiDate(event: ProjectedEvent): string {
  const instant = Date.parse(event.recordedAt);
  return shanghaiDate(new Date(Number.isNaN(instant) ? 0 : instant));
}

/** `YYYY-MM` of a `YYYY-MM-DD` business date. */
export const monthOf = (date: string): string => date.slice(0, 7);

export const yearOf = (date: string): string => date.slice(0, 4);

export const CITY = '310000';

export function handled(...types: OrganizationEventType[]): readonly string[] {
  return types;
}

/**
 * The OrganizationFiled that a team's registration records with it (its stream's revisions 0
 * and 1): the filing that dates the team's registration.
 */
export function registrationFiling(
  revision: number,
  doc: { readonly tier: string },
  type: string,
): boolean {
  return type === 'OrganizationFiled' && revision === 1 && doc.tier === 'team';
}
