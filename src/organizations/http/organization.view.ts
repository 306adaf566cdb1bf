import type { Divisions } from '../../divisions/divisions.js';
import type { Contact } from '../../event-sourcing/ports/personal-data-vault.port.js';
import type { Organization } from '../domain/organization.state.js';
import {
  ACTIVITY_SCOPE_LABELS,
  CATEGORY_LABELS,
  LEGAL_FORM_LABELS,
  TIER_LABELS,
  type FounderOnFile,
} from '../domain/organization.types.js';

/**
 * A founder as a read shows it: a unit with its name; a resident with its name only to those
 * who may see personal data, `nameErased` once erased, by kind only to everyone else.
 */
export type FounderView =
  | { readonly kind: 'unit'; readonly name: string }
  | { readonly kind: 'resident'; readonly name?: string; readonly nameErased?: true };

/** A resident founder's name opened: the sealed JSON `{ name }`, or 'erased' with its key gone. */
export type OpenedName = { readonly name: string } | 'erased';

/**
 * The personal data a reader may see, opened: the contact, and the name of each founder by its
 * index in the state's founders (`'erased'` when its key is gone). Absent: shown to no one.
 */
export interface OpenedPersonalData {
  readonly contact?: Contact | 'erased';
  readonly founderNames?: ReadonlyMap<number, OpenedName>;
}

/** The founders as a reader sees them, given the names opened for it (none: by kind only). */
export function founderViews(
  founders: readonly FounderOnFile[],
  names: ReadonlyMap<number, OpenedName> = new Map(),
): FounderView[] {
  return founders.map((founder, index): FounderView => {
    if (founder.kind === 'unit') return { kind: 'unit', name: founder.name };
    if ('nameErased' in founder) return { kind: 'resident', nameErased: true };
    const name = names.get(index);
    if (name === 'erased') return { kind: 'resident', nameErased: true };
    return name === undefined ? { kind: 'resident' } : { kind: 'resident', name: name.name };
  });
}

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
  personal: OpenedPersonalData = {},
): Record<string, unknown> {
  // Report routing is read in the activity-report list, not with the organization.
  const {
    contact: _encrypted,
    activityReports: _routed,
    founders,
    districtCode,
    streetCode,
    communityCode,
    ...rest
  } = org;
  const { contact } = personal;
  const community = communityCode === undefined ? undefined : divisions.community(communityCode);
  return {
    ...rest,
    founders: founderViews(founders, personal.founderNames),
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
