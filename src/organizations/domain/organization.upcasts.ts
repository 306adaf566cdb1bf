import { upcaster, type UpcastStep } from '../../event-sourcing/upcasting.js';
import { EVENT_SCHEMA_VERSIONS, type OrganizationEventType } from './organization.events.js';

/**
 * `UPCASTS[type][n]` lifts the data of version n of an event type to version n + 1 (DOMAIN §4:
 * events are never rewritten). Every version below EVENT_SCHEMA_VERSIONS needs its step; the
 * upcaster refuses to start otherwise.
 */
const UPCASTS: Partial<Record<OrganizationEventType, Readonly<Record<number, UpcastStep>>>> = {};

/** Lifts stored organization events of any version to the shapes of organization.events.ts. */
export const ORGANIZATION_UPCASTER = upcaster(EVENT_SCHEMA_VERSIONS, UPCASTS);
