import { positionToJson, type RecordedEvent } from '../event-sourcing/ports/event-store.port.js';
import type { OutgoingMessage } from '../event-sourcing/ports/publisher.port.js';
import { ORGANIZATION_UPCASTER } from '../organizations/domain/organization.upcasts.js';

/** Where the registry's CloudEvents come from (a URI reference, CloudEvents 1.0 `source`). */
export const CE_SOURCE = '/shanghai/civil-affairs/community-organization-registry';
/** Reverse-DNS prefix of the CloudEvents `type`, versioned by the event's schema version. */
export const CE_TYPE_PREFIX = 'cn.shanghai.community-orgs';

export const ORGANIZATION_STREAM_PREFIX = 'organization-';
/** Name reservations of stores written before the unique claims (`unique-…` streams). */
const NAME_RESERVATIONS = 'organization-name-';

/**
 * Only organization streams are integration events; the reservations of unique values
 * (`unique-…`, formerly `organization-name-…`) are internal.
 */
export function isIntegrationEvent(event: RecordedEvent): boolean {
  return (
    event.streamId.startsWith(ORGANIZATION_STREAM_PREFIX) &&
    !event.streamId.startsWith(NAME_RESERVATIONS)
  );
}

/**
 * Stored versions whose published value is the previous version's: OrganizationRegistered v3
 * sealed the resident founders' names, which are never published (founders go by kind only),
 * so its messages keep the v2 contract.
 */
const PUBLISHED_VERSIONS: Readonly<Record<string, number>> = { OrganizationRegistered: 2 };

/**
 * The schema version an event type is published with (the `.vN` of its CloudEvents type): the
 * version of its public value; the gateway lifts older stored events to the current shape first.
 */
export const publishedVersion = (type: string): number =>
  PUBLISHED_VERSIONS[type] ?? ORGANIZATION_UPCASTER.current(type);

export const ceType = (type: string, schemaVersion: number): string =>
  `${CE_TYPE_PREFIX}.${type}.v${schemaVersion}`;

/**
 * The public data of an event, without personal data (DOMAIN §7): the contact (even encrypted)
 * and the founders' names (a resident's sealed, even a unit's) stay inside the registry;
 * founders are published by kind only.
 */
export function publicData(event: RecordedEvent): Record<string, unknown> {
  const { contact: _contact, founders, ...rest } = event.data as Record<string, unknown>;
  if (!Array.isArray(founders)) return rest;
  return { ...rest, founders: founders.map((f: { kind?: unknown }) => ({ kind: f.kind })) };
}

/**
 * A stored event as a Kafka message in CloudEvents 1.0 binary mode, in its type's published
 * schema version (older stored events are lifted first), so each `ce_type` has one shape.
 */
export function toIntegrationMessage(event: RecordedEvent): OutgoingMessage {
  const data = publicData(ORGANIZATION_UPCASTER.upcast(event));
  const schemaVersion = publishedVersion(event.type);
  const recordedAt = event.metadata['recordedAt'];
  return {
    key: event.streamId.slice(ORGANIZATION_STREAM_PREFIX.length),
    value: JSON.stringify(data),
    headers: {
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_source: CE_SOURCE,
      ce_type: ceType(event.type, schemaVersion),
      ce_subject: event.streamId.slice(ORGANIZATION_STREAM_PREFIX.length),
      ce_time: typeof recordedAt === 'string' ? recordedAt : new Date(0).toISOString(),
      'content-type': 'application/json',
      position: String(positionToJson(event.position)),
      revision: String(event.revision),
    },
  };
}
