/**
 * DOMAIN §4: support-platform roles (district bureau, registered organizations, the streets each
 * serves inside the district) and incubation (the street or district of a base holding the
 * incubation-base role; ended graduated or withdrawn).
 */
import type {
  AssignSupportRole,
  EndIncubation,
  EnterIncubation,
  IncubationBaseFacts,
  RevokeSupportRole,
} from '../../src/organizations/domain/organization.commands.js';
import { spec } from '../support/decider-spec.js';
import { ACTORS, ORG_ID, PLACES, TODAY, TOMORROW, decider } from '../support/fixtures.js';
import {
  demoted,
  dissolved,
  groupRegistered,
  socialGroupRegistered,
  teamRegistered,
} from '../support/events.js';
import { incubationEntered, roleAssigned, roleRevoked } from '../support/platform-events.js';

const given = spec(decider).given;
const BASE_ID = 'org-base';
const { tianping, hunan, weifang } = PLACES;

const assign = (o: Partial<AssignSupportRole> = {}): AssignSupportRole => ({
  type: 'AssignSupportRole',
  actor: ACTORS.xuhuiDistrict,
  today: TODAY,
  role: 'federation',
  streets: [hunan, tianping],
  ...o,
});
const revoke = (o: Partial<RevokeSupportRole> = {}): RevokeSupportRole => ({
  type: 'RevokeSupportRole',
  actor: ACTORS.xuhuiDistrict,
  today: TODAY,
  role: 'federation',
  ...o,
});
const BASE: IncubationBaseFacts = {
  status: 'active',
  districtCode: PLACES.xuhui,
  streetCode: tianping,
  holdsIncubationRole: true,
};
const enter = (o: Partial<EnterIncubation> = {}): EnterIncubation => ({
  type: 'EnterIncubation',
  actor: ACTORS.tianpingStreet,
  today: TODAY,
  incubationId: 'incubation-1',
  baseId: BASE_ID,
  enteredOn: '2024-04-01',
  base: BASE,
  ...o,
});
const end = (o: Partial<EndIncubation> = {}): EndIncubation => ({
  type: 'EndIncubation',
  actor: ACTORS.tianpingStreet,
  today: TODAY,
  incubationId: 'incubation-1',
  outcome: 'graduated',
  endedOn: '2024-06-01',
  ...o,
});

describe('assign a support-platform role: the district bureau, registered organizations', () => {
  it('records the role with its streets, in code order', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(assign())
      .then([
        {
          type: 'SupportRoleAssigned',
          data: {
            organizationId: ORG_ID,
            role: 'federation',
            streets: [tianping, hunan],
            assignedOn: TODAY,
          },
        },
      ]);
  });

  it('the same role with the same streets again changes nothing; other streets replace them', () => {
    const held = [
      socialGroupRegistered(ORG_ID),
      roleAssigned(ORG_ID, 'federation', [tianping, hunan]),
    ];
    given(held)
      .when(assign({ streets: [tianping, hunan, tianping] }))
      .thenNothing();
    const state = given(held)
      .when(assign({ streets: [hunan] }))
      .stateAfter();
    expect(state?.supportRoles).toEqual([{ role: 'federation', streets: [hunan] }]);
  });

  it('refuses another district, a street office, the city and a committee (403)', () => {
    for (const actor of [
      ACTORS.pudongDistrict,
      ACTORS.tianpingStreet,
      ACTORS.city,
      ACTORS.shanghaiXincunCommittee,
    ])
      given([socialGroupRegistered(ORG_ID)])
        .when(assign({ actor }))
        .thenThrows({ kind: 'forbidden', rule: 'support-role-authority' });
  });

  it('refuses a group or a team (registered organizations only)', () => {
    given([groupRegistered(ORG_ID)])
      .when(assign())
      .thenThrows({ kind: 'rule', rule: 'support-role-requires-registered' });
    given(teamRegistered(ORG_ID))
      .when(assign())
      .thenThrows({ kind: 'rule', rule: 'support-role-requires-registered' });
  });

  it('refuses no streets, an unknown street and a street of another district', () => {
    const org = [socialGroupRegistered(ORG_ID)];
    given(org)
      .when(assign({ streets: [] }))
      .thenThrows({ kind: 'rule', rule: 'streets-required', field: 'streets' });
    given(org)
      .when(assign({ streets: ['310104999'] }))
      .thenThrows({ kind: 'rule', rule: 'street-unknown', field: 'streets' });
    given(org)
      .when(assign({ streets: [tianping, weifang] }))
      .thenThrows({ kind: 'rule', rule: 'street-outside-district', field: 'streets' });
  });

  it('refuses a dissolved organization', () => {
    given([socialGroupRegistered(ORG_ID), dissolved(ORG_ID)])
      .when(assign())
      .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
  });

  it('a demotion below registered takes the roles away', () => {
    const state = given([
      socialGroupRegistered(ORG_ID),
      roleAssigned(ORG_ID, 'federation'),
      demoted(ORG_ID, 'registered', 'team', '2024-05-01'),
    ]).state;
    expect(state?.supportRoles).toBeUndefined();
  });
});

describe('revoke a support-platform role: the district bureau', () => {
  it('revokes a role held', () => {
    given([socialGroupRegistered(ORG_ID), roleAssigned(ORG_ID, 'federation')])
      .when(revoke())
      .then([
        {
          type: 'SupportRoleRevoked',
          data: { organizationId: ORG_ID, role: 'federation', revokedOn: TODAY },
        },
      ]);
  });

  it('a role not held (or already revoked) changes nothing', () => {
    given([socialGroupRegistered(ORG_ID)])
      .when(revoke())
      .thenNothing();
    given([
      socialGroupRegistered(ORG_ID),
      roleAssigned(ORG_ID, 'federation'),
      roleRevoked(ORG_ID, 'federation'),
    ])
      .when(revoke())
      .thenNothing();
  });

  it('refuses anyone but the district bureau', () => {
    given([socialGroupRegistered(ORG_ID), roleAssigned(ORG_ID, 'federation')])
      .when(revoke({ actor: ACTORS.tianpingStreet }))
      .thenThrows({ kind: 'forbidden', rule: 'support-role-authority' });
  });
});

describe('enter an incubation base: the street or district of the base', () => {
  it('records the entry with the base and its place', () => {
    given([groupRegistered(ORG_ID)])
      .when(enter())
      .then([
        {
          type: 'IncubationEntered',
          data: {
            organizationId: ORG_ID,
            incubationId: 'incubation-1',
            baseId: BASE_ID,
            baseDistrictCode: PLACES.xuhui,
            baseStreetCode: tianping,
            enteredOn: '2024-04-01',
          },
        },
      ]);
  });

  it("the base's district records it too", () => {
    expect(
      given([groupRegistered(ORG_ID)])
        .when(enter({ actor: ACTORS.xuhuiDistrict }))
        .events(),
    ).toHaveLength(1);
  });

  it("refuses another street, another district and the organization's own committee (403)", () => {
    for (const actor of [ACTORS.hunanStreet, ACTORS.pudongDistrict, ACTORS.shanghaiXincunCommittee])
      given([groupRegistered(ORG_ID)])
        .when(enter({ actor }))
        .thenThrows({ kind: 'forbidden', rule: 'incubation-authority' });
  });

  it('refuses an unknown base, a dissolved base and a base without the incubation-base role', () => {
    const { base: _none, ...noBase } = enter();
    given([groupRegistered(ORG_ID)])
      .when(noBase)
      .thenThrows({ kind: 'rule', rule: 'incubation-base-unknown', field: 'baseId' });
    given([groupRegistered(ORG_ID)])
      .when(enter({ base: { ...BASE, status: 'dissolved' } }))
      .thenThrows({ kind: 'rule', rule: 'incubation-base-dissolved', field: 'baseId' });
    given([groupRegistered(ORG_ID)])
      .when(enter({ base: { ...BASE, holdsIncubationRole: false } }))
      .thenThrows({ kind: 'rule', rule: 'incubation-base-role', field: 'baseId' });
  });

  it('refuses the organization as its own base', () => {
    given([groupRegistered(ORG_ID)])
      .when(enter({ baseId: ORG_ID }))
      .thenThrows({ kind: 'rule', rule: 'incubation-base-itself', field: 'baseId' });
  });

  it('refuses a second incubation while one is open', () => {
    given([groupRegistered(ORG_ID), incubationEntered(ORG_ID, BASE_ID)])
      .when(enter({ incubationId: 'incubation-2' }))
      .thenThrows({ kind: 'rule', rule: 'incubation-open' });
  });

  it('refuses a future date, an impossible date and a date before the founding', () => {
    const org = [groupRegistered(ORG_ID)];
    given(org)
      .when(enter({ enteredOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'enteredOn' });
    given(org)
      .when(enter({ enteredOn: '2024-02-30' }))
      .thenThrows({ kind: 'rule', rule: 'date-invalid', field: 'enteredOn' });
    given(org)
      .when(enter({ enteredOn: '2019-01-01' }))
      .thenThrows({ kind: 'rule', rule: 'date-before-founding', field: 'enteredOn' });
  });
});

describe('end an incubation: graduated or withdrawn, by the street or district of the base', () => {
  const incubated = [groupRegistered(ORG_ID), incubationEntered(ORG_ID, BASE_ID)];

  it('records the outcome; the organization is in no base afterwards', () => {
    given(incubated)
      .when(end())
      .then([
        {
          type: 'IncubationEnded',
          data: {
            organizationId: ORG_ID,
            incubationId: 'incubation-1',
            baseId: BASE_ID,
            baseDistrictCode: PLACES.xuhui,
            outcome: 'graduated',
            endedOn: '2024-06-01',
          },
        },
      ]);
    expect(
      given(incubated)
        .when(end({ outcome: 'withdrawn' }))
        .stateAfter()?.incubation,
    ).toBeUndefined();
  });

  it('an unknown or already ended incubation is not found (404)', () => {
    given(incubated)
      .when(end({ incubationId: 'incubation-9' }))
      .thenThrows({ kind: 'not-found', rule: 'incubation-unknown' });
    given([groupRegistered(ORG_ID)])
      .when(end())
      .thenThrows({ kind: 'not-found', rule: 'incubation-unknown' });
  });

  it('refuses a level other than the base street or district', () => {
    given(incubated)
      .when(end({ actor: ACTORS.hunanStreet }))
      .thenThrows({ kind: 'forbidden', rule: 'incubation-authority' });
  });

  it('refuses an end before the entry or in the future', () => {
    given(incubated)
      .when(end({ endedOn: '2024-03-31' }))
      .thenThrows({ kind: 'rule', rule: 'incubation-ends-before-entry', field: 'endedOn' });
    given(incubated)
      .when(end({ endedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'endedOn' });
  });
});
