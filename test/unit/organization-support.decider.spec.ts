/**
 * DOMAIN.md §4: major activity reports (重大活动报告) graded by size, and funding grants.
 */
import { organizationDecider } from '../../src/organizations/domain/organization.decider.js';
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import type { Organization } from '../../src/organizations/domain/organization.state.js';
import type {
  Actor,
  ActivityLevel,
  Funder,
  FundingChannel,
} from '../../src/organizations/domain/organization.types.js';
import { spec } from '../support/decider-spec.js';
import {
  ACTORS,
  BAD_USCC,
  FUNDERS,
  ORG_ID,
  PLACES,
  TODAY,
  TOMORROW,
  USCC,
  decider,
  grantFunding,
  policy,
  reportActivity,
} from '../support/fixtures.js';
import {
  dissolved,
  foundationRegistered,
  groupRegistered,
  socialGroupRegistered,
  teamRegistered,
} from '../support/events.js';

const given = spec(decider).given;

describe('report a major activity: by the managing level, graded by size', () => {
  it('the committee reports an activity of its group (ActivityReported with the receiving level)', () => {
    given([groupRegistered(ORG_ID)])
      .when(reportActivity())
      .then([
        {
          type: 'ActivityReported',
          data: {
            organizationId: ORG_ID,
            reportId: 'report-1',
            title: '重阳节书画义卖',
            kind: 'culture',
            startsOn: '2024-06-01',
            endsOn: '2024-06-02',
            communityCode: '310104003001',
            streetCode: '310104003',
            districtCode: '310104',
            participants: 60,
            level: 'community',
            reportedOn: TODAY,
          },
        },
      ]);
  });

  it.each<[number, ActivityLevel]>([
    [1, 'community'],
    [99, 'community'],
    [100, 'street'],
    [499, 'street'],
    [500, 'district'],
    [20_000, 'district'],
  ])('%i participants are reported to the %s level (ours: 100 / 500)', (participants, level) => {
    const events = given([groupRegistered(ORG_ID)])
      .when(reportActivity({ participants }))
      .events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ActivityReported', data: { participants, level } });
  });

  it.each<[number, ActivityLevel]>([
    [29, 'community'],
    [30, 'street'],
    [199, 'street'],
    [200, 'district'],
  ])(
    'with thresholds 30 / 200 configured, %i participants go to the %s level',
    (participants, level) => {
      const events = spec(
        organizationDecider(policy({ activityLevels: { street: 30, district: 200 } })),
      )
        .given([groupRegistered(ORG_ID)])
        .when(reportActivity({ participants }))
        .events();
      expect(events[0]).toMatchObject({ data: { participants, level } });
    },
  );

  it('an activity in another street of the same district records that street', () => {
    const events = given([groupRegistered(ORG_ID)])
      .when(reportActivity({ communityCode: PLACES.huaizhong }))
      .events();
    expect(events[0]).toMatchObject({
      data: { communityCode: '310104004001', streetCode: '310104004', districtCode: '310104' },
    });
  });

  it('an activity on a single day is a valid range', () => {
    const events = given([groupRegistered(ORG_ID)])
      .when(reportActivity({ startsOn: '2024-06-01', endsOn: '2024-06-01' }))
      .events();
    expect(events[0]).toMatchObject({ data: { startsOn: '2024-06-01', endsOn: '2024-06-01' } });
  });

  it('an activity cannot end before it starts (activity-dates)', () => {
    given([groupRegistered(ORG_ID)])
      .when(reportActivity({ startsOn: '2024-06-02', endsOn: '2024-06-01' }))
      .thenThrows({ kind: 'rule', rule: 'activity-dates', field: 'endsOn' });
  });

  it.each([
    ['startsOn', { startsOn: '2024-02-30' }],
    ['endsOn', { endsOn: '2024-06-31' }],
    ['startsOn', { startsOn: '1 June 2024' }],
  ])('an activity with an invalid %s is refused (date-invalid)', (field, overrides) => {
    given([groupRegistered(ORG_ID)])
      .when(reportActivity(overrides))
      .thenThrows({ kind: 'rule', rule: 'date-invalid', field });
  });

  it.each([0, -3, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'an activity with %p participants is refused (participants-positive)',
    (participants) => {
      given([groupRegistered(ORG_ID)])
        .when(reportActivity({ participants }))
        .thenThrows({ kind: 'rule', rule: 'participants-positive', field: 'participants' });
    },
  );

  it('an activity in a community of another district is refused (activity-outside-district)', () => {
    given([groupRegistered(ORG_ID)])
      .when(reportActivity({ communityCode: PLACES.weifangYicun }))
      .thenThrows({ kind: 'rule', rule: 'activity-outside-district', field: 'communityCode' });
  });

  it.each(['310104003999', '310104', '310104003'])(
    'an activity in the unknown community %s is refused (community-unknown)',
    (communityCode) => {
      given([groupRegistered(ORG_ID)])
        .when(reportActivity({ communityCode }))
        .thenThrows({ kind: 'rule', rule: 'community-unknown', field: 'communityCode' });
    },
  );

  it.each<[string, OrganizationEvent[], Actor]>([
    ['a team by its street', teamRegistered(ORG_ID), ACTORS.tianpingStreet],
    [
      'a registered organization by its district',
      [socialGroupRegistered(ORG_ID)],
      ACTORS.xuhuiDistrict,
    ],
    ['a community foundation by the city', [foundationRegistered(ORG_ID)], ACTORS.city],
  ])('the managing level reports for %s', (_w, history, actor) => {
    const events = given(history).when(reportActivity({ actor })).events();
    expect(events.map((e) => e.type)).toEqual(['ActivityReported']);
  });

  it.each<[string, OrganizationEvent[], Actor]>([
    ['a group by its street', [groupRegistered(ORG_ID)], ACTORS.tianpingStreet],
    ['a group by another committee', [groupRegistered(ORG_ID)], ACTORS.qingyuCommittee],
    ['a group by its district', [groupRegistered(ORG_ID)], ACTORS.xuhuiDistrict],
    ['a team by its committee', teamRegistered(ORG_ID), ACTORS.shanghaiXincunCommittee],
    [
      'a registered organization by its street',
      [socialGroupRegistered(ORG_ID)],
      ACTORS.tianpingStreet,
    ],
    ['a registered organization by the city', [socialGroupRegistered(ORG_ID)], ACTORS.city],
    ['a group by the auditor', [groupRegistered(ORG_ID)], ACTORS.auditor],
  ])('a report for %s is forbidden (activity-report-authority)', (_w, history, actor) => {
    given(history)
      .when(reportActivity({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'activity-report-authority' });
  });

  it('a dissolved organization reports nothing (organization-dissolved)', () => {
    given([groupRegistered(ORG_ID), dissolved(ORG_ID)])
      .when(reportActivity())
      .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
  });

  it('every report counts in the state', () => {
    const first = given([groupRegistered(ORG_ID)])
      .when(reportActivity())
      .events();
    const state = given([groupRegistered(ORG_ID), ...first])
      .when(reportActivity({ reportId: 'report-2' }))
      .stateAfter() as Organization;
    expect(state.activityReportCount).toBe(2);
  });
});

describe('grant funding: positive integer fen, channel rules, a funder at city/district/street level', () => {
  it('the street grants funding to an organization of its street (FundingGranted in CNY)', () => {
    given([groupRegistered(ORG_ID)])
      .when(grantFunding())
      .then([
        {
          type: 'FundingGranted',
          data: {
            organizationId: ORG_ID,
            grantId: 'grant-1',
            channel: 'self-governance-fund',
            amountFen: 1_250_000,
            currency: 'CNY',
            grantedOn: '2024-06-03',
            funder: { name: '天平路街道办事处', level: 'street', code: '310104003' },
            programme: '2024年社区自治项目',
          },
        },
      ]);
  });

  it.each<[string, Actor, Funder]>([
    ["the organization's district bureau", ACTORS.xuhuiDistrict, FUNDERS.xuhui],
    ['the city bureau', ACTORS.city, FUNDERS.city],
  ])('%s may grant funding as the funder', (_w, actor, funder) => {
    const events = given([groupRegistered(ORG_ID)])
      .when(grantFunding({ actor, funder }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['FundingGranted']);
  });

  it.each<[string, Actor]>([
    ['another street of the same district', ACTORS.hunanStreet],
    ['another district bureau', ACTORS.pudongDistrict],
    ["the organization's own committee", ACTORS.shanghaiXincunCommittee],
    ['the auditor', ACTORS.auditor],
  ])('a grant recorded by %s is forbidden (funding-authority)', (_w, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(grantFunding({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'funding-authority' });
  });

  it.each([0, -100, 12.5, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'an amount of %p fen is refused (amount-positive-integer)',
    (amountFen) => {
      given([groupRegistered(ORG_ID)])
        .when(grantFunding({ amountFen }))
        .thenThrows({ kind: 'rule', rule: 'amount-positive-integer', field: 'amountFen' });
    },
  );

  it('one fen is a grant', () => {
    const events = given([groupRegistered(ORG_ID)])
      .when(grantFunding({ amountFen: 1 }))
      .events();
    expect(events[0]).toMatchObject({ data: { amountFen: 1, currency: 'CNY' } });
  });

  it('an amount up to the configured maximum is accepted, one fen more is refused (amount-too-large)', () => {
    const events = given([groupRegistered(ORG_ID)])
      .when(grantFunding({ amountFen: 10_000_000_000 }))
      .events();
    expect(events[0]).toMatchObject({ data: { amountFen: 10_000_000_000 } });
    given([groupRegistered(ORG_ID)])
      .when(grantFunding({ amountFen: 10_000_000_001 }))
      .thenThrows({ kind: 'rule', rule: 'amount-too-large', field: 'amountFen' });
  });

  it('the maximum grant is configurable', () => {
    spec(organizationDecider(policy({ maxGrantFen: 100_000 })))
      .given([groupRegistered(ORG_ID)])
      .when(grantFunding({ amountFen: 100_001 }))
      .thenThrows({ kind: 'rule', rule: 'amount-too-large', field: 'amountFen' });
  });

  it.each(['elderly', 'disability', 'orphans', 'hardship'])(
    'a welfare-lottery grant serving %s is accepted and records its purpose',
    (purpose) => {
      given([groupRegistered(ORG_ID)])
        .when(
          grantFunding({
            channel: 'welfare-lottery',
            purpose,
            grantId: 'grant-wl',
            funder: FUNDERS.xuhui,
          }),
        )
        .then([
          {
            type: 'FundingGranted',
            data: {
              organizationId: ORG_ID,
              grantId: 'grant-wl',
              channel: 'welfare-lottery',
              amountFen: 1_250_000,
              currency: 'CNY',
              grantedOn: '2024-06-03',
              funder: { name: '徐汇区民政局', level: 'district', code: '310104' },
              programme: '2024年社区自治项目',
              purpose,
            },
          },
        ]);
    },
  );

  it.each([['education'], ['culture'], [undefined]])(
    'a welfare-lottery grant with purpose %p is refused (welfare-lottery-purpose)',
    (purpose) => {
      given([groupRegistered(ORG_ID)])
        .when(grantFunding({ channel: 'welfare-lottery', purpose, funder: FUNDERS.xuhui }))
        .thenThrows({ kind: 'rule', rule: 'welfare-lottery-purpose', field: 'purpose' });
    },
  );

  it("a welfare-lottery grant for other-welfare with a description is accepted (the policy's 等)", () => {
    given([groupRegistered(ORG_ID)])
      .when(
        grantFunding({
          channel: 'welfare-lottery',
          funder: FUNDERS.city,
          purpose: 'other-welfare',
          purposeDescription: '助医：困难家庭就医陪护',
        }),
      )
      .then([
        {
          type: 'FundingGranted',
          data: {
            organizationId: ORG_ID,
            grantId: 'grant-1',
            channel: 'welfare-lottery',
            amountFen: 1_250_000,
            currency: 'CNY',
            grantedOn: '2024-06-03',
            funder: { name: '上海市民政局', level: 'city', code: '310000' },
            programme: '2024年社区自治项目',
            purpose: 'other-welfare',
            purposeDescription: '助医：困难家庭就医陪护',
          },
        },
      ]);
  });

  it.each([
    ['without a description', undefined],
    ['with a blank description', '   '],
  ])(
    'a grant for other-welfare %s is refused (purpose-description-required)',
    (_w, purposeDescription) => {
      given([groupRegistered(ORG_ID)])
        .when(
          grantFunding({
            channel: 'welfare-lottery',
            funder: FUNDERS.xuhui,
            purpose: 'other-welfare',
            ...(purposeDescription !== undefined && { purposeDescription }),
          }),
        )
        .thenThrows({
          kind: 'rule',
          rule: 'purpose-description-required',
          field: 'purposeDescription',
        });
    },
  );

  it.each([
    ['a welfare-lottery grant for elderly', 'welfare-lottery' as const, 'elderly'],
    ['a subsidy without a purpose', 'subsidy' as const, undefined],
    ['a subsidy for education', 'subsidy' as const, 'education'],
  ])(
    'a purpose description on %s is refused (purpose-description-not-applicable)',
    (_w, channel, purpose) => {
      given([groupRegistered(ORG_ID)])
        .when(
          grantFunding({
            channel,
            funder: FUNDERS.xuhui,
            ...(purpose !== undefined && { purpose }),
            purposeDescription: '助医',
          }),
        )
        .thenThrows({
          kind: 'rule',
          rule: 'purpose-description-not-applicable',
          field: 'purposeDescription',
        });
    },
  );

  it.each<[string, Funder]>([
    ['the street', FUNDERS.tianping],
    ['a committee', FUNDERS.shanghaiXincun],
    ['a foundation', FUNDERS.foundation],
  ])(
    'a welfare-lottery grant from %s is refused: district or city only (welfare-lottery-funder)',
    (_w, funder) => {
      given([groupRegistered(ORG_ID)])
        .when(grantFunding({ channel: 'welfare-lottery', purpose: 'elderly', funder }))
        .thenThrows({ kind: 'rule', rule: 'welfare-lottery-funder', field: 'funder.level' });
    },
  );

  it.each<FundingChannel>([
    'venture-philanthropy',
    'subsidy',
    'transfer-payment',
    'self-governance-fund',
    'community-foundation',
    'other',
  ])('a %s grant to an activity group needs no particular purpose', (channel) => {
    const events = given([groupRegistered(ORG_ID)])
      .when(grantFunding({ channel, purpose: 'education' }))
      .events();
    expect(events[0]).toMatchObject({ data: { channel, purpose: 'education' } });
  });

  it.each<[string, OrganizationEvent[]]>([
    ['an activity group', [groupRegistered(ORG_ID)]],
    ['a team', teamRegistered(ORG_ID)],
  ])(
    'government purchase of services from %s is refused (government-purchase-requires-registered)',
    (_w, history) => {
      given(history)
        .when(grantFunding({ channel: 'government-purchase' }))
        .thenThrows({ kind: 'rule', rule: 'government-purchase-requires-registered' });
    },
  );

  it('government purchase of services from a registered organization is accepted', () => {
    const events = given([socialGroupRegistered(ORG_ID)])
      .when(grantFunding({ channel: 'government-purchase' }))
      .events();
    expect(events[0]).toMatchObject({
      type: 'FundingGranted',
      data: { channel: 'government-purchase' },
    });
  });

  it('government purchase from a team is accepted when the rule is configured off (ours)', () => {
    const events = spec(
      organizationDecider(policy({ governmentPurchaseRequiresRegistered: false })),
    )
      .given(teamRegistered(ORG_ID))
      .when(grantFunding({ channel: 'government-purchase' }))
      .events();
    expect(events[0]).toMatchObject({ data: { channel: 'government-purchase' } });
  });

  it('a grant dated today is accepted, one dated tomorrow is refused (date-in-future)', () => {
    const events = given([groupRegistered(ORG_ID)])
      .when(grantFunding({ grantedOn: TODAY }))
      .events();
    expect(events[0]).toMatchObject({ data: { grantedOn: TODAY } });
    given([groupRegistered(ORG_ID)])
      .when(grantFunding({ grantedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'grantedOn' });
  });

  it('a grant dated on no calendar day is refused (date-invalid)', () => {
    given([groupRegistered(ORG_ID)])
      .when(grantFunding({ grantedOn: '2023-02-29' }))
      .thenThrows({ kind: 'rule', rule: 'date-invalid', field: 'grantedOn' });
  });

  it('the organization must be active: a dissolved one receives nothing (organization-dissolved)', () => {
    given([groupRegistered(ORG_ID), dissolved(ORG_ID)])
      .when(grantFunding())
      .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
  });

  it('grants add up in the state (integer fen)', () => {
    const first = given([groupRegistered(ORG_ID)])
      .when(grantFunding({ amountFen: 1 }))
      .events();
    const state = given([groupRegistered(ORG_ID), ...first])
      .when(grantFunding({ grantId: 'grant-2', amountFen: 2 }))
      .stateAfter() as Organization;
    expect(state.fundingTotalFen).toBe(3);
    expect(state.grantCount).toBe(2);
  });
});

describe("grant funding: the funder's place fits the recording user", () => {
  it.each<[string, Actor, Funder]>([
    ['a street names itself', ACTORS.tianpingStreet, FUNDERS.tianping],
    ['a street names its district bureau', ACTORS.tianpingStreet, FUNDERS.xuhui],
    ['a street names the city bureau', ACTORS.tianpingStreet, FUNDERS.city],
    ['a district names itself', ACTORS.xuhuiDistrict, FUNDERS.xuhui],
    ['a district names the city bureau', ACTORS.xuhuiDistrict, FUNDERS.city],
    ['the city names itself', ACTORS.city, FUNDERS.city],
    ['a street names a committee of its street', ACTORS.tianpingStreet, FUNDERS.shanghaiXincun],
    ['a district names a committee of its district', ACTORS.xuhuiDistrict, FUNDERS.shanghaiXincun],
    ['the city names any committee', ACTORS.city, FUNDERS.shanghaiXincun],
    ['a street names a foundation by its USCC', ACTORS.tianpingStreet, FUNDERS.foundation],
    [
      'a district names a national foundation (not tied to a place)',
      ACTORS.xuhuiDistrict,
      { name: '中国某公益基金会', level: 'foundation', code: USCC.foundationNational },
    ],
  ])('%s as funder: accepted', (_w, actor, funder) => {
    const events = given([groupRegistered(ORG_ID)])
      .when(grantFunding({ actor, funder }))
      .events();
    expect(events[0]).toMatchObject({ type: 'FundingGranted', data: { funder } });
  });

  it.each<[string, Actor, Funder]>([
    [
      "a street names another district's bureau",
      ACTORS.tianpingStreet,
      { name: '浦东新区民政局', level: 'district', code: PLACES.pudong },
    ],
    [
      'a street names another street of its district',
      ACTORS.tianpingStreet,
      { name: '湖南路街道办事处', level: 'street', code: PLACES.hunan },
    ],
    [
      'a street names a street of another district',
      ACTORS.tianpingStreet,
      { name: '潍坊新村街道办事处', level: 'street', code: PLACES.weifang },
    ],
    ['a district names one of its streets (below it)', ACTORS.xuhuiDistrict, FUNDERS.tianping],
    [
      'a district names another district',
      ACTORS.xuhuiDistrict,
      { name: '浦东新区民政局', level: 'district', code: PLACES.pudong },
    ],
    ['the city names a district', ACTORS.city, FUNDERS.xuhui],
    ['the city names a street', ACTORS.city, FUNDERS.tianping],
    [
      'a street names a committee of another street',
      ACTORS.tianpingStreet,
      { name: '淮中居委会', level: 'committee', code: PLACES.huaizhong },
    ],
    [
      'a district names a committee of another district',
      ACTORS.xuhuiDistrict,
      { name: '潍坊一村居委会', level: 'committee', code: PLACES.weifangYicun },
    ],
    [
      'a district names a placeholder community',
      ACTORS.xuhuiDistrict,
      { name: '漕河泾新兴技术开发区虚拟社区', level: 'committee', code: PLACES.caohejingCommunity },
    ],
  ])('%s as funder: refused (funder-place)', (_w, actor, funder) => {
    const error = given([groupRegistered(ORG_ID)])
      .when(grantFunding({ actor, funder }))
      .thenThrows({ kind: 'rule', rule: 'funder-place', field: 'funder.code' });
    expect(error.message).toContain(funder.code);
  });

  it.each<[string, Funder]>([
    [
      'a city funder with a district code',
      { name: '上海市民政局', level: 'city', code: PLACES.xuhui },
    ],
    [
      'a district funder with a street code',
      { name: '徐汇区民政局', level: 'district', code: PLACES.tianping },
    ],
    [
      'a district funder with the city code',
      { name: '徐汇区民政局', level: 'district', code: PLACES.city },
    ],
    [
      'a district funder with no district code (310199)',
      { name: '某区民政局', level: 'district', code: '310199' },
    ],
    [
      'a street funder with a district code',
      { name: '天平路街道办事处', level: 'street', code: PLACES.xuhui },
    ],
    [
      'a street funder with an unknown street code',
      { name: '某街道办事处', level: 'street', code: '310104999' },
    ],
    [
      'a street funder with a community code',
      { name: '上海新村居委会', level: 'street', code: PLACES.shanghaiXincun },
    ],
    [
      'a committee funder with a street code',
      { name: '天平路街道办事处', level: 'committee', code: PLACES.tianping },
    ],
    [
      'a city funder with a USCC',
      { name: '上海市民政局', level: 'city', code: USCC.foundationCity },
    ],
  ])('%s is refused (funder-level)', (_w, funder) => {
    given([groupRegistered(ORG_ID)])
      .when(grantFunding({ funder }))
      .thenThrows({ kind: 'rule', rule: 'funder-level', field: 'funder.code' });
  });

  it.each<[string, string]>([
    ['a division code', PLACES.tianping],
    ["a social group's USCC (51)", USCC.socialGroupXuhui],
    ["a service institution's USCC (52)", USCC.serviceInstitutionXuhui],
    ['a USCC with a wrong check character', BAD_USCC.wrongCheckCharacter],
    ['a USCC not issued by civil affairs', BAD_USCC.notCivilAffairs],
  ])('a foundation funder named by %s is refused (funder-uscc)', (_w, code) => {
    given([groupRegistered(ORG_ID)])
      .when(grantFunding({ funder: { name: '某基金会', level: 'foundation', code } }))
      .thenThrows({ kind: 'rule', rule: 'funder-uscc', field: 'funder.code' });
  });
});
