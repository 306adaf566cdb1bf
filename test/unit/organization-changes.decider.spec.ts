/**
 * DOMAIN.md §4, the changes over an organization's life: rename (更名), move its base community
 * (迁移: the receiving level records it), change the supervisory unit, update the size facts;
 * and the receipt of a routed major-activity report (分级报告) by the level it was routed to.
 */
import type {
  AcknowledgeActivityReport,
  ChangeSupervisoryUnit,
  MoveOrganization,
  RenameOrganization,
  UpdateProfile,
} from '../../src/organizations/domain/organization.commands.js';
import { spec } from '../support/decider-spec.js';
import { ACTORS, ORG_ID, PLACES, TODAY, TOMORROW, decider } from '../support/fixtures.js';
import {
  acknowledged,
  activityReported,
  dissolved,
  foundationRegistered,
  groupRegistered,
  socialGroupRegistered,
  teamRegistered,
} from '../support/events.js';

const given = spec(decider).given;
const GROUP = [groupRegistered(ORG_ID)];
const TEAM = teamRegistered(ORG_ID);
const SOCIAL_GROUP = [socialGroupRegistered(ORG_ID, { communityCode: PLACES.shanghaiXincun })];

const rename = (o: Partial<RenameOrganization> = {}): RenameOrganization => ({
  type: 'RenameOrganization',
  actor: ACTORS.shanghaiXincunCommittee,
  today: TODAY,
  name: '上海新村翰墨社',
  renamedOn: '2024-06-01',
  ...o,
});

const move = (o: Partial<MoveOrganization> = {}): MoveOrganization => ({
  type: 'MoveOrganization',
  actor: ACTORS.qingyuCommittee,
  today: TODAY,
  districtCode: PLACES.xuhui,
  streetCode: PLACES.tianping,
  communityCode: PLACES.qingyu,
  movedOn: '2024-06-01',
  ...o,
});

const unit = (o: Partial<ChangeSupervisoryUnit> = {}): ChangeSupervisoryUnit => ({
  type: 'ChangeSupervisoryUnit',
  actor: ACTORS.shanghaiXincunCommittee,
  today: TODAY,
  unit: '徐汇区文化和旅游局',
  ...o,
});

const profile = (o: Partial<UpdateProfile> = {}): UpdateProfile => ({
  type: 'UpdateProfile',
  actor: ACTORS.shanghaiXincunCommittee,
  today: TODAY,
  members: 24,
  volunteers: 6,
  venue: '上海新村睦邻中心',
  ...o,
});

const acknowledge = (o: Partial<AcknowledgeActivityReport> = {}): AcknowledgeActivityReport => ({
  type: 'AcknowledgeActivityReport',
  actor: ACTORS.shanghaiXincunCommittee,
  today: TODAY,
  reportId: 'r-1',
  acknowledgedOn: '2024-06-15',
  ...o,
});

describe('rename (更名): the managing level, a valid new name, a business date', () => {
  it('the committee renames its group (OrganizationRenamed, from and to)', () => {
    given(GROUP)
      .when(rename())
      .then([
        {
          type: 'OrganizationRenamed',
          data: {
            organizationId: ORG_ID,
            from: '上海新村书画小组',
            name: '上海新村翰墨社',
            renamedOn: '2024-06-01',
          },
        },
      ]);
  });

  it('the new name is the state name afterwards (the claims follow the state)', () => {
    expect(given(GROUP).when(rename()).stateAfter()?.name).toBe('上海新村翰墨社');
  });

  it('the same name again changes nothing', () => {
    given(GROUP)
      .when(rename({ name: ' 上海新村书画小组 ' }))
      .thenNothing();
  });

  it.each([
    ['its street office', ACTORS.tianpingStreet],
    ['another committee', ACTORS.qingyuCommittee],
    ['the auditor', ACTORS.auditor],
  ])('%s may not rename it (403 rename-authority)', (_label, actor) => {
    given(GROUP)
      .when(rename({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'rename-authority' });
  });

  it('a name without Chinese is refused (name-invalid)', () => {
    given(GROUP)
      .when(rename({ name: 'Calligraphy' }))
      .thenThrows({ kind: 'rule', rule: 'name-invalid', field: 'name' });
  });

  it('a date in the future or before the founding is refused', () => {
    given(GROUP)
      .when(rename({ renamedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'renamedOn' });
    given(GROUP)
      .when(rename({ renamedOn: '2019-01-01' }))
      .thenThrows({ kind: 'rule', rule: 'date-before-founding', field: 'renamedOn' });
  });

  it('a dissolved organization is not renamed', () => {
    given([...GROUP, dissolved(ORG_ID)])
      .when(rename())
      .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
  });
});

describe('move (迁移): recorded by the receiving level, which manages it afterwards', () => {
  it('a group moves to the next community: its committee records it (OrganizationMoved)', () => {
    given(GROUP)
      .when(move())
      .then([
        {
          type: 'OrganizationMoved',
          data: {
            organizationId: ORG_ID,
            districtCode: PLACES.xuhui,
            streetCode: PLACES.tianping,
            communityCode: PLACES.qingyu,
            from: {
              districtCode: PLACES.xuhui,
              streetCode: PLACES.tianping,
              communityCode: PLACES.shanghaiXincun,
            },
            movedOn: '2024-06-01',
          },
        },
      ]);
  });

  it('the old committee may not move it away, nor the street (403 move-authority)', () => {
    for (const actor of [ACTORS.shanghaiXincunCommittee, ACTORS.tianpingStreet, ACTORS.auditor]) {
      given(GROUP).when(move({ actor })).thenThrows({ kind: 'forbidden', rule: 'move-authority' });
    }
  });

  it('the receiving committee manages it afterwards; the old one no longer does', () => {
    const state = given(GROUP).when(move()).stateAfter();
    const after = [...GROUP, ...given(GROUP).when(move()).events()];
    expect(state?.communityCode).toBe(PLACES.qingyu);
    given(after)
      .when(rename({ actor: ACTORS.qingyuCommittee }))
      .events();
    given(after)
      .when(rename({ actor: ACTORS.shanghaiXincunCommittee }))
      .thenThrows({ kind: 'forbidden', rule: 'rename-authority' });
  });

  it('a team moves across districts: the receiving street office records it', () => {
    const events = given(TEAM)
      .when(
        move({
          actor: ACTORS.weifangStreet,
          districtCode: PLACES.pudong,
          streetCode: PLACES.weifang,
          communityCode: PLACES.weifangYicun,
        }),
      )
      .events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'OrganizationMoved',
      data: { districtCode: PLACES.pudong, streetCode: PLACES.weifang },
    });
  });

  it('the new place is checked like a registration’s (community in street in district)', () => {
    given(GROUP)
      .when(move({ communityCode: PLACES.huaizhong }))
      .thenThrows({ kind: 'forbidden', rule: 'move-authority' });
    given(TEAM)
      .when(
        move({
          actor: ACTORS.weifangStreet,
          districtCode: PLACES.xuhui,
          streetCode: PLACES.weifang,
          communityCode: PLACES.weifangYicun,
        }),
      )
      .thenThrows({ kind: 'rule', rule: 'street-outside-district', field: 'streetCode' });
    given(TEAM)
      .when(
        move({ actor: ACTORS.hunanStreet, streetCode: PLACES.hunan, communityCode: PLACES.qingyu }),
      )
      .thenThrows({ kind: 'rule', rule: 'community-outside-street', field: 'communityCode' });
  });

  it('a registered organization keeps the district its USCC names (uscc-region)', () => {
    given(SOCIAL_GROUP)
      .when(
        move({
          actor: ACTORS.pudongDistrict,
          districtCode: PLACES.pudong,
          streetCode: PLACES.weifang,
          communityCode: PLACES.weifangYicun,
        }),
      )
      .thenThrows({ kind: 'rule', rule: 'uscc-region', field: 'districtCode' });
  });

  it('a registered organization moves within its district: its bureau records it', () => {
    expect(
      given(SOCIAL_GROUP)
        .when(
          move({
            actor: ACTORS.xuhuiDistrict,
            streetCode: PLACES.hunan,
            communityCode: PLACES.huaizhong,
          }),
        )
        .events()[0]?.type,
    ).toBe('OrganizationMoved');
  });

  it('a move to where it is changes nothing', () => {
    given(GROUP)
      .when(move({ actor: ACTORS.shanghaiXincunCommittee, communityCode: PLACES.shanghaiXincun }))
      .thenNothing();
  });

  it('a move in the future is refused', () => {
    given(GROUP)
      .when(move({ movedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'movedOn' });
  });
});

describe('supervisory unit (业务主管单位)', () => {
  it('the managing level changes it (SupervisoryUnitChanged, from when there was one)', () => {
    given(GROUP)
      .when(unit())
      .then([
        {
          type: 'SupervisoryUnitChanged',
          data: { organizationId: ORG_ID, unit: '徐汇区文化和旅游局', changedOn: TODAY },
        },
      ]);
    given(SOCIAL_GROUP)
      .when(unit({ actor: ACTORS.xuhuiDistrict }))
      .then([
        {
          type: 'SupervisoryUnitChanged',
          data: {
            organizationId: ORG_ID,
            from: '天平路街道办事处',
            unit: '徐汇区文化和旅游局',
            changedOn: TODAY,
          },
        },
      ]);
  });

  it('the same unit again changes nothing; a blank one is refused', () => {
    given(SOCIAL_GROUP)
      .when(unit({ actor: ACTORS.xuhuiDistrict, unit: '天平路街道办事处' }))
      .thenNothing();
    given(GROUP)
      .when(unit({ unit: '  ' }))
      .thenThrows({ kind: 'rule', rule: 'text-required', field: 'unit' });
  });

  it('a community foundation has none (直接登记)', () => {
    given([foundationRegistered(ORG_ID)])
      .when(unit({ actor: ACTORS.city }))
      .thenThrows({ kind: 'rule', rule: 'foundation-supervisory-unit', field: 'unit' });
  });

  it('only the managing level changes it', () => {
    given(GROUP)
      .when(unit({ actor: ACTORS.xuhuiDistrict }))
      .thenThrows({ kind: 'forbidden', rule: 'supervisory-unit-authority' });
  });
});

describe('size facts (members, volunteers, venue)', () => {
  it('the managing level records them (ProfileUpdated); the same again changes nothing', () => {
    const updated = {
      type: 'ProfileUpdated' as const,
      data: {
        organizationId: ORG_ID,
        members: 24,
        volunteers: 6,
        venue: '上海新村睦邻中心',
        updatedOn: TODAY,
      },
    };
    given(GROUP).when(profile()).then([updated]);
    given([...GROUP, updated])
      .when(profile())
      .thenNothing();
  });

  it('counts are whole numbers, 0 or more', () => {
    given(GROUP)
      .when(profile({ members: -1 }))
      .thenThrows({ kind: 'rule', rule: 'count-invalid', field: 'members' });
    given(GROUP)
      .when(profile({ volunteers: 1.5 }))
      .thenThrows({ kind: 'rule', rule: 'count-invalid', field: 'volunteers' });
  });

  it('only the managing level records them', () => {
    given(GROUP)
      .when(profile({ actor: ACTORS.tianpingStreet }))
      .thenThrows({ kind: 'forbidden', rule: 'profile-authority' });
  });
});

describe('acknowledge an activity report (分级报告 received): the level it was routed to, once', () => {
  const COMMUNITY_REPORT = [...GROUP, activityReported(ORG_ID, { reportId: 'r-1' })];
  const STREET_REPORT = [
    ...GROUP,
    activityReported(ORG_ID, { reportId: 'r-1', participants: 300, level: 'street' }),
  ];
  const DISTRICT_REPORT_ELSEWHERE = [
    ...GROUP,
    activityReported(ORG_ID, {
      reportId: 'r-1',
      participants: 800,
      level: 'district',
      communityCode: PLACES.huaizhong,
      streetCode: PLACES.hunan,
    }),
  ];

  it('a community-level report: the committee of its community (ActivityReportAcknowledged)', () => {
    given(COMMUNITY_REPORT)
      .when(acknowledge())
      .then([acknowledged(ORG_ID, 'r-1', 'community', '2024-06-15')]);
  });

  it('a street-level report: the street office of its community, not the committee', () => {
    given(STREET_REPORT)
      .when(acknowledge({ actor: ACTORS.tianpingStreet }))
      .then([acknowledged(ORG_ID, 'r-1', 'street', '2024-06-15')]);
    given(STREET_REPORT)
      .when(acknowledge())
      .thenThrows({ kind: 'forbidden', rule: 'acknowledgement-authority' });
  });

  it("a district-level report: the district of the report's community", () => {
    given(DISTRICT_REPORT_ELSEWHERE)
      .when(acknowledge({ actor: ACTORS.xuhuiDistrict }))
      .then([acknowledged(ORG_ID, 'r-1', 'district', '2024-06-15')]);
    for (const actor of [
      ACTORS.tianpingStreet,
      ACTORS.hunanStreet,
      ACTORS.pudongDistrict,
      ACTORS.city,
    ]) {
      given(DISTRICT_REPORT_ELSEWHERE)
        .when(acknowledge({ actor }))
        .thenThrows({ kind: 'forbidden', rule: 'acknowledgement-authority' });
    }
  });

  it('once per report (409 report-already-acknowledged)', () => {
    given([...COMMUNITY_REPORT, acknowledged(ORG_ID, 'r-1')])
      .when(acknowledge())
      .thenThrows({ kind: 'conflict', rule: 'report-already-acknowledged' });
  });

  it('an unknown report is 404 (activity-report-unknown)', () => {
    given(COMMUNITY_REPORT)
      .when(acknowledge({ reportId: 'r-2' }))
      .thenThrows({ kind: 'not-found', rule: 'activity-report-unknown' });
  });

  it('not in the future, not before the report', () => {
    given(COMMUNITY_REPORT)
      .when(acknowledge({ acknowledgedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'acknowledgedOn' });
    given(COMMUNITY_REPORT)
      .when(acknowledge({ acknowledgedOn: '2024-06-14' }))
      .thenThrows({ kind: 'rule', rule: 'acknowledged-before-report', field: 'acknowledgedOn' });
  });

  it('a report of an organization dissolved since is still acknowledged by its receiver', () => {
    given([...COMMUNITY_REPORT, dissolved(ORG_ID)])
      .when(acknowledge())
      .then([acknowledged(ORG_ID, 'r-1', 'community', '2024-06-15')]);
  });
});
