import { refuse } from '../../../event-sourcing/domain-error.js';
import type { RegisterOrganization } from '../organization.commands.js';
import type { OrganizationPolicy } from '../organization.policy.js';
import {
  LEGAL_FORM_USCC_TYPE,
  type Category,
  type LegalForm,
  type Tier,
} from '../organization.types.js';
import { CITY_CODE } from '../../../divisions/divisions.js';
import { parseUscc } from './uscc.js';
import { isIsoDate } from '../../../event-sourcing/iso-date.js';

/** Region part of codes issued by the national Ministry of Civil Affairs. */
const NATIONAL_REGION = '100000';

/** The community belongs to the street, which belongs to the district. */
export function checkPlace(
  policy: OrganizationPolicy,
  c: Pick<RegisterOrganization, 'tier' | 'districtCode' | 'streetCode' | 'communityCode'>,
): void {
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

/** What the credential rules of a registered organization look at. */
export interface RegisteredCredentials {
  readonly uscc?: string | undefined;
  readonly legalForm?: LegalForm | undefined;
  readonly districtCode: string;
  readonly category: Category;
  readonly supervisoryUnit?: string | undefined;
}

/**
 * A registered organization holds a valid civil-affairs USCC whose type matches its legal form
 * and whose registration-authority region (characters 3–8) is its registering bureau's: its
 * district (or a district merged into it), 310000 for a community foundation, never the national
 * 100000. A community foundation is registered directly (直接登记): no supervisory unit, and it is
 * a charity.
 */
export function checkRegisteredCredentials(
  policy: OrganizationPolicy,
  c: RegisteredCredentials,
): { uscc: string; legalForm: LegalForm } {
  const { uscc, legalForm } = c;
  if (!legalForm)
    throw refuse('legal-form-required', 'A registered organization has a legal form', 'legalForm');
  if (legalForm === 'community-foundation') checkFoundation(c);
  if (!uscc)
    throw refuse(
      'uscc-required',
      'A registered organization has a Unified Social Credit Code',
      'uscc',
    );
  // Any region parses; which one is right depends on the legal form, checked after the type.
  const parsed = parseUscc(uscc, () => true);
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
      throw refuse('uscc-region', 'The USCC region is unknown', 'uscc');
  }
  if (parsed.type !== LEGAL_FORM_USCC_TYPE[legalForm]) {
    throw refuse(
      'uscc-legal-form-mismatch',
      `A ${legalForm} has a USCC starting with 5${LEGAL_FORM_USCC_TYPE[legalForm]}`,
      'uscc',
    );
  }
  const expected =
    legalForm === 'community-foundation'
      ? [CITY_CODE]
      : policy.divisions.usccRegionsOf(c.districtCode);
  if (!expected.includes(parsed.region)) {
    const issuer =
      legalForm === 'community-foundation'
        ? 'A community foundation is registered by the city bureau'
        : `A ${legalForm} of ${policy.divisions.district(c.districtCode)?.name ?? c.districtCode} is registered by its district bureau`;
    const national =
      parsed.region === NATIONAL_REGION
        ? ' (100000 is the national Ministry of Civil Affairs)'
        : '';
    throw refuse(
      'uscc-region',
      `${issuer}: its USCC region (characters 3–8) is ${expectedText(expected)}, not ${parsed.region}${national}`,
      'uscc',
    );
  }
  return { uscc, legalForm };
}

const expectedText = ([own, ...retired]: readonly string[]): string =>
  retired.length === 0
    ? (own ?? '')
    : `${own ?? ''} (or ${retired.join(', ')}, retired and merged into it)`;

/** 直接登记: a community foundation has no business supervisory unit and is a charity. */
function checkFoundation(c: RegisteredCredentials): void {
  if (c.supervisoryUnit !== undefined) {
    throw refuse(
      'foundation-supervisory-unit',
      'A community foundation is registered directly (直接登记): it has no business supervisory unit',
      'supervisoryUnit',
    );
  }
  if (c.category !== 'charity') {
    throw refuse(
      'foundation-category',
      'A community foundation is a charity (公益慈善类)',
      'category',
    );
  }
}
