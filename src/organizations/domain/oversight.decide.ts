/**
 * The bureaus' oversight of an organization (DOMAIN §4): annual work reports (年度工作报告),
 * spot checks (抽查), formal grades (等级评估) and the abnormal-activity list (活动异常名录).
 * Pure: the business date "today" and the generated ids come in with the command.
 */
import { CITY_CODE } from '../../divisions/divisions.js';
import { forbid, refuse } from '../../event-sourcing/domain-error.js';
import { lastDayOfYears } from '../../event-sourcing/iso-date.js';
import type {
  AwardGrade,
  ClearAbnormal,
  ListAbnormal,
  RecordAnnualReport,
  RecordSpotCheck,
} from './organization.commands.js';
import { checkBusinessDate } from './rules/business-date.js';
import type { OrganizationEvent } from './organization.events.js';
import { DEFAULT_ANNUAL_REPORT_DUE, type OrganizationPolicy } from './organization.policy.js';
import type { Organization } from './organization.state.js';
import { FORMAL_GRADE_VALID_YEARS, type Actor } from './organization.types.js';
import { isLevel, managingLevel } from './rules/authority.js';

/** Annual reports and grades: the bureau that registers it (the city's for a foundation). */
function requireRegisteringBureau(
  actor: Actor,
  org: Organization,
  rule: string,
  what: string,
): void {
  const bureau = managingLevel({ ...org, tier: 'registered' });
  if (!isLevel(actor, bureau)) {
    throw forbid(
      rule,
      `${what} is recorded by the ${bureau.role} bureau that registers the organization (${bureau.jurisdiction ?? '?'})`,
    );
  }
  if (org.tier !== 'registered') {
    throw refuse(
      'registered-only',
      `${what} is for registered organizations; this is a ${org.tier}`,
    );
  }
}

/** Spot checks and the abnormal list: the district bureau of its district, or the city bureau. */
function requireBureau(
  actor: Actor,
  org: Organization,
  rule: string,
  what: string,
): 'district' | 'city' {
  if (actor.role === 'city' && actor.jurisdiction === CITY_CODE) return 'city';
  if (actor.role === 'district' && actor.jurisdiction === org.districtCode) return 'district';
  throw forbid(rule, `${what}: only the district bureau of ${org.districtCode} or the city bureau`);
}

function requireText(value: string, field: string): void {
  if (value.trim().length === 0) throw refuse('text-required', `${field} must not be blank`, field);
}

function requireCount(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw refuse('count-invalid', `${field} must be a whole number, 0 or more`, field);
}

function notBeforeFounding(date: string, org: Organization, field: string): void {
  if (date < org.foundedOn)
    throw refuse(
      'date-before-founding',
      `${field} (${date}) is before the organization was founded (${org.foundedOn})`,
      field,
    );
}

export function decideAnnualReport(
  policy: OrganizationPolicy,
  c: RecordAnnualReport,
  org: Organization,
): OrganizationEvent[] {
  requireRegisteringBureau(c.actor, org, 'annual-report-authority', 'An annual work report');
  if (!Number.isSafeInteger(c.year) || c.year < 1900)
    throw refuse('year-invalid', 'year must be a year such as 2024', 'year');
  checkBusinessDate(c.recordedOn, c.today, 'recordedOn');
  if (c.recordedOn <= `${c.year}-12-31`) {
    throw refuse(
      'annual-report-year-unfinished',
      `The report for ${c.year} is recorded after that year ends, not on ${c.recordedOn}`,
      'recordedOn',
    );
  }
  if (`${c.year}-12-31` < org.foundedOn) {
    throw refuse(
      'annual-report-before-founding',
      `The organization was founded on ${org.foundedOn}, after ${c.year}`,
      'year',
    );
  }
  if (org.annualReportYears?.includes(c.year)) {
    throw refuse(
      'annual-report-exists',
      `The annual report for ${c.year} is already recorded`,
      'year',
    );
  }
  requireCount(c.members, 'members');
  requireCount(c.incomeFen, 'incomeFen');
  requireCount(c.expenditureFen, 'expenditureFen');
  requireCount(c.activities, 'activities');
  const dueOn = `${c.year + 1}-${policy.annualReportDue ?? DEFAULT_ANNUAL_REPORT_DUE}`;
  return [
    {
      type: 'AnnualReportRecorded',
      data: {
        organizationId: org.id,
        year: c.year,
        members: c.members,
        incomeFen: c.incomeFen,
        expenditureFen: c.expenditureFen,
        activities: c.activities,
        recordedOn: c.recordedOn,
        dueOn,
        onTime: c.recordedOn <= dueOn,
      },
    },
  ];
}

export function decideSpotCheck(c: RecordSpotCheck, org: Organization): OrganizationEvent[] {
  const checkedBy = requireBureau(c.actor, org, 'spot-check-authority', 'A spot check is made');
  checkBusinessDate(c.checkedOn, c.today, 'checkedOn');
  notBeforeFounding(c.checkedOn, org, 'checkedOn');
  requireText(c.findings, 'findings');
  if (c.result !== 'rectify') {
    if (c.deadline !== undefined)
      throw refuse('deadline-not-applicable', 'Only a `rectify` result has a deadline', 'deadline');
    return [
      {
        type: 'SpotCheckRecorded',
        data: {
          organizationId: org.id,
          checkId: c.checkId,
          checkedOn: c.checkedOn,
          result: c.result,
          findings: c.findings,
          checkedBy,
        },
      },
    ];
  }
  if (c.deadline === undefined)
    throw refuse('deadline-required', '限期整改 needs the deadline to rectify by', 'deadline');
  if (c.deadline <= c.checkedOn)
    throw refuse('deadline-after-check', 'The deadline is after the check', 'deadline');
  return [
    {
      type: 'SpotCheckRecorded',
      data: {
        organizationId: org.id,
        checkId: c.checkId,
        checkedOn: c.checkedOn,
        result: 'rectify',
        findings: c.findings,
        deadline: c.deadline,
        noticeId: c.noticeId,
        checkedBy,
      },
    },
    // The correction notice the check orders, dated by the check; the managing level resolves it.
    {
      type: 'CorrectionNoticeIssued',
      data: {
        organizationId: org.id,
        noticeId: c.noticeId,
        reason: `抽查限期整改（${c.deadline}前）：${c.findings}`,
        issuedOn: c.checkedOn,
      },
    },
  ];
}

export function decideGrade(c: AwardGrade, org: Organization): OrganizationEvent[] {
  requireRegisteringBureau(c.actor, org, 'grade-authority', 'A formal grade (等级评估)');
  checkBusinessDate(c.awardedOn, c.today, 'awardedOn');
  const since = org.registeredOn ?? org.foundedOn;
  if (c.awardedOn < since)
    throw refuse(
      'grade-before-registration',
      `awardedOn (${c.awardedOn}) is before the organization was registered (${since})`,
      'awardedOn',
    );
  if (org.grade && c.awardedOn < org.grade.awardedOn)
    throw refuse(
      'grade-older-than-current',
      `A grade was already awarded on ${org.grade.awardedOn}, after ${c.awardedOn}`,
      'awardedOn',
    );
  return [
    {
      type: 'GradeAwarded',
      data: {
        organizationId: org.id,
        grade: c.grade,
        awardedOn: c.awardedOn,
        validUntil: lastDayOfYears(c.awardedOn, FORMAL_GRADE_VALID_YEARS),
      },
    },
  ];
}

export function decideAbnormalListing(c: ListAbnormal, org: Organization): OrganizationEvent[] {
  requireBureau(c.actor, org, 'abnormal-list-authority', 'The abnormal-activity list is kept');
  requireText(c.reason, 'reason');
  checkBusinessDate(c.listedOn, c.today, 'listedOn');
  notBeforeFounding(c.listedOn, org, 'listedOn');
  if (org.abnormal)
    throw refuse(
      'abnormal-already-listed',
      `The organization is on the abnormal-activity list since ${org.abnormal.listedOn}`,
    );
  return [
    {
      type: 'AbnormalListed',
      data: { organizationId: org.id, reason: c.reason, listedOn: c.listedOn },
    },
  ];
}

export function decideAbnormalClearance(c: ClearAbnormal, org: Organization): OrganizationEvent[] {
  requireBureau(c.actor, org, 'abnormal-list-authority', 'The abnormal-activity list is kept');
  checkBusinessDate(c.clearedOn, c.today, 'clearedOn');
  if (!org.abnormal)
    throw refuse('abnormal-not-listed', 'The organization is not on the abnormal-activity list');
  if (c.clearedOn < org.abnormal.listedOn)
    throw refuse(
      'cleared-before-listed',
      `clearedOn (${c.clearedOn}) is before it was listed (${org.abnormal.listedOn})`,
      'clearedOn',
    );
  return [
    {
      type: 'AbnormalCleared',
      data: { organizationId: org.id, clearedOn: c.clearedOn, listedOn: org.abnormal.listedOn },
    },
  ];
}
