/**
 * DOMAIN.md §4: filing a team (备案), amending and cancelling a filing, promotion (classifications,
 * not a ladder: group → registered directly), demotion, the date a tier began and the scope.
 */
import { organizationDecider } from '../../src/organizations/domain/organization.decider.js';
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import type { Organization } from '../../src/organizations/domain/organization.state.js';
import type { Actor, Tier } from '../../src/organizations/domain/organization.types.js';
import { spec } from '../support/decider-spec.js';
import {
  ACTORS,
  BAD_USCC,
  ORG_ID,
  PLACES,
  TODAY,
  TOMORROW,
  USCC,
  cancelFiling,
  decider,
  demote,
  fileTeam,
  policy,
  promoteToRegistered,
  promoteToTeam,
} from '../support/fixtures.js';
import {
  dissolved,
  foundationRegistered,
  groupRegistered,
  socialGroupRegistered,
  teamRegistered,
} from '../support/events.js';

const given = spec(decider).given;

/** A team that lost its registration: a team without a filing in force. */
const unfiledTeam: OrganizationEvent[] = [
  socialGroupRegistered(ORG_ID, { communityCode: PLACES.shanghaiXincun }),
  {
    type: 'TierDemoted',
    data: {
      organizationId: ORG_ID,
      fromTier: 'registered',
      toTier: 'team',
      reason: '不再符合登记条件',
      demotedOn: '2023-01-01',
    },
  },
];

describe('file a team (备案): the street office of the team', () => {
  it('filing a team without a filing in force records the filing (OrganizationFiled)', () => {
    given(unfiledTeam)
      .when(fileTeam())
      .then([
        {
          type: 'OrganizationFiled',
          data: { organizationId: ORG_ID, filingNumber: 'XH-TP-2024-009', filedOn: '2024-06-01' },
        },
      ]);
  });

  it('filing an already-filed team again amends the filing (FilingAmended)', () => {
    given(teamRegistered(ORG_ID))
      .when(fileTeam())
      .then([
        {
          type: 'FilingAmended',
          data: {
            organizationId: ORG_ID,
            filingNumber: 'XH-TP-2024-009',
            filedOn: '2024-06-01',
            previousFilingNumber: 'XH-TP-2022-003',
          },
        },
      ]);
  });

  it('a new filing date under the same number is an amendment too', () => {
    given(teamRegistered(ORG_ID))
      .when(fileTeam({ filingNumber: 'XH-TP-2022-003', filedOn: '2024-06-01' }))
      .then([
        {
          type: 'FilingAmended',
          data: {
            organizationId: ORG_ID,
            filingNumber: 'XH-TP-2022-003',
            filedOn: '2024-06-01',
            previousFilingNumber: 'XH-TP-2022-003',
          },
        },
      ]);
  });

  it('filing again with the same number and date changes nothing (idempotent)', () => {
    given(teamRegistered(ORG_ID))
      .when(fileTeam({ filingNumber: 'XH-TP-2022-003', filedOn: '2022-04-01' }))
      .thenNothing();
  });

  it('the amended filing is the one in force', () => {
    const state = given(teamRegistered(ORG_ID)).when(fileTeam()).stateAfter();
    expect(state?.filing).toEqual({ number: 'XH-TP-2024-009', filedOn: '2024-06-01' });
  });

  it.each<[string, OrganizationEvent[]]>([
    ['an activity group', [groupRegistered(ORG_ID)]],
    ['a registered organization', [socialGroupRegistered(ORG_ID)]],
  ])('only a team is filed: filing %s is refused (filing-requires-team)', (_w, history) => {
    given(history).when(fileTeam()).thenThrows({ kind: 'rule', rule: 'filing-requires-team' });
  });

  it.each<[string, Actor]>([
    ['another street of the same district', ACTORS.hunanStreet],
    ["the team's committee", ACTORS.shanghaiXincunCommittee],
    ["the team's district bureau", ACTORS.xuhuiDistrict],
    ['the city bureau', ACTORS.city],
    ['the auditor', ACTORS.auditor],
  ])('a filing by %s is forbidden (filing-authority)', (_w, actor) => {
    given(teamRegistered(ORG_ID))
      .when(fileTeam({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'filing-authority' });
  });

  it('a filing dated in the future is refused (date-in-future)', () => {
    given(teamRegistered(ORG_ID))
      .when(fileTeam({ filedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'filedOn' });
  });

  it('a filing dated on no calendar day is refused (date-invalid)', () => {
    given(teamRegistered(ORG_ID))
      .when(fileTeam({ filedOn: '2024-02-30' }))
      .thenThrows({ kind: 'rule', rule: 'date-invalid', field: 'filedOn' });
  });

  // FINDING: registration and promotion refuse a team without a filing number
  // (filing-number-required), but FileTeam records or amends a filing to an empty number.
  it('a filing records a filing number: an empty one is refused (filing-number-required)', () => {
    given(teamRegistered(ORG_ID))
      .when(fileTeam({ filingNumber: '' }))
      .thenThrows({ kind: 'rule', rule: 'filing-number-required', field: 'filingNumber' });
  });
});

describe('cancel a filing: FilingCancelled demotes the team to a group unless it is dissolved', () => {
  it('cancelling a filed team emits FilingCancelled then TierDemoted team → group', () => {
    given(teamRegistered(ORG_ID))
      .when(cancelFiling())
      .then([
        {
          type: 'FilingCancelled',
          data: {
            organizationId: ORG_ID,
            filingNumber: 'XH-TP-2022-003',
            reason: '年度清理：连续一年无活动',
            cancelledOn: '2024-06-10',
          },
        },
        {
          type: 'TierDemoted',
          data: {
            organizationId: ORG_ID,
            fromTier: 'team',
            toTier: 'group',
            reason: '年度清理：连续一年无活动',
            demotedOn: '2024-06-10',
          },
        },
      ]);
  });

  it('after cancellation the organization is a group without a filing', () => {
    const state = given(teamRegistered(ORG_ID)).when(cancelFiling()).stateAfter();
    expect(state?.tier).toBe('group');
    expect(state?.filing).toBeUndefined();
    expect(state?.status).toBe('active');
  });

  it('cancelling an amended filing cancels the number in force', () => {
    const amended: OrganizationEvent = {
      type: 'FilingAmended',
      data: {
        organizationId: ORG_ID,
        filingNumber: 'XH-TP-2023-077',
        filedOn: '2023-03-03',
        previousFilingNumber: 'XH-TP-2022-003',
      },
    };
    const events = given([...teamRegistered(ORG_ID), amended])
      .when(cancelFiling())
      .events();
    expect(events[0]).toEqual({
      type: 'FilingCancelled',
      data: {
        organizationId: ORG_ID,
        filingNumber: 'XH-TP-2023-077',
        reason: '年度清理：连续一年无活动',
        cancelledOn: '2024-06-10',
      },
    });
  });

  it('on a dissolved team only FilingCancelled is emitted (no demotion)', () => {
    given([...teamRegistered(ORG_ID), dissolved(ORG_ID)])
      .when(cancelFiling())
      .then([
        {
          type: 'FilingCancelled',
          data: {
            organizationId: ORG_ID,
            filingNumber: 'XH-TP-2022-003',
            reason: '年度清理：连续一年无活动',
            cancelledOn: '2024-06-10',
          },
        },
      ]);
  });

  it('a dissolved team whose filing is already cancelled takes no more commands', () => {
    const cancelled: OrganizationEvent = {
      type: 'FilingCancelled',
      data: {
        organizationId: ORG_ID,
        filingNumber: 'XH-TP-2022-003',
        reason: '注销',
        cancelledOn: '2024-02-01',
      },
    };
    given([...teamRegistered(ORG_ID), dissolved(ORG_ID), cancelled])
      .when(cancelFiling())
      .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
  });

  it.each<[string, OrganizationEvent[]]>([
    ['an activity group', [groupRegistered(ORG_ID)]],
    ['a team without a filing', unfiledTeam],
    ['a registered organization', [socialGroupRegistered(ORG_ID)]],
  ])('cancelling the filing of %s is refused (filing-not-in-force)', (_w, history) => {
    given(history).when(cancelFiling()).thenThrows({ kind: 'rule', rule: 'filing-not-in-force' });
  });

  it.each<[string, Actor]>([
    ['another street', ACTORS.hunanStreet],
    ["the team's committee", ACTORS.shanghaiXincunCommittee],
    ["the team's district bureau", ACTORS.xuhuiDistrict],
    ['the auditor', ACTORS.auditor],
  ])('a cancellation by %s is forbidden (filing-authority)', (_w, actor) => {
    given(teamRegistered(ORG_ID))
      .when(cancelFiling({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'filing-authority' });
  });

  it('a cancellation dated in the future is refused (date-in-future)', () => {
    given(teamRegistered(ORG_ID))
      .when(cancelFiling({ cancelledOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'cancelledOn' });
  });
});

describe('promote group → team: the street office, with a filing (OrganizationFiled + TierPromoted)', () => {
  it('the street promotes a group of its street: OrganizationFiled then TierPromoted', () => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToTeam())
      .then([
        {
          type: 'OrganizationFiled',
          data: { organizationId: ORG_ID, filingNumber: 'XH-TP-2024-010', filedOn: '2024-06-05' },
        },
        {
          type: 'TierPromoted',
          data: {
            organizationId: ORG_ID,
            fromTier: 'group',
            toTier: 'team',
            promotedOn: '2024-06-05',
          },
        },
      ]);
  });

  it('without filedOn the group is filed and promoted today', () => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToTeam({ filedOn: undefined }))
      .then([
        {
          type: 'OrganizationFiled',
          data: { organizationId: ORG_ID, filingNumber: 'XH-TP-2024-010', filedOn: TODAY },
        },
        {
          type: 'TierPromoted',
          data: { organizationId: ORG_ID, fromTier: 'group', toTier: 'team', promotedOn: TODAY },
        },
      ]);
  });

  it('the promoted team holds its filing', () => {
    const state = given([groupRegistered(ORG_ID)])
      .when(promoteToTeam())
      .stateAfter();
    expect(state?.tier).toBe('team');
    expect(state?.filing).toEqual({ number: 'XH-TP-2024-010', filedOn: '2024-06-05' });
  });

  it.each<[string, Actor]>([
    ['another street', ACTORS.hunanStreet],
    ["the group's committee", ACTORS.shanghaiXincunCommittee],
    ["the group's district bureau", ACTORS.xuhuiDistrict],
    ['the city bureau', ACTORS.city],
    ['the auditor', ACTORS.auditor],
  ])('a promotion to team by %s is forbidden (promotion-authority)', (_w, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToTeam({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'promotion-authority' });
  });

  it('a promotion to team needs the filing number (filing-number-required)', () => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToTeam({ filingNumber: undefined }))
      .thenThrows({ kind: 'rule', rule: 'filing-number-required', field: 'filingNumber' });
  });

  it('a promotion filed in the future is refused (date-in-future)', () => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToTeam({ filedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'filedOn' });
  });

  const specialGroup = groupRegistered(ORG_ID, {
    streetCode: PLACES.caohejing,
    communityCode: PLACES.caohejingCommunity,
  });

  it('a group of a special unit becomes a team when teamsInSpecialUnits is on', () => {
    const events = given([specialGroup])
      .when(promoteToTeam({ actor: ACTORS.caohejingOffice }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['OrganizationFiled', 'TierPromoted']);
  });

  it('a group of a special unit stays a group when teamsInSpecialUnits is off (team-in-special-unit)', () => {
    spec(organizationDecider(policy({ teamsInSpecialUnits: false })))
      .given([specialGroup])
      .when(promoteToTeam({ actor: ACTORS.caohejingOffice }))
      .thenThrows({ kind: 'rule', rule: 'team-in-special-unit' });
  });
});

describe('promote team → registered: the district bureau (city for a foundation), with a valid USCC', () => {
  it('the district bureau promotes a team of its district (TierPromoted with legal form and USCC)', () => {
    given(teamRegistered(ORG_ID))
      .when(promoteToRegistered())
      .then([
        {
          type: 'TierPromoted',
          data: {
            organizationId: ORG_ID,
            fromTier: 'team',
            toTier: 'registered',
            promotedOn: '2024-06-12',
            legalForm: 'social-service-institution',
            uscc: '52310104MJ0000122D',
          },
        },
      ]);
  });

  it('without registeredOn the team is promoted today', () => {
    const events = given(teamRegistered(ORG_ID))
      .when(promoteToRegistered({ registeredOn: undefined }))
      .events();
    expect(events).toEqual([
      {
        type: 'TierPromoted',
        data: {
          organizationId: ORG_ID,
          fromTier: 'team',
          toTier: 'registered',
          promotedOn: TODAY,
          legalForm: 'social-service-institution',
          uscc: '52310104MJ0000122D',
        },
      },
    ]);
  });

  it('the registered organization holds its USCC and legal form and no longer the filing', () => {
    const state = given(teamRegistered(ORG_ID)).when(promoteToRegistered()).stateAfter();
    expect(state).toMatchObject({
      tier: 'registered',
      legalForm: 'social-service-institution',
      uscc: USCC.serviceInstitutionXuhui,
    });
    expect(state?.filing).toBeUndefined();
  });

  it('the city bureau promotes a charity team to a community foundation', () => {
    given(teamRegistered(ORG_ID, { category: 'charity' }))
      .when(
        promoteToRegistered({
          actor: ACTORS.city,
          legalForm: 'community-foundation',
          uscc: USCC.foundationCity,
        }),
      )
      .then([
        {
          type: 'TierPromoted',
          data: {
            organizationId: ORG_ID,
            fromTier: 'team',
            toTier: 'registered',
            promotedOn: '2024-06-12',
            legalForm: 'community-foundation',
            uscc: '53310000MJ0000034W',
          },
        },
      ]);
  });

  it.each([
    ['a team that is not a charity', {}, USCC.foundationCity, 'foundation-category'],
    [
      'a team with a supervisory unit (直接登记: none)',
      { category: 'charity' as const, supervisoryUnit: '天平路街道办事处' },
      USCC.foundationCity,
      'foundation-supervisory-unit',
    ],
    [
      'a USCC of region 310104 (a foundation is registered by the city: 310000)',
      { category: 'charity' as const },
      USCC.foundationXuhui,
      'uscc-region',
    ],
    [
      'a national USCC (100000)',
      { category: 'charity' as const },
      USCC.foundationNational,
      'uscc-region',
    ],
  ])('promoting %s to a community foundation is refused (%s)', (_w, team, uscc, rule) => {
    given(teamRegistered(ORG_ID, team))
      .when(promoteToRegistered({ actor: ACTORS.city, legalForm: 'community-foundation', uscc }))
      .thenThrows({ kind: 'rule', rule });
  });

  it('a district bureau may not promote a team to a community foundation (foundation-city-only)', () => {
    given(teamRegistered(ORG_ID))
      .when(promoteToRegistered({ legalForm: 'community-foundation', uscc: USCC.foundationXuhui }))
      .thenThrows({ kind: 'forbidden', rule: 'foundation-city-only' });
  });

  it.each<[string, Actor]>([
    ['another district bureau', ACTORS.pudongDistrict],
    ["the team's street office", ACTORS.tianpingStreet],
    ["the team's committee", ACTORS.shanghaiXincunCommittee],
    ['the city bureau (not a foundation)', ACTORS.city],
    ['the auditor', ACTORS.auditor],
  ])('a promotion to registered by %s is forbidden (promotion-authority)', (_w, actor) => {
    given(teamRegistered(ORG_ID))
      .when(promoteToRegistered({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'promotion-authority' });
  });

  it.each([
    ['no USCC', { uscc: undefined }, 'uscc-required'],
    ['no legal form', { legalForm: undefined }, 'legal-form-required'],
    ['a wrong check character', { uscc: '52310104MJ0000122E' }, 'uscc-invalid'],
    [
      'a wrong organization-code check',
      { uscc: BAD_USCC.wrongOrganizationCodeCheck, legalForm: 'social-group' as const },
      'uscc-invalid',
    ],
    [
      'a USCC not issued by civil affairs',
      { uscc: BAD_USCC.notCivilAffairs },
      'uscc-not-civil-affairs',
    ],
    [
      'a type digit of another legal form',
      { uscc: USCC.socialGroupXuhui },
      'uscc-legal-form-mismatch',
    ],
    [
      'an unknown region',
      { uscc: BAD_USCC.beijingRegion, legalForm: 'social-group' as const },
      'uscc-region',
    ],
  ])('a promotion to registered with %s is refused (%s)', (_w, overrides, rule) => {
    given(teamRegistered(ORG_ID))
      .when(promoteToRegistered(overrides))
      .thenThrows({ kind: 'rule', rule });
  });

  it.each([
    [
      'a national region (100000)',
      { uscc: USCC.socialGroupNational, legalForm: 'social-group' as const },
    ],
    [
      "another district's region (静安区 310106)",
      { uscc: USCC.socialGroupJingan, legalForm: 'social-group' as const },
    ],
    [
      'a retired code of another district (卢湾区 310103, merged into 黄浦区)',
      { uscc: USCC.retiredLuwan, legalForm: 'social-group' as const },
    ],
  ])("a 徐汇区 team's promotion with a USCC of %s is refused (uscc-region)", (_w, overrides) => {
    given(teamRegistered(ORG_ID))
      .when(promoteToRegistered(overrides))
      .thenThrows({ kind: 'rule', rule: 'uscc-region', field: 'uscc' });
  });

  it('a USCC under a retired code of its district is accepted on promotion', () => {
    const huangpuTeam = {
      districtCode: PLACES.huangpu,
      streetCode: PLACES.nanjingEast,
      communityCode: '310101002001',
    };
    const events = given(teamRegistered(ORG_ID, huangpuTeam))
      .when(
        promoteToRegistered({
          actor: ACTORS.huangpuDistrict,
          uscc: USCC.retiredLuwan,
          legalForm: 'social-group',
        }),
      )
      .events();
    expect(events).toEqual([
      {
        type: 'TierPromoted',
        data: {
          organizationId: ORG_ID,
          fromTier: 'team',
          toTier: 'registered',
          promotedOn: '2024-06-12',
          legalForm: 'social-group',
          uscc: '51310103MJ00002378',
        },
      },
    ]);
  });

  it('a registration date in the future is refused (date-in-future)', () => {
    given(teamRegistered(ORG_ID))
      .when(promoteToRegistered({ registeredOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'registeredOn' });
  });
});

describe('promote group → registered: tiers are classifications, not a ladder (DOMAIN §4)', () => {
  it('the district bureau registers a group that meets the legal conditions directly: one TierPromoted, no filing', () => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToRegistered())
      .then([
        {
          type: 'TierPromoted',
          data: {
            organizationId: ORG_ID,
            fromTier: 'group',
            toTier: 'registered',
            promotedOn: '2024-06-12',
            legalForm: 'social-service-institution',
            uscc: USCC.serviceInstitutionXuhui,
          },
        },
      ]);
  });

  it("the registered organization keeps its base community and scope; its dates are the promotion's", () => {
    const state = given([groupRegistered(ORG_ID)])
      .when(promoteToRegistered())
      .stateAfter();
    expect(state).toMatchObject({
      tier: 'registered',
      communityCode: PLACES.shanghaiXincun,
      activityScope: 'community',
      registeredOn: '2024-06-12',
      tierSince: '2024-06-12',
      uscc: USCC.serviceInstitutionXuhui,
    });
    expect(state?.recordedOn).toBeUndefined();
    expect(state?.filing).toBeUndefined();
  });

  it('the city bureau registers a group directly as a community foundation', () => {
    const events = given([groupRegistered(ORG_ID, { category: 'charity' })])
      .when(
        promoteToRegistered({
          actor: ACTORS.city,
          legalForm: 'community-foundation',
          uscc: USCC.foundationCity,
        }),
      )
      .events();
    expect(events.map((e) => e.type)).toEqual(['TierPromoted']);
  });

  it.each<[string, Actor]>([
    ["the group's committee", ACTORS.shanghaiXincunCommittee],
    ["the group's street office", ACTORS.tianpingStreet],
    ['another district bureau', ACTORS.pudongDistrict],
  ])('a group registered directly by %s is forbidden (promotion-authority)', (_w, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToRegistered({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'promotion-authority' });
  });

  it('a group is registered only with a valid USCC (uscc-invalid)', () => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToRegistered({ uscc: '52310104MJ0000122E' }))
      .thenThrows({ kind: 'rule', rule: 'uscc-invalid' });
  });
});

describe('promotion: business dates never before the founding (date-before-founding)', () => {
  it('a registration date before the founding is refused', () => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToRegistered({ registeredOn: '2020-02-01' }))
      .thenThrows({ kind: 'rule', rule: 'date-before-founding', field: 'registeredOn' });
  });

  it('a filing date before the founding is refused', () => {
    given([groupRegistered(ORG_ID)])
      .when(promoteToTeam({ filedOn: '2020-02-01' }))
      .thenThrows({ kind: 'rule', rule: 'date-before-founding', field: 'filedOn' });
  });
});

describe('tiers: the date the current tier began (tierSince) and the activity scope', () => {
  it("a team's tier begins with the filing recorded with its registration", () => {
    const state = given(teamRegistered(ORG_ID, { filedOn: '2022-05-06' })).state;
    expect(state).toMatchObject({ tier: 'team', tierSince: '2022-05-06', activityScope: 'street' });
  });

  it('a group promoted to a team keeps its community scope; its tier begins with the filing', () => {
    const state = given([groupRegistered(ORG_ID)])
      .when(promoteToTeam())
      .stateAfter();
    expect(state).toMatchObject({
      tier: 'team',
      tierSince: '2024-06-05',
      activityScope: 'community',
    });
  });

  it('a team demoted to a group is active in its community; its tier begins with the demotion', () => {
    const state = given(teamRegistered(ORG_ID, { activityScope: 'street' }))
      .when(demote())
      .stateAfter();
    expect(state).toMatchObject({ tier: 'group', tierSince: TODAY, activityScope: 'community' });
  });

  it('a registered organization demoted to a team keeps its scope and loses its registration date', () => {
    const state = given([socialGroupRegistered(ORG_ID, { communityCode: PLACES.shanghaiXincun })])
      .when(demote({ actor: ACTORS.xuhuiDistrict, toTier: 'team' }))
      .stateAfter();
    expect(state).toMatchObject({ tier: 'team', tierSince: TODAY, activityScope: 'district' });
    expect(state?.registeredOn).toBeUndefined();
  });

  it('a later filing of a demoted team does not move the date its tier began', () => {
    const state = given(unfiledTeam).when(fileTeam()).stateAfter();
    expect(state).toMatchObject({ tierSince: '2023-01-01', filing: { filedOn: '2024-06-01' } });
  });
});

describe('promotion: only upwards, never from dissolved', () => {
  it.each<[string, OrganizationEvent[], Tier]>([
    ['a group to group', [groupRegistered(ORG_ID)], 'group'],
    ['a team to team', teamRegistered(ORG_ID), 'team'],
    ['a team to group', teamRegistered(ORG_ID), 'group'],
  ])('promoting %s is refused (promotion-one-step)', (_w, history, toTier) => {
    given(history)
      .when(promoteToTeam({ toTier }))
      .thenThrows({ kind: 'rule', rule: 'promotion-one-step', field: 'toTier' });
  });

  it('a registered organization has no higher tier (already-top-tier)', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(promoteToRegistered())
      .thenThrows({ kind: 'rule', rule: 'already-top-tier', field: 'toTier' });
  });

  it('a dissolved group is never promoted (organization-dissolved)', () => {
    given([groupRegistered(ORG_ID), dissolved(ORG_ID)])
      .when(promoteToTeam())
      .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
  });

  it('a dissolved team is never promoted (organization-dissolved)', () => {
    given([...teamRegistered(ORG_ID), dissolved(ORG_ID)])
      .when(promoteToRegistered())
      .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
  });
});

describe('demotion: its own event (TierDemoted) with a reason, one tier at a time', () => {
  it('the street demotes a team of its street to a group; its filing ends with it', () => {
    given(teamRegistered(ORG_ID))
      .when(demote())
      .then([
        {
          type: 'FilingCancelled',
          data: {
            organizationId: ORG_ID,
            filingNumber: 'XH-TP-2022-003',
            reason: '规模缩小，不再符合备案条件',
            cancelledOn: '2024-06-15',
          },
        },
        {
          type: 'TierDemoted',
          data: {
            organizationId: ORG_ID,
            fromTier: 'team',
            toTier: 'group',
            reason: '规模缩小，不再符合备案条件',
            demotedOn: TODAY,
          },
        },
      ]);
  });

  it('the district demotes a registered organization to a team, which keeps no USCC', () => {
    const command = demote({ actor: ACTORS.xuhuiDistrict, toTier: 'team', reason: '被撤销登记' });
    const history = [socialGroupRegistered(ORG_ID, { communityCode: PLACES.shanghaiXincun })];
    given(history)
      .when(command)
      .then([
        {
          type: 'TierDemoted',
          data: {
            organizationId: ORG_ID,
            fromTier: 'registered',
            toTier: 'team',
            reason: '被撤销登记',
            demotedOn: TODAY,
          },
        },
      ]);
    const state = given(history).when(command).stateAfter() as Organization;
    expect(state.tier).toBe('team');
    expect(state.uscc).toBeUndefined();
    expect(state.legalForm).toBeUndefined();
  });

  it('the city demotes a community foundation', () => {
    const events = given([foundationRegistered(ORG_ID, { communityCode: PLACES.shanghaiXincun })])
      .when(demote({ actor: ACTORS.city, toTier: 'team' }))
      .events();
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        'TierDemoted',
        {
          organizationId: ORG_ID,
          fromTier: 'registered',
          toTier: 'team',
          reason: '规模缩小，不再符合备案条件',
          demotedOn: TODAY,
        },
      ],
    ]);
  });

  it.each<[string, OrganizationEvent[], Actor, Tier]>([
    ['a group (no lower tier)', [groupRegistered(ORG_ID)], ACTORS.shanghaiXincunCommittee, 'group'],
    [
      'a registered organization two steps down',
      [socialGroupRegistered(ORG_ID)],
      ACTORS.xuhuiDistrict,
      'group',
    ],
    ['a team to team', teamRegistered(ORG_ID), ACTORS.tianpingStreet, 'team'],
  ])('demoting %s is refused (demotion-one-step)', (_w, history, actor, toTier) => {
    given(history)
      .when(demote({ actor, toTier }))
      .thenThrows({ kind: 'rule', rule: 'demotion-one-step', field: 'toTier' });
  });

  it('demoting "up" is refused (demotion-one-step)', () => {
    given(teamRegistered(ORG_ID))
      .when(demote({ toTier: 'registered' }))
      .thenThrows({ kind: 'rule', rule: 'demotion-one-step', field: 'toTier' });
  });

  it.each<[string, OrganizationEvent[], Actor]>([
    ['a team by its district bureau', teamRegistered(ORG_ID), ACTORS.xuhuiDistrict],
    ['a team by its committee', teamRegistered(ORG_ID), ACTORS.shanghaiXincunCommittee],
    ['a team by another street', teamRegistered(ORG_ID), ACTORS.hunanStreet],
    [
      'a registered organization by its street',
      [socialGroupRegistered(ORG_ID)],
      ACTORS.tianpingStreet,
    ],
    [
      'a registered organization by another district',
      [socialGroupRegistered(ORG_ID)],
      ACTORS.pudongDistrict,
    ],
    [
      'a community foundation by its district',
      [foundationRegistered(ORG_ID)],
      ACTORS.xuhuiDistrict,
    ],
    ['a team by the auditor', teamRegistered(ORG_ID), ACTORS.auditor],
  ])('demoting %s is forbidden (demotion-authority)', (_w, history, actor) => {
    const toTier: Tier = history.length === 1 ? 'team' : 'group';
    given(history)
      .when(demote({ actor, toTier }))
      .thenThrows({ kind: 'forbidden', rule: 'demotion-authority' });
  });

  it('a dissolved team is not demoted (organization-dissolved)', () => {
    given([...teamRegistered(ORG_ID), dissolved(ORG_ID)])
      .when(demote())
      .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
  });

  // FINDING: DOMAIN §2 "activity groups and teams also [belong] to one community". A registered
  // organization registered without a community becomes, once demoted, a team without a community
  // (and, demoted again, a group that no committee manages: every command is then forbidden).
  it('a registered organization without a community cannot be demoted to a team (teams belong to one community)', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(demote({ actor: ACTORS.xuhuiDistrict, toTier: 'team' }))
      .thenThrows({ kind: 'rule' });
  });

  // FINDING: with teamsInSpecialUnits off, registration and promotion refuse a team in a special
  // unit (team-in-special-unit), but demoting a registered organization of a special unit makes
  // exactly such a team.
  it('with teamsInSpecialUnits off, a registered organization of a special unit cannot be demoted to a team (team-in-special-unit)', () => {
    spec(organizationDecider(policy({ teamsInSpecialUnits: false })))
      .given([
        socialGroupRegistered(ORG_ID, {
          streetCode: PLACES.caohejing,
          communityCode: PLACES.caohejingCommunity,
        }),
      ])
      .when(demote({ actor: ACTORS.xuhuiDistrict, toTier: 'team' }))
      .thenThrows({ kind: 'rule', rule: 'team-in-special-unit' });
  });
});
