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
  return { type: event.type, data } as OrganizationEvent;
}

export const organizationId = (event: ProjectedEvent): string =>
  domainEvent(event).data.organizationId;

/** `YYYY-MM` of a `YYYY-MM-DD` business date. */
export const monthOf = (date: string): string => date.slice(0, 7);

export const yearOf = (date: string): string => date.slice(0, 4);

export const CITY = '310000';

export function handled(...types: OrganizationEventType[]): readonly string[] {
  return types;
}
