import type { Divisions } from '../../divisions/divisions.js';
import type { Contact } from '../../event-sourcing/ports/personal-data-vault.port.js';
import type { Organization } from '../domain/organization.state.js';
import { CATEGORY_LABELS, LEGAL_FORM_LABELS, TIER_LABELS } from '../domain/organization.types.js';

/** The answer of GET /organizations/{id}: the state with place names and display labels. */
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
    revision,
    labels: {
      category: CATEGORY_LABELS[org.category],
      tier: TIER_LABELS[org.tier],
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
