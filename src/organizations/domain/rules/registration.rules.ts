import { refuse } from '../../../event-sourcing/domain-error.js';
import type { RegisterOrganization } from '../organization.commands.js';
import type { OrganizationPolicy } from '../organization.policy.js';
import { LEGAL_FORM_USCC_TYPE, type LegalForm, type Tier } from '../organization.types.js';
import { parseUscc } from './uscc.js';
import { isIsoDate } from '../../../event-sourcing/iso-date.js';

/** Region part of codes issued by the national Ministry of Civil Affairs. */
const NATIONAL_REGION = '100000';

/** The community belongs to the street, which belongs to the district. */
export function checkPlace(policy: OrganizationPolicy, c: RegisterOrganization): void {
  const { divisions } = policy;
  if (!divisions.district(c.districtCode)) {
    throw refuse(
      'district-unknown',
      `${c.districtCode} is not a Shanghai district`,
      'districtCode',
    );
  }
  const street = divisions.street(c.streetCode);
  if (!street)
    throw refuse('street-unknown', `${c.streetCode} is not a known street or town`, 'streetCode');
  if (street.district !== c.districtCode) {
    throw refuse(
      'street-outside-district',
      `${street.name} is not in district ${c.districtCode}`,
      'streetCode',
    );
  }
  if (c.tier === 'team' && street.kind === 'special' && !policy.teamsInSpecialUnits) {
    throw refuse(
      'team-in-special-unit',
      'Teams may not belong to a special unit (configured)',
      'streetCode',
    );
  }
  if (c.communityCode === undefined) {
    if (needsCommunity(policy, c.tier, c.streetCode)) {
      throw refuse(
        'community-required',
        'An organization is based in one community of its street (所在社区)',
        'communityCode',
      );
    }
    return;
  }
  const community = divisions.community(c.communityCode);
  if (!community)
    throw refuse(
      'community-unknown',
      `${c.communityCode} is not a known community`,
      'communityCode',
    );
  if (community.street !== c.streetCode) {
    throw refuse(
      'community-outside-street',
      `${community.name} is not in street ${street.name}`,
      'communityCode',
    );
  }
  if (community.placeholder === true) {
    throw refuse(
      'community-placeholder',
      `${community.name} is a statistical placeholder: an organization of ${street.name} is based at the unit itself, without a community`,
      'communityCode',
    );
  }
}

/**
 * Every organization is based in a community (所在社区), except in a special unit whose only
 * community is a placeholder: there it is based at the unit itself. A group is always recorded by
 * the committee of its community.
 */
export function needsCommunity(
  policy: OrganizationPolicy,
  tier: Tier,
  streetCode: string,
): boolean {
  return tier === 'group' || policy.divisions.hasRealCommunities(streetCode);
}

export function checkFounding(c: RegisterOrganization): void {
  if (!isIsoDate(c.foundedOn))
    throw refuse('date-invalid', 'foundedOn must be a calendar date', 'foundedOn');
  if (c.foundedOn > c.today)
    throw refuse('date-in-future', 'foundedOn is after today', 'foundedOn');
  if (c.founders.length === 0)
    throw refuse('founders-required', 'An organization has at least one founder', 'founders');
}

/** A registered organization holds a valid civil-affairs USCC whose type matches its legal form. */
export function checkRegisteredCredentials(
  policy: OrganizationPolicy,
  uscc: string | undefined,
  legalForm: LegalForm | undefined,
): { uscc: string; legalForm: LegalForm } {
  if (!legalForm)
    throw refuse('legal-form-required', 'A registered organization has a legal form', 'legalForm');
  if (!uscc)
    throw refuse(
      'uscc-required',
      'A registered organization has a Unified Social Credit Code',
      'uscc',
    );
  const parsed = parseUscc(
    uscc,
    (region) => region === NATIONAL_REGION || policy.divisions.isShanghaiRegion(region),
  );
  switch (parsed) {
    case 'format':
      throw refuse(
        'uscc-invalid',
        'A USCC is 18 characters of 0-9 and A-Y without I, O, S, V, Z',
        'uscc',
      );
    case 'check-character':
      throw refuse('uscc-invalid', 'The USCC check character (18th) is wrong', 'uscc');
    case 'organization-code-check':
      throw refuse(
        'uscc-invalid',
        'The organization-code check character (17th) of the USCC is wrong',
        'uscc',
      );
    case 'not-civil-affairs':
      throw refuse(
        'uscc-not-civil-affairs',
        'Social organizations have USCCs issued by civil affairs (starting with 5)',
        'uscc',
      );
    case 'unknown-region':
      throw refuse(
        'uscc-region',
        'The USCC region is neither national nor a Shanghai district (current or retired)',
        'uscc',
      );
  }
  if (parsed.type !== LEGAL_FORM_USCC_TYPE[legalForm]) {
    throw refuse(
      'uscc-legal-form-mismatch',
      `A ${legalForm} has a USCC starting with 5${LEGAL_FORM_USCC_TYPE[legalForm]}`,
      'uscc',
    );
  }
  return { uscc, legalForm };
}
