/** Support-platform and incubation events (DOMAIN §4), as the decider writes them. */
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import type {
  IncubationOutcome,
  SupportRole,
} from '../../src/organizations/domain/organization.types.js';
import { PLACES } from './fixtures.js';

export function roleAssigned(
  organizationId: string,
  role: SupportRole,
  streets: string[] = [PLACES.tianping],
  assignedOn = '2024-03-01',
): OrganizationEvent {
  return { type: 'SupportRoleAssigned', data: { organizationId, role, streets, assignedOn } };
}

export function roleRevoked(
  organizationId: string,
  role: SupportRole,
  revokedOn = '2024-05-01',
): OrganizationEvent {
  return { type: 'SupportRoleRevoked', data: { organizationId, role, revokedOn } };
}

export function incubationEntered(
  organizationId: string,
  baseId: string,
  incubationId = 'incubation-1',
  enteredOn = '2024-04-01',
): OrganizationEvent {
  return {
    type: 'IncubationEntered',
    data: {
      organizationId,
      incubationId,
      baseId,
      baseDistrictCode: PLACES.xuhui,
      baseStreetCode: PLACES.tianping,
      enteredOn,
    },
  };
}

export function incubationEnded(
  organizationId: string,
  baseId: string,
  outcome: IncubationOutcome = 'graduated',
  endedOn = '2025-03-01',
  incubationId = 'incubation-1',
): OrganizationEvent {
  return {
    type: 'IncubationEnded',
    data: {
      organizationId,
      incubationId,
      baseId,
      baseDistrictCode: PLACES.xuhui,
      outcome,
      endedOn,
    },
  };
}
