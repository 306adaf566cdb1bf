/**
 * Shared test data: real division codes from reference-data/shanghai-divisions-2021.json, actors
 * for every role, valid USCCs for each legal form, a default policy and command builders with
 * sensible defaults that a test overrides (the event builders: events.ts).
 */
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import type {
  CancelFiling,
  ChangePartyOrganization,
  DemoteTier,
  Dissolve,
  ErasePersonalData,
  FileTeam,
  GrantFunding,
  IssueCorrectionNotice,
  PromoteTier,
  Reclassify,
  RecordEvaluation,
  RegisterOrganization,
  ReportActivity,
  ResolveCorrectionNotice,
  UpdateContact,
} from '../../src/organizations/domain/organization.commands.js';
import { organizationDecider } from '../../src/organizations/domain/organization.decider.js';
import type { OrganizationPolicy } from '../../src/organizations/domain/organization.policy.js';
import type {
  Actor,
  EncryptedContact,
  Funder,
} from '../../src/organizations/domain/organization.types.js';

/** Loaded once per test file (Jest isolates modules per file). */
export const divisions = loadDivisions();

/** Real codes, looked up in the shipped data file. */
export const PLACES = {
  city: '310000',
  /** 徐汇区 */
  xuhui: '310104',
  /** 徐汇区 天平路街道 (kind street) */
  tianping: '310104003',
  /** 天平路街道 上海新村居委会 (urban) */
  shanghaiXincun: '310104003001',
  /** 天平路街道 庆余居委会 (urban), a second community of the same street */
  qingyu: '310104003002',
  /** 徐汇区 湖南路街道, a second street of the same district */
  hunan: '310104004',
  /** 湖南路街道 淮中居委会 (urban) */
  huaizhong: '310104004001',
  /** 徐汇区 漕河泾新兴技术开发区 (kind special) */
  caohejing: '310104501',
  /** 漕河泾新兴技术开发区虚拟社区 (urban placeholder of the special unit) */
  caohejingCommunity: '310104501498',
  /** 浦东新区, another district */
  pudong: '310115',
  /** 浦东新区 潍坊新村街道 */
  weifang: '310115004',
  /** 潍坊新村街道 潍坊一村居委会 (urban) */
  weifangYicun: '310115004001',
  /** 静安区 (闸北区 310108 was merged into it in 2015) */
  jingan: '310106',
  /** 静安区 江宁路街道 */
  jiangning: '310106006',
  /** 黄浦区 (卢湾区 310103 was merged into it in 2011) */
  huangpu: '310101',
  /** 黄浦区 南京东路街道 */
  nanjingEast: '310101002',
  /** 崇明区 */
  chongming: '310151',
  /** 崇明区 城桥镇 (kind town) */
  chengqiao: '310151101',
  /** 城桥镇 城桥村村委会 (rural) */
  chengqiaoVillage: '310151101201',
} as const;

/** Actors for every role (jurisdiction = the division code of their area). */
export const ACTORS = {
  city: { id: 'u-city', role: 'city', jurisdiction: PLACES.city },
  xuhuiDistrict: { id: 'u-xuhui', role: 'district', jurisdiction: PLACES.xuhui },
  pudongDistrict: { id: 'u-pudong', role: 'district', jurisdiction: PLACES.pudong },
  chongmingDistrict: { id: 'u-chongming', role: 'district', jurisdiction: PLACES.chongming },
  jinganDistrict: { id: 'u-jingan', role: 'district', jurisdiction: PLACES.jingan },
  huangpuDistrict: { id: 'u-huangpu', role: 'district', jurisdiction: PLACES.huangpu },
  tianpingStreet: { id: 'u-tianping', role: 'street', jurisdiction: PLACES.tianping },
  hunanStreet: { id: 'u-hunan', role: 'street', jurisdiction: PLACES.hunan },
  caohejingOffice: { id: 'u-caohejing', role: 'street', jurisdiction: PLACES.caohejing },
  weifangStreet: { id: 'u-weifang', role: 'street', jurisdiction: PLACES.weifang },
  chengqiaoTown: { id: 'u-chengqiao', role: 'street', jurisdiction: PLACES.chengqiao },
  shanghaiXincunCommittee: {
    id: 'u-shxc',
    role: 'committee',
    jurisdiction: PLACES.shanghaiXincun,
  },
  qingyuCommittee: { id: 'u-qingyu', role: 'committee', jurisdiction: PLACES.qingyu },
  huaizhongCommittee: { id: 'u-huaizhong', role: 'committee', jurisdiction: PLACES.huaizhong },
  weifangYicunCommittee: {
    id: 'u-wfyc',
    role: 'committee',
    jurisdiction: PLACES.weifangYicun,
  },
  chengqiaoVillageCommittee: {
    id: 'u-cqc',
    role: 'committee',
    jurisdiction: PLACES.chengqiaoVillage,
  },
  auditor: { id: 'u-auditor', role: 'auditor', jurisdiction: PLACES.city },
  xuhuiAuditor: { id: 'u-auditor-xuhui', role: 'auditor', jurisdiction: PLACES.xuhui },
  pudongAuditor: { id: 'u-auditor-pudong', role: 'auditor', jurisdiction: PLACES.pudong },
} as const satisfies Record<string, Actor>;

/**
 * Unified Social Credit Codes. The first five are the check vectors of the data README; the
 * others were computed with an independent implementation of GB 32100 / GB 11714 (not the
 * project's) and are checked against the README's algorithm in uscc.spec.ts.
 */
export const USCC = {
  /** README vector: 52 social service institution, region 310115 浦东新区. */
  serviceInstitutionPudong: '52310115MJ00000187',
  /** README vector: 51 social group, region 310106 静安区. */
  socialGroupJingan: '51310106MJ00000264',
  /** README vector: 53 foundation, region 310000 (the city). */
  foundationCity: '53310000MJ0000034W',
  /** README vector: 53 foundation registered nationally (region 100000). */
  foundationNational: '53100000500019795A',
  /** README vector: national foundation. */
  foundationNational2: '53100000500021676K',
  /** 51 social group, region 310104 徐汇区. */
  socialGroupXuhui: '51310104MJ0000114M',
  /** 52 social service institution, region 310104 徐汇区. */
  serviceInstitutionXuhui: '52310104MJ0000122D',
  /** 53 foundation, region 310104 徐汇区. */
  foundationXuhui: '53310104MJ00001305',
  /** Retired region 310108 闸北区, social group. */
  retiredZhabei: '51310108MJ0000210Q',
  /** Retired region 310230 崇明县, social service institution. */
  retiredChongmingCounty: '52310230MJ0000229J',
  /** Retired region 310103 卢湾区, social group. */
  retiredLuwan: '51310103MJ00002378',
  /** Retired region 310119 南汇区, social service institution. */
  retiredNanhui: '52310119MJ00002456',
  /** 51 social group, national region 100000: refused for any community organization. */
  socialGroupNational: '51100000MJ0000501H',
  /** 53 foundation, region 310000: a second community foundation of the city. */
  foundationCity2: '53310000MJ000051XL',
} as const;

/** Codes that are wrong in exactly one way. */
export const BAD_USCC = {
  /** README: should end K. */
  wrongCheckCharacter: '53100000500020462H',
  /** README: should end D. */
  wrongCheckCharacter2: '531000005000074012',
  /** USCC check character right, GB 11714 organization-code check (17th) wrong. */
  wrongOrganizationCodeCheck: '51310104MJ00001109',
  /** Both checks right, but issued by market regulation (9), not civil affairs (5). */
  notCivilAffairs: '91310104MA1FL00156',
  /** Both checks right, civil affairs, but region 110101 (Beijing 东城区). */
  beijingRegion: '51110101MJ0000317H',
  /** Both checks right, civil affairs, but region 310199 is no Shanghai district. */
  unknownShanghaiRegion: '51310199MJ0000325Q',
  /** Both checks right, civil affairs type 9 (other): matches no legal form. */
  civilAffairsOther: '59310104MJ0000413T',
} as const;

/** Funders of each level over 天平路街道 (a grant's funder is the recorder's place or above it). */
export const FUNDERS = {
  city: { name: '上海市民政局', level: 'city', code: PLACES.city },
  xuhui: { name: '徐汇区民政局', level: 'district', code: PLACES.xuhui },
  tianping: { name: '天平路街道办事处', level: 'street', code: PLACES.tianping },
  shanghaiXincun: { name: '上海新村居委会', level: 'committee', code: PLACES.shanghaiXincun },
  foundation: {
    name: '上海市徐汇区天平社区基金会',
    level: 'foundation',
    code: USCC.foundationCity,
  },
} as const satisfies Record<string, Funder>;

export const TODAY = '2024-06-15';
export const TOMORROW = '2024-06-16';
export const FOUNDED_ON = '2020-03-01';
export const ORG_ID = 'org-0001';

export const CONTACT: EncryptedContact = { keyVersion: 1, ciphertext: 'AAECAwQFBgcICQoLDA0ODw==' };
export const OTHER_CONTACT: EncryptedContact = {
  keyVersion: 2,
  ciphertext: 'EBESExQVFhcYGRobHB0eHw==',
};
/** Resident founders' names as the writer seals them (stand-ins: the decider never opens them). */
export const SEALED_NAME: EncryptedContact = {
  keyVersion: 1,
  ciphertext: 'ICEiIyQlJicoKSorLC0uLw==',
};
export const OTHER_SEALED_NAME: EncryptedContact = {
  keyVersion: 1,
  ciphertext: 'MDEyMzQ1Njc4OTo7PD0+Pw==',
};

export function policy(overrides: Partial<OrganizationPolicy> = {}): OrganizationPolicy {
  return {
    divisions,
    activityLevels: { street: 100, district: 500 },
    teamsInSpecialUnits: true,
    governmentPurchaseRequiresRegistered: true,
    maxGrantFen: 10_000_000_000,
    ...overrides,
  };
}

export const decider = organizationDecider(policy());

// ---------------------------------------------------------------------------------------------
// Commands

type Overrides<C> = Partial<Omit<C, 'type'>>;

/** An activity group (社区活动小组) of 上海新村居委会, registered by its committee. */
export function registerGroup(o: Overrides<RegisterOrganization> = {}): RegisterOrganization {
  return {
    type: 'RegisterOrganization',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    organizationId: ORG_ID,
    name: '上海新村书画小组',
    category: 'culture-sports',
    tier: 'group',
    districtCode: PLACES.xuhui,
    streetCode: PLACES.tianping,
    communityCode: PLACES.shanghaiXincun,
    foundedOn: FOUNDED_ON,
    founders: [{ kind: 'resident', sealedName: SEALED_NAME }],
    contact: CONTACT,
    ...o,
  };
}

/** A mass activity team (群众活动团队) of 天平路街道, registered with its filing by the street. */
export function registerTeam(o: Overrides<RegisterOrganization> = {}): RegisterOrganization {
  return {
    type: 'RegisterOrganization',
    actor: ACTORS.tianpingStreet,
    today: TODAY,
    organizationId: ORG_ID,
    name: '天平路街道夕阳红舞蹈队',
    category: 'culture-sports',
    tier: 'team',
    filingNumber: 'XH-TP-2024-001',
    filedOn: '2024-05-20',
    districtCode: PLACES.xuhui,
    streetCode: PLACES.tianping,
    communityCode: PLACES.shanghaiXincun,
    foundedOn: FOUNDED_ON,
    founders: [
      { kind: 'resident', sealedName: OTHER_SEALED_NAME },
      { kind: 'unit', name: '天平路社区文化活动中心' },
    ],
    ...o,
  };
}

/** A registered social group (社区社会团体) of 徐汇区, registered by the district bureau. */
export function registerSocialGroup(o: Overrides<RegisterOrganization> = {}): RegisterOrganization {
  return {
    type: 'RegisterOrganization',
    actor: ACTORS.xuhuiDistrict,
    today: TODAY,
    organizationId: ORG_ID,
    name: '徐汇区天平社区睦邻协会',
    category: 'community-affairs',
    tier: 'registered',
    legalForm: 'social-group',
    uscc: USCC.socialGroupXuhui,
    districtCode: PLACES.xuhui,
    streetCode: PLACES.tianping,
    communityCode: PLACES.shanghaiXincun,
    foundedOn: FOUNDED_ON,
    founders: [{ kind: 'unit', name: '天平路街道社区服务中心' }],
    supervisoryUnit: '天平路街道办事处',
    ...o,
  };
}

/** A community foundation (社区基金会), registered by the city bureau. */
export function registerFoundation(o: Overrides<RegisterOrganization> = {}): RegisterOrganization {
  return {
    type: 'RegisterOrganization',
    actor: ACTORS.city,
    today: TODAY,
    organizationId: ORG_ID,
    name: '上海市徐汇区天平社区基金会',
    category: 'charity',
    tier: 'registered',
    legalForm: 'community-foundation',
    uscc: USCC.foundationCity,
    districtCode: PLACES.xuhui,
    streetCode: PLACES.tianping,
    communityCode: PLACES.shanghaiXincun,
    foundedOn: FOUNDED_ON,
    founders: [{ kind: 'unit', name: '徐汇区天平路街道办事处' }],
    ...o,
  };
}

export function fileTeam(o: Overrides<FileTeam> = {}): FileTeam {
  return {
    type: 'FileTeam',
    actor: ACTORS.tianpingStreet,
    today: TODAY,
    filingNumber: 'XH-TP-2024-009',
    filedOn: '2024-06-01',
    ...o,
  };
}

export function cancelFiling(o: Overrides<CancelFiling> = {}): CancelFiling {
  return {
    type: 'CancelFiling',
    actor: ACTORS.tianpingStreet,
    today: TODAY,
    reason: '年度清理：连续一年无活动',
    cancelledOn: '2024-06-10',
    ...o,
  };
}

export function promoteToTeam(o: Overrides<PromoteTier> = {}): PromoteTier {
  return {
    type: 'PromoteTier',
    actor: ACTORS.tianpingStreet,
    today: TODAY,
    toTier: 'team',
    filingNumber: 'XH-TP-2024-010',
    filedOn: '2024-06-05',
    ...o,
  };
}

export function promoteToRegistered(o: Overrides<PromoteTier> = {}): PromoteTier {
  return {
    type: 'PromoteTier',
    actor: ACTORS.xuhuiDistrict,
    today: TODAY,
    toTier: 'registered',
    legalForm: 'social-service-institution',
    uscc: USCC.serviceInstitutionXuhui,
    registeredOn: '2024-06-12',
    ...o,
  };
}

export function demote(o: Overrides<DemoteTier> = {}): DemoteTier {
  return {
    type: 'DemoteTier',
    actor: ACTORS.tianpingStreet,
    today: TODAY,
    toTier: 'group',
    reason: '规模缩小，不再符合备案条件',
    ...o,
  };
}

export function reportActivity(o: Overrides<ReportActivity> = {}): ReportActivity {
  return {
    type: 'ReportActivity',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    reportId: 'report-1',
    title: '重阳节书画义卖',
    kind: 'culture',
    startsOn: '2024-06-01',
    endsOn: '2024-06-02',
    communityCode: PLACES.shanghaiXincun,
    participants: 60,
    ...o,
  };
}

export function grantFunding(o: Overrides<GrantFunding> = {}): GrantFunding {
  return {
    type: 'GrantFunding',
    actor: ACTORS.tianpingStreet,
    today: TODAY,
    grantId: 'grant-1',
    channel: 'self-governance-fund',
    amountFen: 1_250_000,
    grantedOn: '2024-06-03',
    funder: FUNDERS.tianping,
    programme: '2024年社区自治项目',
    ...o,
  };
}

export function reclassify(o: Overrides<Reclassify> = {}): Reclassify {
  return {
    type: 'Reclassify',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    category: 'charity',
    criteria: '民政部社区社会组织最新统计口径',
    reason: '主要开展助老服务',
    ...o,
  };
}

export function recordEvaluation(o: Overrides<RecordEvaluation> = {}): RecordEvaluation {
  return {
    type: 'RecordEvaluation',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    period: '2023',
    evaluator: 'residents',
    grade: 'excellent',
    ...o,
  };
}

export function issueCorrectionNotice(
  o: Overrides<IssueCorrectionNotice> = {},
): IssueCorrectionNotice {
  return {
    type: 'IssueCorrectionNotice',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    noticeId: 'notice-1',
    reason: '活动噪音扰民',
    ...o,
  };
}

export function resolveCorrectionNotice(
  o: Overrides<ResolveCorrectionNotice> = {},
): ResolveCorrectionNotice {
  return {
    type: 'ResolveCorrectionNotice',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    noticeId: 'notice-1',
    ...o,
  };
}

export function changeParty(o: Overrides<ChangePartyOrganization> = {}): ChangePartyOrganization {
  return {
    type: 'ChangePartyOrganization',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    status: 'liaison',
    ...o,
  };
}

export function updateContact(o: Overrides<UpdateContact> = {}): UpdateContact {
  return {
    type: 'UpdateContact',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    contact: OTHER_CONTACT,
    ...o,
  };
}

export function erasePersonalData(o: Overrides<ErasePersonalData> = {}): ErasePersonalData {
  return {
    type: 'ErasePersonalData',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    ...o,
  };
}

export function dissolve(o: Overrides<Dissolve> = {}): Dissolve {
  return {
    type: 'Dissolve',
    actor: ACTORS.shanghaiXincunCommittee,
    today: TODAY,
    reason: '成员自愿解散',
    dissolvedOn: '2024-06-14',
    kind: 'deregistered',
    ...o,
  };
}
