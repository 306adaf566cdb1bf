import type { Divisions } from '../../divisions/divisions.js';
import type { Contact } from '../../event-sourcing/ports/personal-data-vault.port.js';
import type { Organization } from '../domain/organization.state.js';
import {
  ACTIVITY_SCOPE_LABELS,
  CATEGORY_LABELS,
  LEGAL_FORM_LABELS,
  TIER_LABELS,
} from '../domain/organization.types.js';

/**
 * The answer of GET /organizations/{id}: the state with place names and display labels, and the
 * business dates side by side: foundedOn, registeredOn (registered), filedOn (a team's filing in
 * force), recordedOn (a group), tierSince (the date its current tier began); null where one does
 * not apply.
 */
export function organizationView(
  org: Organization,
  divisions: Divisions,
  revision: number,
  contact: Contact | 'erased' | undefined,
): Record<string, unknown> {
  const { contact: _encrypted, districtCode, streetCode, communityCode, ...rest } = org;
  const community = communityCode === undefined ? undefined : divisions.community(communityCode);
  return {
    ...rest,
    registeredOn: org.registeredOn ?? null,
    filedOn: org.filing?.filedOn ?? null,
    recordedOn: org.recordedOn ?? null,
    tierSince: org.tierSince ?? null,
    revision,
    labels: {
      category: CATEGORY_LABELS[org.category],
      tier: TIER_LABELS[org.tier],
      activityScope: ACTIVITY_SCOPE_LABELS[org.activityScope],
      ...(org.legalForm && { legalForm: LEGAL_FORM_LABELS[org.legalForm] }),
    },
    district: { code: districtCode, name: divisions.district(districtCode)?.name ?? null },
    street: { code: streetCode, name: divisions.street(streetCode)?.name ?? null },
    community: community
      ? { code: community.code, name: community.name, kind: community.kind }
      : null,
    ...(contact !== undefined && { contact }),
  };
}
