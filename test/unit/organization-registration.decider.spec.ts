/**
 * DOMAIN.md §3–§4, "register an organization": who may register each tier, the tier's
 * credentials, place consistency, name, dates and founders.
 */
import type { RegisterOrganization } from '../../src/organizations/domain/organization.commands.js';
import { organizationDecider } from '../../src/organizations/domain/organization.decider.js';
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import {
  DEFAULT_ACTIVITY_SCOPE,
  type Actor,
  type LegalForm,
} from '../../src/organizations/domain/organization.types.js';
import { spec } from '../support/decider-spec.js';
import {
  ACTORS,
  BAD_USCC,
  CONTACT,
  FOUNDED_ON,
  ORG_ID,
  OTHER_SEALED_NAME,
  PLACES,
  SEALED_NAME,
  TODAY,
  TOMORROW,
  USCC,
  decider,
  policy,
  registerFoundation,
  registerGroup,
  registerSocialGroup,
  registerTeam,
} from '../support/fixtures.js';
import { groupRegistered } from '../support/events.js';

const given = spec(decider).given;

/** 漕河泾新兴技术开发区, a special unit whose only community is a placeholder. */
const AT_CAOHEJING = { streetCode: PLACES.caohejing, communityCode: PLACES.caohejingCommunity };
/** 莘庄工业区 (闵行区), a special unit with committees of its own, and its 申莘新村第一居委会. */
const XINZHUANG_INDUSTRIAL = { street: '310112501', community: '310112501001' };
/** The first community of a street in the shipped data. */
const firstCommunityOf = (street: string): string | undefined =>
  policy().divisions.data.communities.find((c) => c.street === street)?.code;

/** The OrganizationRegistered event a registration command should decide. */
function registeredFrom(c: RegisterOrganization): OrganizationEvent {
  return {
    type: 'OrganizationRegistered',
    data: {
      organizationId: c.organizationId,
      name: c.name.trim(),
      category: c.category,
      tier: c.tier,
      ...(c.legalForm !== undefined && { legalForm: c.legalForm }),
      ...(c.uscc !== undefined && { uscc: c.uscc }),
      districtCode: c.districtCode,
      streetCode: c.streetCode,
      ...(c.communityCode !== undefined && { communityCode: c.communityCode }),
      foundedOn: c.foundedOn,
      ...(c.tier === 'registered' && { registeredOn: c.registeredOn ?? c.today }),
      ...(c.tier === 'group' && { recordedOn: c.recordedOn ?? c.today }),
      activityScope: c.activityScope ?? DEFAULT_ACTIVITY_SCOPE[c.tier],
      founders: [...c.founders],
      ...(c.supervisoryUnit !== undefined && { supervisoryUnit: c.supervisoryUnit }),
      ...(c.contact !== undefined && { contact: c.contact }),
    },
  };
}

describe('register: who may register each tier (DOMAIN §1, §4)', () => {
  it('a committee registers an activity group of its own community (OrganizationRegistered)', () => {
    given([])
      .when(registerGroup())
      .then([
        {
          type: 'OrganizationRegistered',
          data: {
            organizationId: ORG_ID,
            name: '上海新村书画小组',
            category: 'culture-sports',
            tier: 'group',
            districtCode: '310104',
            streetCode: '310104003',
            communityCode: '310104003001',
            foundedOn: FOUNDED_ON,
            recordedOn: TODAY,
            activityScope: 'community',
            founders: [{ kind: 'resident', sealedName: SEALED_NAME }],
            contact: CONTACT,
          },
        },
      ]);
  });

  it('a villagers committee registers a group of its rural community', () => {
    const command = registerGroup({
      actor: ACTORS.chengqiaoVillageCommittee,
      districtCode: PLACES.chongming,
      streetCode: PLACES.chengqiao,
      communityCode: PLACES.chengqiaoVillage,
      name: '城桥村农技互助小组',
    });
    given([])
      .when(command)
      .then([registeredFrom(command)]);
  });

  it.each<[string, Actor]>([
    ['the committee of another community of the same street', ACTORS.qingyuCommittee],
    ['a committee of another district', ACTORS.weifangYicunCommittee],
    ["the group's street office", ACTORS.tianpingStreet],
    ["the group's district bureau", ACTORS.xuhuiDistrict],
    ['the city bureau', ACTORS.city],
    ['the auditor', ACTORS.auditor],
  ])('a group registered by %s is forbidden (register-authority)', (_who, actor) => {
    given([])
      .when(registerGroup({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'register-authority' });
  });

  it('a street office registers a team of its street: OrganizationRegistered then OrganizationFiled', () => {
    given([])
      .when(registerTeam())
      .then([
        {
          type: 'OrganizationRegistered',
          data: {
            organizationId: ORG_ID,
            name: '天平路街道夕阳红舞蹈队',
            category: 'culture-sports',
            tier: 'team',
            districtCode: '310104',
            streetCode: '310104003',
            communityCode: '310104003001',
            foundedOn: FOUNDED_ON,
            activityScope: 'street',
            founders: [
              { kind: 'resident', sealedName: OTHER_SEALED_NAME },
              { kind: 'unit', name: '天平路社区文化活动中心' },
            ],
          },
        },
        {
          type: 'OrganizationFiled',
          data: { organizationId: ORG_ID, filingNumber: 'XH-TP-2024-001', filedOn: '2024-05-20' },
        },
      ]);
  });

  it.each<[string, Actor]>([
    ['another street of the same district', ACTORS.hunanStreet],
    ['a street of another district', ACTORS.weifangStreet],
    ["the team's committee", ACTORS.shanghaiXincunCommittee],
    ["the team's district bureau", ACTORS.xuhuiDistrict],
    ['the city bureau', ACTORS.city],
    ['the auditor', ACTORS.auditor],
  ])('a team registered by %s is forbidden (register-authority)', (_who, actor) => {
    given([])
      .when(registerTeam({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'register-authority' });
  });

  it.each<[LegalForm, string]>([
    ['social-group', USCC.socialGroupXuhui],
    ['social-service-institution', USCC.serviceInstitutionXuhui],
  ])('a district bureau registers a %s of its district', (legalForm, uscc) => {
    const command = registerSocialGroup({ legalForm, uscc });
    given([])
      .when(command)
      .then([registeredFrom(command)]);
  });

  it('the registered event keeps legal form, USCC and supervisory unit', () => {
    given([])
      .when(registerSocialGroup())
      .then([
        {
          type: 'OrganizationRegistered',
          data: {
            organizationId: ORG_ID,
            name: '徐汇区天平社区睦邻协会',
            category: 'community-affairs',
            tier: 'registered',
            legalForm: 'social-group',
            uscc: '51310104MJ0000114M',
            districtCode: '310104',
            streetCode: '310104003',
            communityCode: '310104003001',
            foundedOn: FOUNDED_ON,
            registeredOn: TODAY,
            activityScope: 'district',
            founders: [{ kind: 'unit', name: '天平路街道社区服务中心' }],
            supervisoryUnit: '天平路街道办事处',
          },
        },
      ]);
  });

  it.each<[string, Actor]>([
    ['another district bureau', ACTORS.pudongDistrict],
    ["the organization's street office", ACTORS.tianpingStreet],
    ["a committee of the organization's street", ACTORS.shanghaiXincunCommittee],
    ['the city bureau (it registers only community foundations)', ACTORS.city],
    ['the auditor', ACTORS.auditor],
  ])('a social group registered by %s is forbidden (register-authority)', (_who, actor) => {
    given([])
      .when(registerSocialGroup({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'register-authority' });
  });

  it('the city bureau registers a community foundation', () => {
    const command = registerFoundation();
    given([])
      .when(command)
      .then([registeredFrom(command)]);
  });

  it.each<[string, Actor]>([
    ["the foundation's district bureau", ACTORS.xuhuiDistrict],
    ["the foundation's street office", ACTORS.tianpingStreet],
    ["a committee of the foundation's street", ACTORS.shanghaiXincunCommittee],
    ['the auditor', ACTORS.auditor],
  ])('a community foundation registered by %s is forbidden (foundation-city-only)', (_w, actor) => {
    given([])
      .when(registerFoundation({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'foundation-city-only' });
  });

  it('a second registration of an existing organization is a conflict (organization-exists)', () => {
    given([groupRegistered(ORG_ID)])
      .when(registerGroup())
      .thenThrows({ kind: 'conflict', rule: 'organization-exists' });
  });
});

describe('register: tier credentials (USCC for registered, filing number for team)', () => {
  it('a registered organization needs a legal form (legal-form-required)', () => {
    given([])
      .when(registerSocialGroup({ legalForm: undefined }))
      .thenThrows({ kind: 'rule', rule: 'legal-form-required', field: 'legalForm' });
  });

  it('a registered organization needs a USCC (uscc-required)', () => {
    given([])
      .when(registerSocialGroup({ uscc: undefined }))
      .thenThrows({ kind: 'rule', rule: 'uscc-required', field: 'uscc' });
  });

  it.each([
    ['a wrong check character (README vector, should end K)', BAD_USCC.wrongCheckCharacter],
    ['a wrong check character (README vector, should end D)', BAD_USCC.wrongCheckCharacter2],
  ])('a foundation USCC with %s is refused (uscc-invalid)', (_why, uscc) => {
    given([])
      .when(registerFoundation({ uscc }))
      .thenThrows({ kind: 'rule', rule: 'uscc-invalid', field: 'uscc' });
  });

  it.each([
    ['a wrong organization-code check character', BAD_USCC.wrongOrganizationCodeCheck],
    ['17 characters', USCC.socialGroupXuhui.slice(0, 17)],
    ['19 characters', `${USCC.socialGroupXuhui}0`],
    ['lower-case letters', USCC.socialGroupXuhui.toLowerCase()],
    ['a forbidden letter I', '51310104MJ0000I14M'],
    ['spaces', ' 51310104MJ0000114M'],
    ['an empty-looking code', '                  '],
  ])('a social-group USCC with %s is refused (uscc-invalid)', (_why, uscc) => {
    given([])
      .when(registerSocialGroup({ uscc }))
      .thenThrows({ kind: 'rule', rule: 'uscc-invalid', field: 'uscc' });
  });

  it('a USCC that does not start with 5 (not issued by civil affairs) is refused', () => {
    given([])
      .when(registerSocialGroup({ uscc: BAD_USCC.notCivilAffairs }))
      .thenThrows({ kind: 'rule', rule: 'uscc-not-civil-affairs', field: 'uscc' });
  });

  it.each<[LegalForm, string, Actor]>([
    ['social-group', USCC.serviceInstitutionXuhui, ACTORS.xuhuiDistrict],
    ['social-group', USCC.foundationXuhui, ACTORS.xuhuiDistrict],
    ['social-service-institution', USCC.socialGroupXuhui, ACTORS.xuhuiDistrict],
    ['social-service-institution', USCC.foundationXuhui, ACTORS.xuhuiDistrict],
    ['social-group', BAD_USCC.civilAffairsOther, ACTORS.xuhuiDistrict],
    ['community-foundation', USCC.socialGroupXuhui, ACTORS.city],
    ['community-foundation', USCC.serviceInstitutionXuhui, ACTORS.city],
  ])(
    'the type digit must match the legal form: a %s with USCC %s is refused (uscc-legal-form-mismatch)',
    (legalForm, uscc, actor) => {
      const command =
        legalForm === 'community-foundation'
          ? registerFoundation({ uscc, actor })
          : registerSocialGroup({ legalForm, uscc, actor });
      given([])
        .when(command)
        .thenThrows({ kind: 'rule', rule: 'uscc-legal-form-mismatch', field: 'uscc' });
    },
  );

  it.each<[string, string, LegalForm, Actor, string, string]>([
    [
      '310108 闸北区',
      USCC.retiredZhabei,
      'social-group',
      ACTORS.jinganDistrict,
      PLACES.jingan,
      PLACES.jiangning,
    ],
    [
      '310230 崇明县',
      USCC.retiredChongmingCounty,
      'social-service-institution',
      ACTORS.chongmingDistrict,
      PLACES.chongming,
      PLACES.chengqiao,
    ],
    [
      '310103 卢湾区',
      USCC.retiredLuwan,
      'social-group',
      ACTORS.huangpuDistrict,
      PLACES.huangpu,
      PLACES.nanjingEast,
    ],
    [
      '310119 南汇区',
      USCC.retiredNanhui,
      'social-service-institution',
      ACTORS.pudongDistrict,
      PLACES.pudong,
      PLACES.weifang,
    ],
  ])(
    'a USCC issued under the retired district code %s is accepted',
    (_region, uscc, legalForm, actor, districtCode, streetCode) => {
      const command = registerSocialGroup({
        uscc,
        legalForm,
        actor,
        districtCode,
        streetCode,
        communityCode: firstCommunityOf(streetCode),
      });
      given([])
        .when(command)
        .then([registeredFrom(command)]);
    },
  );

  it.each<[string, string, LegalForm, Actor, string, string]>([
    [
      '52310115MJ00000187 (浦东新区)',
      USCC.serviceInstitutionPudong,
      'social-service-institution',
      ACTORS.pudongDistrict,
      PLACES.pudong,
      PLACES.weifang,
    ],
    [
      '51310106MJ00000264 (静安区)',
      USCC.socialGroupJingan,
      'social-group',
      ACTORS.jinganDistrict,
      PLACES.jingan,
      PLACES.jiangning,
    ],
  ])(
    'the README vector %s registers its legal form in its district',
    (_u, uscc, legalForm, actor, districtCode, streetCode) => {
      const command = registerSocialGroup({
        uscc,
        legalForm,
        actor,
        districtCode,
        streetCode,
        communityCode: firstCommunityOf(streetCode),
      });
      given([])
        .when(command)
        .then([registeredFrom(command)]);
    },
  );

  it.each([
    ['53310000MJ0000034W (region 310000, the city)', USCC.foundationCity],
    ['53310000MJ000051XL (region 310000, the city)', USCC.foundationCity2],
  ])('a community foundation with the valid USCC %s is accepted', (_u, uscc) => {
    const command = registerFoundation({ uscc });
    given([])
      .when(command)
      .then([registeredFrom(command)]);
  });

  it.each([
    ['53100000500019795A (national)', USCC.foundationNational],
    ['53100000500021676K (national)', USCC.foundationNational2],
    ['53310104MJ00001305 (徐汇区)', USCC.foundationXuhui],
  ])(
    'a community foundation is registered by the city: its USCC %s is refused (uscc-region, 310000)',
    (_u, uscc) => {
      const error = given([])
        .when(registerFoundation({ uscc }))
        .thenThrows({ kind: 'rule', rule: 'uscc-region', field: 'uscc' });
      expect(error.message).toContain('310000');
    },
  );

  it.each([
    ['110101 (Beijing)', BAD_USCC.beijingRegion],
    ['310199 (no Shanghai district)', BAD_USCC.unknownShanghaiRegion],
    ['100000 (the national ministry)', USCC.socialGroupNational],
    ['310106 (静安区, another district)', USCC.socialGroupJingan],
    ['310103 (卢湾区, retired into 黄浦区, another district)', USCC.retiredLuwan],
  ])(
    "a 徐汇区 social group's USCC of region %s is refused (uscc-region, naming 310104)",
    (_r, uscc) => {
      const error = given([])
        .when(registerSocialGroup({ uscc }))
        .thenThrows({ kind: 'rule', rule: 'uscc-region', field: 'uscc' });
      expect(error.message).toContain('310104');
    },
  );

  it('the uscc-region refusal names the retired codes a district may issue under too', () => {
    const error = given([])
      .when(
        registerSocialGroup({
          actor: ACTORS.jinganDistrict,
          districtCode: PLACES.jingan,
          streetCode: PLACES.jiangning,
          communityCode: firstCommunityOf(PLACES.jiangning),
          uscc: USCC.socialGroupNational,
        }),
      )
      .thenThrows({ kind: 'rule', rule: 'uscc-region', field: 'uscc' });
    expect(error.message).toContain('310106');
    expect(error.message).toContain('310108');
    expect(error.message).toContain('100000');
  });

  it('a community foundation has no supervisory unit: 直接登记 (foundation-supervisory-unit)', () => {
    given([])
      .when(registerFoundation({ supervisoryUnit: '徐汇区天平路街道办事处' }))
      .thenThrows({ kind: 'rule', rule: 'foundation-supervisory-unit', field: 'supervisoryUnit' });
  });

  it.each(['life-service', 'community-affairs', 'culture-sports'] as const)(
    'a community foundation of category %s is refused: it is a charity (foundation-category)',
    (category) => {
      given([])
        .when(registerFoundation({ category }))
        .thenThrows({ kind: 'rule', rule: 'foundation-category', field: 'category' });
    },
  );

  it('a team is registered with its filing number (filing-number-required)', () => {
    given([])
      .when(registerTeam({ filingNumber: undefined }))
      .thenThrows({ kind: 'rule', rule: 'filing-number-required', field: 'filingNumber' });
    given([])
      .when(registerTeam({ filingNumber: '' }))
      .thenThrows({ kind: 'rule', rule: 'filing-number-required', field: 'filingNumber' });
  });

  it('a team registered without filedOn is filed today', () => {
    const events = given([])
      .when(registerTeam({ filedOn: undefined }))
      .events();
    expect(events[1]).toEqual({
      type: 'OrganizationFiled',
      data: { organizationId: ORG_ID, filingNumber: 'XH-TP-2024-001', filedOn: TODAY },
    });
  });

  it('a team filed in the future is refused (date-in-future)', () => {
    given([])
      .when(registerTeam({ filedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'filedOn' });
  });

  it('only registered organizations have a USCC (credential-not-applicable)', () => {
    given([])
      .when(registerTeam({ uscc: USCC.socialGroupXuhui }))
      .thenThrows({ kind: 'rule', rule: 'credential-not-applicable', field: 'uscc' });
  });

  it('only registered organizations have a legal form (credential-not-applicable)', () => {
    given([])
      .when(registerGroup({ legalForm: 'social-group' }))
      .thenThrows({ kind: 'rule', rule: 'credential-not-applicable', field: 'legalForm' });
  });

  it('only teams have a filing number (credential-not-applicable)', () => {
    given([])
      .when(registerGroup({ filingNumber: 'XH-TP-2024-002' }))
      .thenThrows({ kind: 'rule', rule: 'credential-not-applicable', field: 'filingNumber' });
    given([])
      .when(registerSocialGroup({ filingNumber: 'XH-TP-2024-002' }))
      .thenThrows({ kind: 'rule', rule: 'credential-not-applicable', field: 'filingNumber' });
  });
});

describe('register: place consistency (community in street in district)', () => {
  it('an unknown district is refused (district-unknown)', () => {
    given([])
      .when(registerGroup({ districtCode: '310199' }))
      .thenThrows({ kind: 'rule', rule: 'district-unknown', field: 'districtCode' });
  });

  it('a retired district code is no current district of an organization (district-unknown)', () => {
    given([])
      .when(
        registerSocialGroup({
          districtCode: '310108',
          actor: { ...ACTORS.xuhuiDistrict, jurisdiction: '310108' },
        }),
      )
      .thenThrows({ kind: 'rule', rule: 'district-unknown', field: 'districtCode' });
  });

  it('an unknown street is refused (street-unknown)', () => {
    given([])
      .when(registerGroup({ streetCode: '310104999' }))
      .thenThrows({ kind: 'rule', rule: 'street-unknown', field: 'streetCode' });
  });

  it('a street of another district is refused (street-outside-district)', () => {
    given([])
      .when(registerGroup({ districtCode: PLACES.pudong }))
      .thenThrows({ kind: 'rule', rule: 'street-outside-district', field: 'streetCode' });
    given([])
      .when(registerSocialGroup({ streetCode: PLACES.weifang }))
      .thenThrows({ kind: 'rule', rule: 'street-outside-district', field: 'streetCode' });
  });

  it('an unknown community is refused (community-unknown)', () => {
    given([])
      .when(registerTeam({ communityCode: '310104003999' }))
      .thenThrows({ kind: 'rule', rule: 'community-unknown', field: 'communityCode' });
  });

  it('a community of another street is refused (community-outside-street)', () => {
    given([])
      .when(registerTeam({ communityCode: PLACES.huaizhong }))
      .thenThrows({ kind: 'rule', rule: 'community-outside-street', field: 'communityCode' });
    given([])
      .when(
        registerGroup({
          actor: ACTORS.weifangYicunCommittee,
          communityCode: PLACES.weifangYicun,
        }),
      )
      .thenThrows({ kind: 'rule', rule: 'community-outside-street', field: 'communityCode' });
  });

  it('a team belongs to one community (community-required)', () => {
    given([])
      .when(registerTeam({ communityCode: undefined }))
      .thenThrows({ kind: 'rule', rule: 'community-required', field: 'communityCode' });
  });

  it('a group without a community is refused for the missing community, not as forbidden', () => {
    given([])
      .when(registerGroup({ communityCode: undefined }))
      .thenThrows({ kind: 'rule', rule: 'community-required', field: 'communityCode' });
  });

  it('a registered organization is based in a community of its street', () => {
    const command = registerSocialGroup({ communityCode: PLACES.qingyu });
    given([])
      .when(command)
      .then([registeredFrom(command)]);
  });

  it.each([
    ['a registered organization', registerSocialGroup({ communityCode: undefined })],
    ['a community foundation', registerFoundation({ communityCode: undefined })],
  ])('%s names its base community (所在社区) too (community-required)', (_what, command) => {
    given([])
      .when(command)
      .thenThrows({ kind: 'rule', rule: 'community-required', field: 'communityCode' });
  });

  it.each([
    ['a registered organization', registerSocialGroup(AT_CAOHEJING)],
    ['a team', registerTeam({ actor: ACTORS.caohejingOffice, ...AT_CAOHEJING })],
  ])('%s is never based in a placeholder community (community-placeholder)', (_what, command) => {
    given([])
      .when(command)
      .thenThrows({ kind: 'rule', rule: 'community-placeholder', field: 'communityCode' });
  });

  it('a registered organization of a unit whose only community is a placeholder is based at the unit', () => {
    const command = registerSocialGroup({ ...AT_CAOHEJING, communityCode: undefined });
    given([])
      .when(command)
      .then([registeredFrom(command)]);
  });

  it('a team in a special unit is accepted when teamsInSpecialUnits is on (ours, default)', () => {
    const command = registerTeam({
      actor: ACTORS.caohejingOffice,
      ...AT_CAOHEJING,
      communityCode: undefined,
    });
    given([])
      .when(command)
      .then([
        registeredFrom(command),
        {
          type: 'OrganizationFiled',
          data: { organizationId: ORG_ID, filingNumber: 'XH-TP-2024-001', filedOn: '2024-05-20' },
        },
      ]);
  });

  it('a team in a special unit is refused when teamsInSpecialUnits is off (team-in-special-unit)', () => {
    spec(organizationDecider(policy({ teamsInSpecialUnits: false })))
      .given([])
      .when(
        registerTeam({
          actor: ACTORS.caohejingOffice,
          ...AT_CAOHEJING,
          communityCode: undefined,
        }),
      )
      .thenThrows({ kind: 'rule', rule: 'team-in-special-unit', field: 'streetCode' });
  });

  it('a group in a special unit is accepted even when teamsInSpecialUnits is off', () => {
    const command = registerGroup({
      actor: { id: 'u-xz-c', role: 'committee', jurisdiction: XINZHUANG_INDUSTRIAL.community },
      districtCode: '310112',
      streetCode: XINZHUANG_INDUSTRIAL.street,
      communityCode: XINZHUANG_INDUSTRIAL.community,
    });
    spec(organizationDecider(policy({ teamsInSpecialUnits: false })))
      .given([])
      .when(command)
      .then([registeredFrom(command)]);
  });
});

describe('register: name (Chinese, 2–50 characters)', () => {
  it('the name is recorded trimmed', () => {
    const events = given([])
      .when(registerGroup({ name: '  上海新村书画小组 ' }))
      .events();
    expect(events).toEqual([registeredFrom(registerGroup())]);
  });

  it.each([
    ['two characters', '书画'],
    ['50 characters', '书'.repeat(50)],
    ['Chinese with Latin letters and digits', '上海新村K歌2队'],
  ])('a name of %s is accepted', (_w, name) => {
    const command = registerGroup({ name });
    given([])
      .when(command)
      .then([registeredFrom(command)]);
  });

  it.each([
    ['one character', '书'],
    ['51 characters', '书'.repeat(51)],
    ['empty', ''],
    ['only spaces around one character', '  书  '],
    ['no Chinese', 'Calligraphy Club'],
    ['a control character', '书画\u0007小组'],
  ])('a name of %s is refused (name-invalid)', (_w, name) => {
    given([])
      .when(registerGroup({ name }))
      .thenThrows({ kind: 'rule', rule: 'name-invalid', field: 'name' });
  });
});

describe('register: founding date and founders', () => {
  it('an organization founded today is accepted', () => {
    const command = registerGroup({ foundedOn: TODAY });
    given([])
      .when(command)
      .then([registeredFrom(command)]);
  });

  it('a founding date in the future is refused (date-in-future)', () => {
    given([])
      .when(registerGroup({ foundedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'foundedOn' });
  });

  it.each(['2023-02-30', '2023-13-01', '20230101', '2023-1-1'])(
    'the founding date %s is no calendar date (date-invalid)',
    (foundedOn) => {
      given([])
        .when(registerGroup({ foundedOn }))
        .thenThrows({ kind: 'rule', rule: 'date-invalid', field: 'foundedOn' });
    },
  );

  it("records a resident's name sealed and a unit's name plain, in the order given (DOMAIN §7)", () => {
    const founders = [
      { kind: 'unit', name: '天平路社区文化活动中心' },
      { kind: 'resident', sealedName: SEALED_NAME },
      { kind: 'resident', sealedName: OTHER_SEALED_NAME },
    ] as const;
    const [registered] = given([]).when(registerGroup({ founders })).events();
    expect(registered?.type === 'OrganizationRegistered' && registered.data.founders).toEqual(
      founders,
    );
  });

  it('an organization has at least one founder (founders-required)', () => {
    given([])
      .when(registerGroup({ founders: [] }))
      .thenThrows({ kind: 'rule', rule: 'founders-required', field: 'founders' });
  });
});

describe('register: business dates (DOMAIN §4) — registeredOn, filedOn or recordedOn by tier', () => {
  it('a registered organization carries the date its bureau registered it, not the day it was entered', () => {
    const events = given([])
      .when(registerSocialGroup({ registeredOn: '2021-03-15' }))
      .events();
    expect(events[0]?.data).toMatchObject({ registeredOn: '2021-03-15' });
    expect(events[0]?.data).not.toHaveProperty('recordedOn');
  });

  it('a group carries the date its committee recorded it (recordedOn), and no registeredOn', () => {
    const events = given([])
      .when(registerGroup({ recordedOn: '2022-09-01' }))
      .events();
    expect(events[0]?.data).toMatchObject({ recordedOn: '2022-09-01' });
    expect(events[0]?.data).not.toHaveProperty('registeredOn');
  });

  it("a team's registration has no date of its own: its filing's filedOn dates it", () => {
    const events = given([]).when(registerTeam()).events();
    expect(events[0]?.data).not.toHaveProperty('registeredOn');
    expect(events[0]?.data).not.toHaveProperty('recordedOn');
    expect(events[1]?.data).toMatchObject({ filedOn: '2024-05-20' });
  });

  it('without a date, a registered organization is registered today and a group recorded today', () => {
    expect(given([]).when(registerSocialGroup()).events()[0]?.data).toMatchObject({
      registeredOn: TODAY,
    });
    expect(given([]).when(registerGroup()).events()[0]?.data).toMatchObject({
      recordedOn: TODAY,
    });
  });

  it.each<[string, RegisterOrganization, string]>([
    ['a registration date', registerSocialGroup({ registeredOn: TOMORROW }), 'registeredOn'],
    ['a recording date', registerGroup({ recordedOn: TOMORROW }), 'recordedOn'],
    ['a filing date', registerTeam({ filedOn: TOMORROW }), 'filedOn'],
  ])('%s in the future is refused (date-in-future)', (_w, command, field) => {
    given([]).when(command).thenThrows({ kind: 'rule', rule: 'date-in-future', field });
  });

  it.each<[string, RegisterOrganization, string]>([
    ['a registration date', registerSocialGroup({ registeredOn: '2020-02-28' }), 'registeredOn'],
    ['a recording date', registerGroup({ recordedOn: '2020-02-28' }), 'recordedOn'],
    ['a filing date', registerTeam({ filedOn: '2020-02-28' }), 'filedOn'],
  ])('%s before the founding is refused (date-before-founding)', (_w, command, field) => {
    given([]).when(command).thenThrows({ kind: 'rule', rule: 'date-before-founding', field });
  });

  it('a date on the founding day is accepted', () => {
    expect(
      given([])
        .when(registerGroup({ recordedOn: FOUNDED_ON }))
        .events()[0]?.data,
    ).toMatchObject({ recordedOn: FOUNDED_ON });
  });

  it('an impossible date is refused (date-invalid)', () => {
    given([])
      .when(registerSocialGroup({ registeredOn: '2023-02-30' }))
      .thenThrows({ kind: 'rule', rule: 'date-invalid', field: 'registeredOn' });
  });

  it.each<[string, RegisterOrganization, string]>([
    ['a group with registeredOn', registerGroup({ registeredOn: '2024-01-02' }), 'registeredOn'],
    ['a group with filedOn', registerGroup({ filedOn: '2024-01-02' }), 'filedOn'],
    ['a team with registeredOn', registerTeam({ registeredOn: '2024-01-02' }), 'registeredOn'],
    ['a team with recordedOn', registerTeam({ recordedOn: '2024-01-02' }), 'recordedOn'],
    [
      'a registered organization with recordedOn',
      registerSocialGroup({ recordedOn: '2024-01-02' }),
      'recordedOn',
    ],
    [
      'a registered organization with filedOn',
      registerSocialGroup({ filedOn: '2024-01-02' }),
      'filedOn',
    ],
  ])("%s is refused: not its tier's date (credential-not-applicable)", (_w, command, field) => {
    given([]).when(command).thenThrows({ kind: 'rule', rule: 'credential-not-applicable', field });
  });
});

describe('register: activity scope (活动范围, DOMAIN §3)', () => {
  it.each<[string, RegisterOrganization, string]>([
    ['a group', registerGroup(), 'community'],
    ['a team', registerTeam(), 'street'],
    ['a registered organization', registerSocialGroup(), 'district'],
  ])("%s without a scope gets its tier's default (%s)", (_w, command, scope) => {
    expect(given([]).when(command).events()[0]?.data).toMatchObject({ activityScope: scope });
  });

  it('a team may be active in its community only, or street-wide while based in one community', () => {
    expect(
      given([])
        .when(registerTeam({ activityScope: 'community' }))
        .events()[0]?.data,
    ).toMatchObject({ activityScope: 'community', communityCode: PLACES.shanghaiXincun });
    expect(
      given([])
        .when(registerTeam({ activityScope: 'street' }))
        .events()[0]?.data,
    ).toMatchObject({ activityScope: 'street', communityCode: PLACES.shanghaiXincun });
  });

  it('a registered organization may be active in its street only', () => {
    const command = registerSocialGroup({ activityScope: 'street' });
    given([])
      .when(command)
      .then([registeredFrom(command)]);
  });

  it.each(['street', 'district'] as const)(
    'a group with a %s scope is refused: a group is active in its community (group-scope-community)',
    (activityScope) => {
      given([])
        .when(registerGroup({ activityScope }))
        .thenThrows({ kind: 'rule', rule: 'group-scope-community', field: 'activityScope' });
    },
  );
});
