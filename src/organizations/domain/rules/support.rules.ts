import { forbid, refuse } from '../../../event-sourcing/domain-error.js';
import { isIsoDate } from '../../../event-sourcing/iso-date.js';
import type { GrantFunding, ReportActivity } from '../organization.commands.js';
import type { OrganizationEvent } from '../organization.events.js';
import type { OrganizationPolicy } from '../organization.policy.js';
import type { Organization } from '../organization.state.js';
import {
  OTHER_WELFARE,
  WELFARE_LOTTERY_PURPOSES,
  type Actor,
  type Funder,
} from '../organization.types.js';
import { CITY_CODE } from '../../../divisions/divisions.js';
import { parseUscc } from './uscc.js';
import { activityLevel } from './activity-level.js';
import { withinJurisdiction } from './authority.js';

/** A major activity report (重大活动报告), graded by size to the level that must receive it. */
export function decideActivityReport(
  policy: OrganizationPolicy,
  c: ReportActivity,
  org: Organization,
): OrganizationEvent {
  if (!isIsoDate(c.startsOn))
    throw refuse('date-invalid', 'startsOn must be a calendar date', 'startsOn');
  if (!isIsoDate(c.endsOn))
    throw refuse('date-invalid', 'endsOn must be a calendar date', 'endsOn');
  if (c.endsOn < c.startsOn)
    throw refuse('activity-dates', 'An activity cannot end before it starts', 'endsOn');
  if (!Number.isSafeInteger(c.participants) || c.participants <= 0) {
    throw refuse(
      'participants-positive',
      'An activity has at least one participant',
      'participants',
    );
  }
  const community = policy.divisions.community(c.communityCode);
  const street = community && policy.divisions.street(community.street);
  if (!community || !street)
    throw refuse(
      'community-unknown',
      `${c.communityCode} is not a known community`,
      'communityCode',
    );
  if (street.district !== org.districtCode) {
    throw refuse(
      'activity-outside-district',
      `${community.name} is outside the organization's district`,
      'communityCode',
    );
  }
  return {
    type: 'ActivityReported',
    data: {
      organizationId: org.id,
      reportId: c.reportId,
      title: c.title,
      kind: c.kind,
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      communityCode: community.code,
      streetCode: street.code,
      districtCode: street.district,
      participants: c.participants,
      level: activityLevel(c.participants, policy.activityLevels),
      reportedOn: c.today,
    },
  };
}

/** A grant, recorded by a funder at city, district or street level over the organization. */
export function decideFunding(
  policy: OrganizationPolicy,
  c: GrantFunding,
  org: Organization,
): OrganizationEvent {
  const funderRole =
    c.actor.role === 'city' || c.actor.role === 'district' || c.actor.role === 'street';
  if (!funderRole || !withinJurisdiction(c.actor, org)) {
    throw forbid(
      'funding-authority',
      'Grants are recorded by the city, or the district or street the organization is in',
    );
  }
  if (!Number.isSafeInteger(c.amountFen) || c.amountFen <= 0) {
    throw refuse(
      'amount-positive-integer',
      'amountFen is a positive whole number of fen (分)',
      'amountFen',
    );
  }
  if (c.amountFen > policy.maxGrantFen) {
    throw refuse(
      'amount-too-large',
      `amountFen exceeds the configured maximum of ${policy.maxGrantFen} fen`,
      'amountFen',
    );
  }
  if (!isIsoDate(c.grantedOn))
    throw refuse('date-invalid', 'grantedOn must be a calendar date', 'grantedOn');
  if (c.grantedOn > c.today)
    throw refuse('date-in-future', 'grantedOn is after today', 'grantedOn');
  checkFunder(policy, c.actor, c.funder);
  if (c.channel === 'welfare-lottery') {
    if (c.funder.level !== 'district' && c.funder.level !== 'city') {
      throw refuse(
        'welfare-lottery-funder',
        'A welfare-lottery grant (福利彩票公益金) comes from a funder of level district or city',
        'funder.level',
      );
    }
    if (!WELFARE_PURPOSES.includes(c.purpose ?? '')) {
      throw refuse(
        'welfare-lottery-purpose',
        `A welfare-lottery grant serves a welfare purpose: elderly, disability, orphans or hardship (扶老、助残、救孤、济困), or ${OTHER_WELFARE} with a purposeDescription (等)`,
        'purpose',
      );
    }
  }
  if (c.purpose === OTHER_WELFARE && (c.purposeDescription ?? '').trim().length === 0) {
    throw refuse(
      'purpose-description-required',
      `A grant for ${OTHER_WELFARE} describes the purpose in purposeDescription`,
      'purposeDescription',
    );
  }
  if (c.purpose !== OTHER_WELFARE && c.purposeDescription !== undefined) {
    throw refuse(
      'purpose-description-not-applicable',
      `Only a grant for ${OTHER_WELFARE} has a purposeDescription`,
      'purposeDescription',
    );
  }
  if (
    c.channel === 'government-purchase' &&
    policy.governmentPurchaseRequiresRegistered &&
    org.tier !== 'registered'
  ) {
    throw refuse(
      'government-purchase-requires-registered',
      'Government purchase of services needs a registered (legal-person) organization',
    );
  }
  return {
    type: 'FundingGranted',
    data: {
      organizationId: org.id,
      grantId: c.grantId,
      channel: c.channel,
      amountFen: c.amountFen,
      currency: 'CNY',
      grantedOn: c.grantedOn,
      funder: { name: c.funder.name, level: c.funder.level, code: c.funder.code },
      programme: c.programme,
      ...(c.purpose && { purpose: c.purpose }),
      ...(c.purposeDescription !== undefined && { purposeDescription: c.purposeDescription }),
    },
  };
}

const WELFARE_PURPOSES: readonly string[] = [...WELFARE_LOTTERY_PURPOSES, OTHER_WELFARE];

/**
 * The funder's place fits the recording user: a city, district or street funder is the user's own
 * level or one above it, a committee funder a real community inside the user's area; a foundation
 * funder is named by its USCC (civil affairs, type 3), tied to no place.
 */
function checkFunder(policy: OrganizationPolicy, actor: Actor, funder: Funder): void {
  const { divisions } = policy;
  const { level, code } = funder;
  if (level === 'foundation') {
    const parsed = parseUscc(code, () => true);
    if (typeof parsed === 'string' || parsed.type !== '3') {
      throw refuse(
        'funder-uscc',
        `A foundation funder is named by its Unified Social Credit Code (a valid civil-affairs code starting with 53); ${code} is not one`,
        'funder.code',
      );
    }
    return;
  }
  const fitsLevel =
    level === 'city'
      ? code === CITY_CODE
      : level === 'district'
        ? divisions.district(code) !== undefined
        : level === 'street'
          ? divisions.street(code) !== undefined
          : divisions.community(code) !== undefined;
  if (!fitsLevel) {
    throw refuse(
      'funder-level',
      `${code} is not the code of a ${level === 'committee' ? 'community' : level} (${LEVEL_CODES[level]})`,
      'funder.code',
    );
  }
  if (level === 'committee') {
    if (
      divisions.community(code)?.placeholder === true ||
      !divisions.encloses(actor.jurisdiction, code)
    ) {
      throw refuse(
        'funder-place',
        `A committee funder is a real community inside the recording user's area (${actor.jurisdiction}); ${code} is not`,
        'funder.code',
      );
    }
    return;
  }
  if (!divisions.encloses(code, actor.jurisdiction)) {
    throw refuse(
      'funder-place',
      `A ${level} funder is the recording user's own ${actor.role} (${actor.jurisdiction}) or a level above it; ${code} is not`,
      'funder.code',
    );
  }
}

const LEVEL_CODES: Record<Exclude<Funder['level'], 'foundation'>, string> = {
  city: '310000',
  district: 'a Shanghai district, 6 digits',
  street: 'a Shanghai street or town, 9 digits',
  committee: 'a Shanghai community, 12 digits',
};
