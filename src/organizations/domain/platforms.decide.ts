import { DomainError, forbid, refuse } from '../../event-sourcing/domain-error.js';
import type {
  AssignSupportRole,
  EndIncubation,
  EnterIncubation,
  RevokeSupportRole,
} from './organization.commands.js';
import { checkBusinessDate } from './rules/business-date.js';
import type { OrganizationEvent } from './organization.events.js';
import type { OrganizationPolicy } from './organization.policy.js';
import type { Organization } from './organization.state.js';
import type { Actor } from './organization.types.js';

/**
 * Support platforms (联合支持平台) and incubation (孵化), DOMAIN §4: the district bureau assigns
 * and revokes a registered organization's roles with the streets each serves; the street or
 * district of an incubation base takes an organization in and sees it out.
 */

/** The district bureau of the organization's district. */
function requireDistrictBureau(actor: Actor, org: Organization): void {
  if (!(actor.role === 'district' && actor.jurisdiction === org.districtCode)) {
    throw forbid(
      'support-role-authority',
      `Support-platform roles are assigned and revoked by the district bureau (${org.districtCode})`,
    );
  }
}

export function decideAssignSupportRole(
  policy: OrganizationPolicy,
  c: AssignSupportRole,
  org: Organization,
): OrganizationEvent[] {
  requireDistrictBureau(c.actor, org);
  if (org.tier !== 'registered') {
    throw refuse(
      'support-role-requires-registered',
      'Support-platform roles are held by registered organizations only',
    );
  }
  if (c.streets.length === 0)
    throw refuse('streets-required', 'A role serves at least one street (街镇)', 'streets');
  const streets = [...new Set(c.streets)].sort();
  for (const code of streets) {
    const street = policy.divisions.street(code);
    if (!street) throw refuse('street-unknown', `${code} is not a known street`, 'streets');
    if (street.district !== org.districtCode) {
      throw refuse(
        'street-outside-district',
        `${street.name} (${code}) is outside the organization's district (${org.districtCode})`,
        'streets',
      );
    }
  }
  const held = org.supportRoles?.find((r) => r.role === c.role);
  if (held && held.streets.join() === streets.join()) return [];
  return [
    {
      type: 'SupportRoleAssigned',
      data: { organizationId: org.id, role: c.role, streets, assignedOn: c.today },
    },
  ];
}

export function decideRevokeSupportRole(
  c: RevokeSupportRole,
  org: Organization,
): OrganizationEvent[] {
  requireDistrictBureau(c.actor, org);
  // Already so: revoking a role it does not hold changes nothing (a retried DELETE).
  if (!org.supportRoles?.some((r) => r.role === c.role)) return [];
  return [
    {
      type: 'SupportRoleRevoked',
      data: { organizationId: org.id, role: c.role, revokedOn: c.today },
    },
  ];
}

/** The street or district the base is in. */
function requireBaseLevel(
  actor: Actor,
  base: { readonly districtCode: string; readonly streetCode: string },
): void {
  const byStreet = actor.role === 'street' && actor.jurisdiction === base.streetCode;
  const byDistrict = actor.role === 'district' && actor.jurisdiction === base.districtCode;
  if (!byStreet && !byDistrict) {
    throw forbid(
      'incubation-authority',
      `Incubations are recorded by the street (${base.streetCode}) or district (${base.districtCode}) of the base`,
    );
  }
}

export function decideEnterIncubation(c: EnterIncubation, org: Organization): OrganizationEvent[] {
  if (c.baseId === org.id)
    throw refuse('incubation-base-itself', 'An organization does not incubate itself', 'baseId');
  const base = c.base;
  if (base === undefined)
    throw refuse('incubation-base-unknown', `No organization ${c.baseId}`, 'baseId');
  requireBaseLevel(c.actor, base);
  if (base.status !== 'active')
    throw refuse('incubation-base-dissolved', `The base ${c.baseId} is dissolved`, 'baseId');
  if (!base.holdsIncubationRole) {
    throw refuse(
      'incubation-base-role',
      `${c.baseId} does not hold the incubation-base role (孵化基地)`,
      'baseId',
    );
  }
  if (org.incubation) {
    throw refuse(
      'incubation-open',
      `The organization is already incubated by ${org.incubation.baseId} since ${org.incubation.since}`,
    );
  }
  checkBusinessDate(c.enteredOn, c.today, 'enteredOn');
  if (c.enteredOn < org.foundedOn) {
    throw refuse(
      'date-before-founding',
      `enteredOn (${c.enteredOn}) is before the organization was founded (${org.foundedOn})`,
      'enteredOn',
    );
  }
  return [
    {
      type: 'IncubationEntered',
      data: {
        organizationId: org.id,
        incubationId: c.incubationId,
        baseId: c.baseId,
        baseDistrictCode: base.districtCode,
        baseStreetCode: base.streetCode,
        enteredOn: c.enteredOn,
      },
    },
  ];
}

export function decideEndIncubation(c: EndIncubation, org: Organization): OrganizationEvent[] {
  const open = org.incubation;
  if (open?.incubationId !== c.incubationId) {
    throw new DomainError(
      'not-found',
      'incubation-unknown',
      `No open incubation ${c.incubationId} of this organization`,
    );
  }
  requireBaseLevel(c.actor, {
    districtCode: open.baseDistrictCode,
    streetCode: open.baseStreetCode,
  });
  checkBusinessDate(c.endedOn, c.today, 'endedOn');
  if (c.endedOn < open.since) {
    throw refuse(
      'incubation-ends-before-entry',
      `endedOn (${c.endedOn}) is before the organization entered the base (${open.since})`,
      'endedOn',
    );
  }
  return [
    {
      type: 'IncubationEnded',
      data: {
        organizationId: org.id,
        incubationId: c.incubationId,
        baseId: open.baseId,
        baseDistrictCode: open.baseDistrictCode,
        outcome: c.outcome,
        endedOn: c.endedOn,
      },
    },
  ];
}
