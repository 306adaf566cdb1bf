import { forbid, refuse } from '../../../event-sourcing/domain-error.js';
import { isIsoDate } from '../../../event-sourcing/iso-date.js';
import type { GrantFunding, ReportActivity } from '../organization.commands.js';
import type { OrganizationEvent } from '../organization.events.js';
import type { OrganizationPolicy } from '../organization.policy.js';
import type { Organization } from '../organization.state.js';
import { WELFARE_LOTTERY_PURPOSES } from '../organization.types.js';
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
  if (
    c.channel === 'welfare-lottery' &&
    !(WELFARE_LOTTERY_PURPOSES as readonly string[]).includes(c.purpose ?? '')
  ) {
    throw refuse(
      'welfare-lottery-purpose',
      'A welfare-lottery grant must serve elderly, disability, orphans or hardship (扶老、助残、救孤、济困)',
      'purpose',
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
    },
  };
}
