/**
 * DOMAIN.md §4: major activity reports (重大活动报告) graded by size, and funding grants.
 */
import { organizationDecider } from '../../src/organizations/domain/organization.decider.js';
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import type { Organization } from '../../src/organizations/domain/organization.state.js';
import type {
  Actor,
  ActivityLevel,
  FundingChannel,
} from '../../src/organizations/domain/organization.types.js';
import { spec } from '../support/decider-spec.js';
import {
  ACTORS,
  ORG_ID,
  PLACES,
  TODAY,
  TOMORROW,
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

  it.each<[string, Actor]>([
    ["the organization's district bureau", ACTORS.xuhuiDistrict],
    ['the city bureau', ACTORS.city],
  ])('%s may grant funding', (_w, actor) => {
    const events = given([groupRegistered(ORG_ID)])
      .when(grantFunding({ actor }))
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
        .when(grantFunding({ channel: 'welfare-lottery', purpose, grantId: 'grant-wl' }))
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
              funder: { name: '天平路街道办事处', level: 'street', code: '310104003' },
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
        .when(grantFunding({ channel: 'welfare-lottery', purpose }))
        .thenThrows({ kind: 'rule', rule: 'welfare-lottery-purpose', field: 'purpose' });
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
