import type { OrganizationEvent } from './organization.events.js';
import type { Organization } from './organization.state.js';
import type { SupportRoleHeld } from './organization.types.js';

type PlatformEvent = Extract<
  OrganizationEvent,
  { type: 'SupportRoleAssigned' | 'SupportRoleRevoked' | 'IncubationEntered' | 'IncubationEnded' }
>;

/** Support-platform roles and incubation folded into the state (total, like every evolve). */
export function evolvePlatforms(org: Organization, event: PlatformEvent): Organization {
  switch (event.type) {
    case 'SupportRoleAssigned': {
      const held: SupportRoleHeld = { role: event.data.role, streets: event.data.streets };
      const others = (org.supportRoles ?? []).filter((r) => r.role !== event.data.role);
      return { ...org, supportRoles: [...others, held] };
    }
    case 'SupportRoleRevoked': {
      const { supportRoles, ...rest } = org;
      const left = (supportRoles ?? []).filter((r) => r.role !== event.data.role);
      return left.length === 0 ? rest : { ...rest, supportRoles: left };
    }
    case 'IncubationEntered':
      return {
        ...org,
        incubation: {
          incubationId: event.data.incubationId,
          baseId: event.data.baseId,
          baseDistrictCode: event.data.baseDistrictCode,
          baseStreetCode: event.data.baseStreetCode,
          since: event.data.enteredOn,
        },
      };
    case 'IncubationEnded': {
      const { incubation: _ended, ...rest } = org;
      return rest;
    }
  }
}
