/** Value types of the organization domain, with the Chinese labels used for display. */

export const ROLES = ['city', 'district', 'street', 'committee', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role =>
  (ROLES as readonly string[]).includes(value);

/** Who issues a command: the role and jurisdiction come from the caller's token. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  /** Division code: 310000 for the city, 6 digits district, 9 street, 12 community. */
  readonly jurisdiction: string;
}

export const CATEGORIES = [
  'charity',
  'life-service',
  'community-affairs',
  'culture-sports',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<Category, string> = {
  charity: '公益慈善类',
  'life-service': '生活服务类',
  'community-affairs': '社区事务类',
  'culture-sports': '文体活动类',
};

/** Ordered from the lowest tier up. */
export const TIERS = ['group', 'team', 'registered'] as const;
export type Tier = (typeof TIERS)[number];
export const TIER_LABELS: Record<Tier, string> = {
  group: '社区活动小组',
  team: '群众活动团队',
  registered: '注册社会组织',
};

export const LEGAL_FORMS = [
  'social-group',
  'social-service-institution',
  'community-foundation',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];
export const LEGAL_FORM_LABELS: Record<LegalForm, string> = {
  'social-group': '社会团体',
  'social-service-institution': '社会服务机构',
  'community-foundation': '社区基金会',
};
/** Second character of a civil-affairs USCC for each legal form (GB 32100: 51, 52, 53). */
export const LEGAL_FORM_USCC_TYPE: Record<LegalForm, string> = {
  'social-group': '1',
  'social-service-institution': '2',
  'community-foundation': '3',
};

export const FUNDING_CHANNELS = [
  'welfare-lottery',
  'government-purchase',
  'venture-philanthropy',
  'subsidy',
  'transfer-payment',
  'self-governance-fund',
  'community-foundation',
  'other',
] as const;
export type FundingChannel = (typeof FUNDING_CHANNELS)[number];
export const FUNDING_CHANNEL_LABELS: Record<FundingChannel, string> = {
  'welfare-lottery': '福利彩票公益金',
  'government-purchase': '政府购买服务',
  'venture-philanthropy': '公益创投',
  subsidy: '财政补贴',
  'transfer-payment': '转移支付',
  'self-governance-fund': '社区自治金',
  'community-foundation': '社区基金会资助',
  other: '其他',
};

/** Purposes a welfare-lottery grant may serve (扶老、助残、救孤、济困). */
export const WELFARE_LOTTERY_PURPOSES = ['elderly', 'disability', 'orphans', 'hardship'] as const;
/**
 * The policy's list ends in 等: another welfare purpose is accepted as `other-welfare` with a
 * description (purposeDescription).
 */
export const OTHER_WELFARE = 'other-welfare';

export const FUNDER_LEVELS = ['city', 'district', 'street', 'committee', 'foundation'] as const;
export type FunderLevel = (typeof FUNDER_LEVELS)[number];

export const ACTIVITY_KINDS = [
  'volunteer-service',
  'public-service',
  'consultation',
  'mediation',
  'culture',
  'sports',
  'education',
  'emergency',
  'other',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ACTIVITY_LEVELS = ['community', 'street', 'district'] as const;
export type ActivityLevel = (typeof ACTIVITY_LEVELS)[number];

/**
 * Where an organization is active (活动范围, DOMAIN §3): its base community, its street or its
 * district. A group's is always its community; a team may be street-wide while based in one
 * community.
 */
export const ACTIVITY_SCOPES = ['community', 'street', 'district'] as const;
export type ActivityScope = (typeof ACTIVITY_SCOPES)[number];
export const ACTIVITY_SCOPE_LABELS: Record<ActivityScope, string> = {
  community: '社区',
  street: '街镇',
  district: '区',
};
/** The scope of a tier when the registration names none. */
export const DEFAULT_ACTIVITY_SCOPE: Record<Tier, ActivityScope> = {
  group: 'community',
  team: 'street',
  registered: 'district',
};

export const PARTY_ORGANIZATION_STATUSES = [
  'none',
  'own-branch',
  'joint-branch',
  'liaison',
  'instructor',
] as const;
export type PartyOrganizationStatus = (typeof PARTY_ORGANIZATION_STATUSES)[number];
export const PARTY_ORGANIZATION_STATUS_LABELS: Record<PartyOrganizationStatus, string> = {
  none: '未覆盖',
  'own-branch': '单独组建党组织',
  'joint-branch': '联合组建党组织',
  liaison: '选派党建联络员',
  instructor: '选派党建指导员',
};
/** A branch of its own or a joint one: organizational coverage (组织覆盖). */
export const ORGANIZATIONAL_COVERAGE: readonly PartyOrganizationStatus[] = [
  'own-branch',
  'joint-branch',
];
/** Organizational coverage, or a liaison or instructor: work coverage (工作覆盖). */
export const WORK_COVERAGE: readonly PartyOrganizationStatus[] = [
  ...ORGANIZATIONAL_COVERAGE,
  'liaison',
  'instructor',
];

/**
 * Who appraised the organization (评议): its residents, its committee or its street. The
 * committee or the street records it; a committee's or a street's own appraisal only by itself.
 */
export const EVALUATORS = ['residents', 'committee', 'street'] as const;
export type Evaluator = (typeof EVALUATORS)[number];
export const EVALUATOR_LABELS: Record<Evaluator, string> = {
  residents: '居民评议',
  committee: '居（村）委会评议',
  street: '街镇评议',
};
/** The community appraisal's grades, best first (优秀 / 良好 / 合格 / 不合格). */
export const GRADES = ['excellent', 'good', 'pass', 'fail'] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_LABELS: Record<Grade, string> = {
  excellent: '优秀',
  good: '良好',
  pass: '合格',
  fail: '不合格',
};

/**
 * How an organization ended: 注销 (voluntary), 撤销 (a sanction), 清理 (the clean-up of inactive
 * groups and teams) or 合并 (merged into a surviving organization).
 */
export const DISSOLUTION_KINDS = ['deregistered', 'revoked', 'cleared', 'merged'] as const;
export type DissolutionKind = (typeof DISSOLUTION_KINDS)[number];
export const DISSOLUTION_KIND_LABELS: Record<DissolutionKind, string> = {
  deregistered: '注销',
  revoked: '撤销',
  cleared: '清理',
  merged: '合并',
};

export const FOUNDER_KINDS = ['resident', 'unit'] as const;
export type FounderKind = (typeof FOUNDER_KINDS)[number];
/** A founder as a registration names it, in plaintext (before the writer seals it). */
export interface Founder {
  readonly kind: FounderKind;
  readonly name: string;
}

/** A unit (单位) founder: its name is not personal data and stays plain. */
export interface UnitFounder {
  readonly kind: 'unit';
  readonly name: string;
}
/**
 * A resident founder as events hold it since OrganizationRegistered v3: the name is personal
 * data (DOMAIN §7), sealed with the organization's key like the contact, so erasing the key
 * erases it.
 */
export interface SealedResidentFounder {
  readonly kind: 'resident';
  /** The sealed JSON `{ name }`. */
  readonly sealedName: SealedValue;
}
/**
 * A resident founder of an event stored before v3 (v1, v2), lifted on read: its name is in
 * plaintext in the immutable log and cannot be crypto-shredded; it is shown only where a sealed
 * name would be, and never after an erasure.
 */
export interface LegacyResidentFounder {
  readonly kind: 'resident';
  readonly plaintextName: string;
}
/** A resident founder whose name was erased (state only, after PersonalDataErased). */
export interface ErasedResidentFounder {
  readonly kind: 'resident';
  readonly nameErased: true;
}
/** A founder as a registration command and a v3 event carry it. */
export type SealedFounder = UnitFounder | SealedResidentFounder;
/** A founder as OrganizationRegistered carries it once lifted to the current version. */
export type RecordedFounder = SealedFounder | LegacyResidentFounder;
/** A founder as the organization's state keeps it. */
export type FounderOnFile = RecordedFounder | ErasedResidentFounder;

export interface Funder {
  readonly name: string;
  readonly level: FunderLevel;
  readonly code: string;
}

/**
 * Personal data as events hold it: a small JSON value encrypted with a per-organization key kept
 * outside the log, so deleting the key erases it (crypto-shredding).
 */
export interface SealedValue {
  /** The version of the organization's key it was sealed with. */
  readonly keyVersion: number;
  /** base64 of iv ‖ auth tag ‖ ciphertext of the value as JSON. */
  readonly ciphertext: string;
}

/** Contact details (the JSON `{ name, phone }`), sealed. */
export type EncryptedContact = SealedValue;

/** A calendar date `YYYY-MM-DD` (business dates are Shanghai local dates). */
export type IsoDate = string;

/** The formal grades of the 等级评估, lowest first: 1A to 5A. */
export const FORMAL_GRADES = ['1A', '2A', '3A', '4A', '5A'] as const;
export type FormalGrade = (typeof FORMAL_GRADES)[number];

/** How long a formal grade is valid from its award (DOMAIN §4). */
export const FORMAL_GRADE_VALID_YEARS = 5;

/**
 * The outcome of a spot check (抽查): passed, ordered to rectify by a deadline (限期整改, which
 * opens a correction notice), or failed.
 */
export const SPOT_CHECK_RESULTS = ['passed', 'rectify', 'failed'] as const;
export type SpotCheckResult = (typeof SPOT_CHECK_RESULTS)[number];
export const SPOT_CHECK_RESULT_LABELS: Record<SpotCheckResult, string> = {
  passed: '合格',
  rectify: '限期整改',
  failed: '不合格',
};
/**
 * The support network's roles (DOMAIN §3, the policy's 联合支持平台): a registered organization
 * assigned one serves the streets (街镇) named with it.
 */
export const SUPPORT_ROLES = [
  'federation',
  'service-centre',
  'incubation-base',
  'social-work-station',
] as const;
export type SupportRole = (typeof SUPPORT_ROLES)[number];
export const SUPPORT_ROLE_LABELS: Record<SupportRole, string> = {
  federation: '联合会',
  'service-centre': '服务中心',
  'incubation-base': '孵化基地',
  'social-work-station': '社工站',
};
/** A role an organization holds and the streets it serves in it. */
export interface SupportRoleHeld {
  readonly role: SupportRole;
  readonly streets: readonly string[];
}

/** How an incubation (孵化) ends: the organization graduated (出壳) or withdrew. */
export const INCUBATION_OUTCOMES = ['graduated', 'withdrawn'] as const;
export type IncubationOutcome = (typeof INCUBATION_OUTCOMES)[number];
