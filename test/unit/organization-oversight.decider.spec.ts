/**
 * DOMAIN.md §4, the bureaus' oversight: annual work reports (年度工作报告), spot checks (抽查),
 * formal grades (等级评估) and the abnormal-activity list (活动异常名录).
 */
import { organizationDecider } from '../../src/organizations/domain/organization.decider.js';
import type {
  AwardGrade,
  ClearAbnormal,
  ListAbnormal,
  RecordAnnualReport,
  RecordSpotCheck,
} from '../../src/organizations/domain/organization.commands.js';
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import type { Actor } from '../../src/organizations/domain/organization.types.js';
import { spec } from '../support/decider-spec.js';
import { ACTORS, ORG_ID, TODAY, TOMORROW, decider, policy } from '../support/fixtures.js';
import {
  dissolved,
  foundationRegistered,
  groupRegistered,
  socialGroupRegistered,
  teamRegistered,
} from '../support/events.js';

const given = spec(decider).given;

type Overrides<C> = Partial<Omit<C, 'type'>>;

function annualReport(o: Overrides<RecordAnnualReport> = {}): RecordAnnualReport {
  return {
    type: 'RecordAnnualReport',
    actor: ACTORS.xuhuiDistrict,
    today: TODAY,
    year: 2023,
    members: 42,
    incomeFen: 15_000_000,
    expenditureFen: 13_250_000,
    activities: 24,
    recordedOn: '2024-05-10',
    ...o,
  };
}

function spotCheck(o: Overrides<RecordSpotCheck> = {}): RecordSpotCheck {
  return {
    type: 'RecordSpotCheck',
    actor: ACTORS.xuhuiDistrict,
    today: TODAY,
    checkId: 'check-1',
    noticeId: 'notice-1',
    checkedOn: '2024-06-01',
    result: 'passed',
    findings: '财务制度健全，活动台账完整',
    ...o,
  };
}

function awardGrade(o: Overrides<AwardGrade> = {}): AwardGrade {
  return {
    type: 'AwardGrade',
    actor: ACTORS.xuhuiDistrict,
    today: TODAY,
    grade: '4A',
    awardedOn: '2024-03-15',
    ...o,
  };
}

function listAbnormal(o: Overrides<ListAbnormal> = {}): ListAbnormal {
  return {
    type: 'ListAbnormal',
    actor: ACTORS.xuhuiDistrict,
    today: TODAY,
    reason: '未按时报送年度工作报告',
    listedOn: '2024-06-01',
    ...o,
  };
}

function clearAbnormal(o: Overrides<ClearAbnormal> = {}): ClearAbnormal {
  return {
    type: 'ClearAbnormal',
    actor: ACTORS.xuhuiDistrict,
    today: TODAY,
    clearedOn: '2024-06-10',
    ...o,
  };
}

function reportRecorded(year: number, recordedOn: string, onTime: boolean): OrganizationEvent {
  return {
    type: 'AnnualReportRecorded',
    data: {
      organizationId: ORG_ID,
      year,
      members: 40,
      incomeFen: 1_000_000,
      expenditureFen: 900_000,
      activities: 10,
      recordedOn,
      dueOn: `${year + 1}-06-30`,
      onTime,
    },
  };
}

const listed: OrganizationEvent = {
  type: 'AbnormalListed',
  data: { organizationId: ORG_ID, reason: '通过登记的住所无法联系', listedOn: '2024-05-01' },
};

/** Who may not record a 徐汇区 social group's annual report or grade. */
const NOT_ITS_BUREAU: [string, Actor][] = [
  ['another district bureau', ACTORS.pudongDistrict],
  ['the city bureau (not a foundation)', ACTORS.city],
  ['its street office', ACTORS.tianpingStreet],
  ['a committee', ACTORS.shanghaiXincunCommittee],
  ['the auditor', ACTORS.auditor],
];

/** Who may not spot-check or list a 徐汇区 organization. */
const NOT_A_SUPERVISING_BUREAU: [string, Actor][] = [
  ['another district bureau', ACTORS.pudongDistrict],
  ['its street office', ACTORS.tianpingStreet],
  ['its committee', ACTORS.shanghaiXincunCommittee],
  ['the auditor', ACTORS.auditor],
];

describe('annual work report (年度工作报告): district bureau, registered only, one per year', () => {
  it('recorded by 30 June of the next year is on time (AnnualReportRecorded)', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(annualReport())
      .then([
        {
          type: 'AnnualReportRecorded',
          data: {
            organizationId: ORG_ID,
            year: 2023,
            members: 42,
            incomeFen: 15_000_000,
            expenditureFen: 13_250_000,
            activities: 24,
            recordedOn: '2024-05-10',
            dueOn: '2024-06-30',
            onTime: true,
          },
        },
      ]);
  });

  it('on 30 June itself it is still on time; from 1 July late', () => {
    const onDue = given([socialGroupRegistered(ORG_ID)])
      .when(annualReport({ year: 2022, recordedOn: '2023-06-30' }))
      .events();
    expect(onDue[0]?.data).toMatchObject({ onTime: true, dueOn: '2023-06-30' });
    const late = given([socialGroupRegistered(ORG_ID)])
      .when(annualReport({ year: 2022, recordedOn: '2023-07-01' }))
      .events();
    expect(late[0]?.data).toMatchObject({ onTime: false });
  });

  it('the due day is configurable (ANNUAL_REPORT_DUE)', () => {
    const marchDue = spec(organizationDecider(policy({ annualReportDue: '03-31' })));
    const events = marchDue
      .given([socialGroupRegistered(ORG_ID)])
      .when(annualReport())
      .events();
    expect(events[0]?.data).toMatchObject({ dueOn: '2024-03-31', onTime: false });
  });

  it('the city bureau records a community foundation’s', () => {
    const events = given([foundationRegistered(ORG_ID)])
      .when(annualReport({ actor: ACTORS.city }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['AnnualReportRecorded']);
  });

  it('not a foundation’s by its district bureau (foundations answer to the city)', () => {
    given([foundationRegistered(ORG_ID)])
      .when(annualReport())
      .thenThrows({ kind: 'forbidden', rule: 'annual-report-authority' });
  });

  it.each(NOT_ITS_BUREAU)('not by %s', (_label, actor) => {
    given([socialGroupRegistered(ORG_ID)])
      .when(annualReport({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'annual-report-authority' });
  });

  it('only registered organizations report (a team’s district bureau is told why)', () => {
    given(teamRegistered(ORG_ID))
      .when(annualReport())
      .thenThrows({ kind: 'rule', rule: 'registered-only' });
  });

  it('one per year', () => {
    given([socialGroupRegistered(ORG_ID), reportRecorded(2023, '2024-04-01', true)])
      .when(annualReport())
      .thenThrows({ kind: 'rule', rule: 'annual-report-exists', field: 'year' });
  });

  it('only for a finished year', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(annualReport({ year: 2024, recordedOn: '2024-06-01' }))
      .thenThrows({ kind: 'rule', rule: 'annual-report-year-unfinished', field: 'recordedOn' });
  });

  it('never recorded in the future', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(annualReport({ recordedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'recordedOn' });
  });

  it('not for a year before the organization was founded', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(annualReport({ year: 2018 }))
      .thenThrows({ kind: 'rule', rule: 'annual-report-before-founding', field: 'year' });
  });

  it('counts are whole numbers, 0 or more', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(annualReport({ incomeFen: 10.5 }))
      .thenThrows({ kind: 'rule', rule: 'count-invalid', field: 'incomeFen' });
  });

  it('the state keeps the latest year: a late report for an earlier year does not hide it', () => {
    const state = given([socialGroupRegistered(ORG_ID), reportRecorded(2023, '2024-05-01', true)])
      .when(annualReport({ year: 2022, recordedOn: '2024-06-01' }))
      .stateAfter();
    expect(state?.latestAnnualReport).toEqual({ year: 2023, onTime: true });
    expect(state?.annualReportYears).toEqual([2023, 2022]);
  });

  it('refused once dissolved', () => {
    given([socialGroupRegistered(ORG_ID), dissolved(ORG_ID)])
      .when(annualReport())
      .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
  });
});

describe('spot check (抽查): district or city bureau, any tier', () => {
  it('passed (SpotCheckRecorded)', () => {
    given([groupRegistered(ORG_ID)])
      .when(spotCheck())
      .then([
        {
          type: 'SpotCheckRecorded',
          data: {
            organizationId: ORG_ID,
            checkId: 'check-1',
            checkedOn: '2024-06-01',
            result: 'passed',
            findings: '财务制度健全，活动台账完整',
            checkedBy: 'district',
          },
        },
      ]);
  });

  it('rectify with a deadline opens a correction notice in the same command', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(
        spotCheck({
          actor: ACTORS.city,
          result: 'rectify',
          findings: '活动台账不全',
          deadline: '2024-07-31',
        }),
      )
      .then([
        {
          type: 'SpotCheckRecorded',
          data: {
            organizationId: ORG_ID,
            checkId: 'check-1',
            checkedOn: '2024-06-01',
            result: 'rectify',
            findings: '活动台账不全',
            deadline: '2024-07-31',
            noticeId: 'notice-1',
            checkedBy: 'city',
          },
        },
        {
          type: 'CorrectionNoticeIssued',
          data: {
            organizationId: ORG_ID,
            noticeId: 'notice-1',
            reason: '抽查限期整改（2024-07-31前）：活动台账不全',
            issuedOn: '2024-06-01',
          },
        },
      ]);
  });

  it('the notice it opens is open in the state', () => {
    const state = given([groupRegistered(ORG_ID)])
      .when(spotCheck({ result: 'rectify', deadline: '2024-07-31' }))
      .stateAfter();
    expect(state?.openCorrectionNotices).toEqual(['notice-1']);
  });

  it('rectify needs a deadline', () => {
    given([groupRegistered(ORG_ID)])
      .when(spotCheck({ result: 'rectify' }))
      .thenThrows({ kind: 'rule', rule: 'deadline-required', field: 'deadline' });
  });

  it('the deadline is after the check', () => {
    given([groupRegistered(ORG_ID)])
      .when(spotCheck({ result: 'rectify', deadline: '2024-06-01' }))
      .thenThrows({ kind: 'rule', rule: 'deadline-after-check', field: 'deadline' });
  });

  it('only rectify has a deadline', () => {
    given([groupRegistered(ORG_ID)])
      .when(spotCheck({ result: 'failed', deadline: '2024-07-31' }))
      .thenThrows({ kind: 'rule', rule: 'deadline-not-applicable', field: 'deadline' });
  });

  it('findings are not blank', () => {
    given([groupRegistered(ORG_ID)])
      .when(spotCheck({ findings: '  ' }))
      .thenThrows({ kind: 'rule', rule: 'text-required', field: 'findings' });
  });

  it('not in the future, not before the founding', () => {
    given([groupRegistered(ORG_ID)])
      .when(spotCheck({ checkedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'checkedOn' });
    given([groupRegistered(ORG_ID)])
      .when(spotCheck({ checkedOn: '2019-01-01' }))
      .thenThrows({ kind: 'rule', rule: 'date-before-founding', field: 'checkedOn' });
  });

  it.each(NOT_A_SUPERVISING_BUREAU)('not by %s', (_label, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(spotCheck({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'spot-check-authority' });
  });
});

describe('formal grade (等级评估): district bureau, registered only, 1A–5A valid five years', () => {
  it('valid through the day before the fifth anniversary (GradeAwarded)', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(awardGrade())
      .then([
        {
          type: 'GradeAwarded',
          data: {
            organizationId: ORG_ID,
            grade: '4A',
            awardedOn: '2024-03-15',
            validUntil: '2029-03-14',
          },
        },
      ]);
  });

  it('awarded on 29 February: valid through 28 February five years on', () => {
    const events = given([socialGroupRegistered(ORG_ID)])
      .when(awardGrade({ awardedOn: '2024-02-29' }))
      .events();
    expect(events[0]?.data).toMatchObject({ validUntil: '2029-02-28' });
  });

  it('the city bureau grades a community foundation', () => {
    const events = given([foundationRegistered(ORG_ID)])
      .when(awardGrade({ actor: ACTORS.city, grade: '5A' }))
      .events();
    expect(events[0]?.data).toMatchObject({ grade: '5A' });
  });

  it.each(NOT_ITS_BUREAU)('not by %s', (_label, actor) => {
    given([socialGroupRegistered(ORG_ID)])
      .when(awardGrade({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'grade-authority' });
  });

  it('only registered organizations are graded', () => {
    given(teamRegistered(ORG_ID))
      .when(awardGrade())
      .thenThrows({ kind: 'rule', rule: 'registered-only' });
  });

  it('not before the registration', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(awardGrade({ awardedOn: '2020-12-31' }))
      .thenThrows({ kind: 'rule', rule: 'grade-before-registration', field: 'awardedOn' });
  });

  it('a new grade replaces the current one, never one awarded before it', () => {
    const current: OrganizationEvent = {
      type: 'GradeAwarded',
      data: {
        organizationId: ORG_ID,
        grade: '3A',
        awardedOn: '2024-01-10',
        validUntil: '2029-01-09',
      },
    };
    given([socialGroupRegistered(ORG_ID), current])
      .when(awardGrade({ awardedOn: '2023-12-01' }))
      .thenThrows({ kind: 'rule', rule: 'grade-older-than-current', field: 'awardedOn' });
    const state = given([socialGroupRegistered(ORG_ID), current])
      .when(awardGrade())
      .stateAfter();
    expect(state?.grade).toEqual({
      grade: '4A',
      awardedOn: '2024-03-15',
      validUntil: '2029-03-14',
    });
  });

  it('never in the future', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(awardGrade({ awardedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'awardedOn' });
  });
});

describe('abnormal-activity list (活动异常名录): district or city bureau', () => {
  it('listed with a reason (AbnormalListed)', () => {
    given([groupRegistered(ORG_ID)])
      .when(listAbnormal())
      .then([
        {
          type: 'AbnormalListed',
          data: {
            organizationId: ORG_ID,
            reason: '未按时报送年度工作报告',
            listedOn: '2024-06-01',
          },
        },
      ]);
  });

  it('the city bureau lists too', () => {
    const state = given([socialGroupRegistered(ORG_ID)])
      .when(listAbnormal({ actor: ACTORS.city }))
      .stateAfter();
    expect(state?.abnormal).toEqual({ listedOn: '2024-06-01', reason: '未按时报送年度工作报告' });
  });

  it('not listed twice', () => {
    given([groupRegistered(ORG_ID), listed])
      .when(listAbnormal())
      .thenThrows({ kind: 'rule', rule: 'abnormal-already-listed' });
  });

  it('a reason is given', () => {
    given([groupRegistered(ORG_ID)])
      .when(listAbnormal({ reason: ' ' }))
      .thenThrows({ kind: 'rule', rule: 'text-required', field: 'reason' });
  });

  it('never listed in the future', () => {
    given([groupRegistered(ORG_ID)])
      .when(listAbnormal({ listedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'listedOn' });
  });

  it.each(NOT_A_SUPERVISING_BUREAU)('not listed by %s', (_label, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(listAbnormal({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'abnormal-list-authority' });
  });

  it('cleared (AbnormalCleared), naming the listing it clears', () => {
    given([groupRegistered(ORG_ID), listed])
      .when(clearAbnormal())
      .then([
        {
          type: 'AbnormalCleared',
          data: { organizationId: ORG_ID, clearedOn: '2024-06-10', listedOn: '2024-05-01' },
        },
      ]);
    const state = given([groupRegistered(ORG_ID), listed])
      .when(clearAbnormal())
      .stateAfter();
    expect(state?.abnormal).toBeUndefined();
  });

  it('only what is listed is cleared', () => {
    given([groupRegistered(ORG_ID)])
      .when(clearAbnormal())
      .thenThrows({ kind: 'rule', rule: 'abnormal-not-listed' });
  });

  it('not cleared before it was listed', () => {
    given([groupRegistered(ORG_ID), listed])
      .when(clearAbnormal({ clearedOn: '2024-04-30' }))
      .thenThrows({ kind: 'rule', rule: 'cleared-before-listed', field: 'clearedOn' });
  });

  it.each(NOT_A_SUPERVISING_BUREAU)('not cleared by %s', (_label, actor) => {
    given([groupRegistered(ORG_ID), listed])
      .when(clearAbnormal({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'abnormal-list-authority' });
  });
});
