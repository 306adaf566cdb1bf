import { CITY_CODE } from '../../../divisions/divisions.js';
import type { Organization } from '../organization.state.js';
import type { Actor, LegalForm, Role, Tier } from '../organization.types.js';

/** The level that manages an organization of a tier (DOMAIN §1, §3). */
export interface ManagingLevel {
  readonly role: Role;
  readonly jurisdiction: string | undefined;
}

export interface Placement {
  readonly tier: Tier;
  readonly legalForm?: LegalForm;
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode?: string;
}

export function managingLevel(place: Placement): ManagingLevel {
  switch (place.tier) {
    case 'registered':
      return place.legalForm === 'community-foundation'
        ? { role: 'city', jurisdiction: CITY_CODE }
        : { role: 'district', jurisdiction: place.districtCode };
    case 'team':
      return { role: 'street', jurisdiction: place.streetCode };
    case 'group':
      return { role: 'committee', jurisdiction: place.communityCode };
  }
}

export function isLevel(actor: Actor, level: ManagingLevel): boolean {
  return (
    level.jurisdiction !== undefined &&
    actor.role === level.role &&
    actor.jurisdiction === level.jurisdiction
  );
}

export function manages(actor: Actor, org: Placement): boolean {
  return isLevel(actor, managingLevel(org));
}

/** Whether the organization lies inside the actor's own area (city, district, street or community). */
export function withinJurisdiction(actor: Actor, org: Omit<Placement, 'tier'>): boolean {
  switch (actor.role) {
    case 'city':
      return actor.jurisdiction === CITY_CODE;
    case 'district':
      return actor.jurisdiction === org.districtCode;
    case 'street':
      return actor.jurisdiction === org.streetCode;
    case 'committee':
      return actor.jurisdiction === org.communityCode;
    case 'auditor':
      return false;
  }
}

/**
 * Whether an auditor's jurisdiction covers the organization (DOMAIN §1): the city's auditor
 * audits every organization, a district's auditor only those of its district.
 */
export function audits(actor: Actor, org: Pick<Placement, 'districtCode'>): boolean {
  return (
    actor.role === 'auditor' &&
    (actor.jurisdiction === CITY_CODE || actor.jurisdiction === org.districtCode)
  );
}

/** Who may read an organization's state and history: its auditors and the levels above it. */
export function mayRead(actor: Actor, org: Organization): boolean {
  return audits(actor, org) || withinJurisdiction(actor, org);
}
