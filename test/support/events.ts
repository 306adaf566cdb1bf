/**
 * Domain events for any organization, with sensible defaults that a test overrides: the
 * "given" histories of the decider tests (for ORG_ID) and the logs the projections fold.
 */
import type {
  OrganizationEvent,
  OrganizationRegistered,
} from '../../src/organizations/domain/organization.events.js';
import type {
  ActivityKind,
  ActivityLevel,
  Category,
  DissolutionKind,
  Funder,
  FundingChannel,
  Grade,
  LegalForm,
  PartyOrganizationStatus,
  Tier,
} from '../../src/organizations/domain/organization.types.js';
import {
  CONTACT,
  FOUNDED_ON,
  FUNDERS,
  OTHER_SEALED_NAME,
  PLACES,
  SEALED_NAME,
  USCC,
} from './fixtures.js';

type RegisteredData = Omit<OrganizationRegistered['data'], 'organizationId'>;

/** An activity group of 上海新村居委会 (天平路街道, 徐汇区), with founders and a contact. */
export function groupRegistered(
  organizationId: string,
  o: Partial<RegisteredData> = {},
): OrganizationRegistered {
  return {
    type: 'OrganizationRegistered',
    data: {
      organizationId,
      name: '上海新村书画小组',
      category: 'culture-sports',
      tier: 'group',
      districtCode: PLACES.xuhui,
      streetCode: PLACES.tianping,
      communityCode: PLACES.shanghaiXincun,
      foundedOn: FOUNDED_ON,
      recordedOn: '2021-01-10',
      activityScope: 'community',
      founders: [{ kind: 'resident', sealedName: SEALED_NAME }],
      contact: CONTACT,
      ...o,
    },
  };
}

/**
 * A team registered directly by its street: OrganizationRegistered (no date of its own) then
 * OrganizationFiled, whose `filedOn` dates the registration.
 */
export function teamRegistered(
  organizationId: string,
  o: Partial<RegisteredData> & { readonly filedOn?: string } = {},
  filingNumber = 'XH-TP-2022-003',
): OrganizationEvent[] {
  const { filedOn = '2022-04-01', ...data } = o;
  const registered = groupRegistered(organizationId, {
    name: '天平路街道夕阳红舞蹈队',
    tier: 'team',
    activityScope: 'street',
    founders: [
      { kind: 'resident', sealedName: OTHER_SEALED_NAME },
      { kind: 'unit', name: '天平路社区文化活动中心' },
    ],
    ...data,
  });
  const { recordedOn: _group, ...teamData } = registered.data;
  return [{ ...registered, data: teamData }, filed(organizationId, filingNumber, filedOn)];
}

/** A registered social group of 徐汇区 (no community), with a supervisory unit. */
export function socialGroupRegistered(
  organizationId: string,
  o: Partial<RegisteredData> = {},
): OrganizationRegistered {
  return {
    type: 'OrganizationRegistered',
    data: {
      organizationId,
      name: '徐汇区天平社区睦邻协会',
      category: 'community-affairs',
      tier: 'registered',
      legalForm: 'social-group',
      uscc: USCC.socialGroupXuhui,
      districtCode: PLACES.xuhui,
      streetCode: PLACES.tianping,
      foundedOn: '2019-05-01',
      registeredOn: '2021-02-01',
      activityScope: 'district',
      founders: [{ kind: 'unit', name: '天平路街道社区服务中心' }],
      supervisoryUnit: '天平路街道办事处',
      contact: CONTACT,
      ...o,
    },
  };
}

/** A community foundation of 徐汇区, registered by the city bureau. */
export function foundationRegistered(
  organizationId: string,
  o: Partial<RegisteredData> = {},
): OrganizationRegistered {
  return socialGroupRegistered(organizationId, {
    name: '上海市徐汇区天平社区基金会',
    category: 'charity',
    legalForm: 'community-foundation',
    uscc: USCC.foundationCity,
    supervisoryUnit: undefined,
    ...o,
  });
}

export function filed(
  organizationId: string,
  filingNumber: string,
  filedOn: string,
): OrganizationEvent {
  return { type: 'OrganizationFiled', data: { organizationId, filingNumber, filedOn } };
}

export function filingAmended(
  organizationId: string,
  filingNumber: string,
  previousFilingNumber: string,
  filedOn = '2023-01-05',
): OrganizationEvent {
  return {
    type: 'FilingAmended',
    data: { organizationId, filingNumber, filedOn, previousFilingNumber },
  };
}

export function filingCancelled(
  organizationId: string,
  filingNumber: string,
  cancelledOn = '2024-03-10',
): OrganizationEvent {
  return {
    type: 'FilingCancelled',
    data: { organizationId, filingNumber, reason: '年度清理：连续一年无活动', cancelledOn },
  };
}

export function promoted(
  organizationId: string,
  fromTier: Tier,
  toTier: Tier,
  promotedOn: string,
  credentials: { legalForm?: LegalForm; uscc?: string } = {},
): OrganizationEvent {
  return {
    type: 'TierPromoted',
    data: { organizationId, fromTier, toTier, promotedOn, ...credentials },
  };
}

export function demoted(
  organizationId: string,
  fromTier: Tier,
  toTier: Tier,
  demotedOn: string,
): OrganizationEvent {
  return {
    type: 'TierDemoted',
    data: { organizationId, fromTier, toTier, reason: '规模缩小', demotedOn },
  };
}

export interface ActivityOptions {
  readonly reportId: string;
  readonly startsOn?: string;
  readonly endsOn?: string;
  readonly participants?: number;
  readonly level?: ActivityLevel;
  readonly kind?: ActivityKind;
  readonly title?: string;
  readonly communityCode?: string;
  readonly streetCode?: string;
  readonly districtCode?: string;
}

export function activityReported(organizationId: string, o: ActivityOptions): OrganizationEvent {
  return {
    type: 'ActivityReported',
    data: {
      organizationId,
      reportId: o.reportId,
      title: o.title ?? '重阳节书画义卖',
      kind: o.kind ?? 'culture',
      startsOn: o.startsOn ?? '2024-06-01',
      endsOn: o.endsOn ?? o.startsOn ?? '2024-06-02',
      communityCode: o.communityCode ?? PLACES.shanghaiXincun,
      streetCode: o.streetCode ?? PLACES.tianping,
      districtCode: o.districtCode ?? PLACES.xuhui,
      participants: o.participants ?? 60,
      level: o.level ?? 'community',
      reportedOn: '2024-06-15',
    },
  };
}

export interface GrantOptions {
  readonly grantId: string;
  readonly amountFen: number;
  readonly grantedOn: string;
  readonly channel?: FundingChannel;
  readonly purpose?: string;
  readonly purposeDescription?: string;
  readonly programme?: string;
  /** By default the street office; for a welfare-lottery grant the district bureau. */
  readonly funder?: Funder;
}

export function fundingGranted(organizationId: string, o: GrantOptions): OrganizationEvent {
  return {
    type: 'FundingGranted',
    data: {
      organizationId,
      grantId: o.grantId,
      channel: o.channel ?? 'self-governance-fund',
      amountFen: o.amountFen,
      currency: 'CNY',
      grantedOn: o.grantedOn,
      funder: o.funder ?? (o.channel === 'welfare-lottery' ? FUNDERS.xuhui : FUNDERS.tianping),
      programme: o.programme ?? '社区自治项目',
      ...(o.purpose !== undefined && { purpose: o.purpose }),
      ...(o.purposeDescription !== undefined && { purposeDescription: o.purposeDescription }),
    },
  };
}

export function reclassified(
  organizationId: string,
  fromCategory: Category,
  toCategory: Category,
): OrganizationEvent {
  return {
    type: 'OrganizationReclassified',
    data: {
      organizationId,
      fromCategory,
      toCategory,
      criteria: '民政部社区社会组织最新统计口径',
      reason: '主要开展助老服务',
      reclassifiedOn: '2024-02-02',
    },
  };
}

export function evaluated(
  organizationId: string,
  period: string,
  grade: Grade,
  evaluatedOn = '2024-01-20',
): OrganizationEvent {
  return {
    type: 'EvaluationRecorded',
    data: { organizationId, period, evaluator: 'residents', grade, evaluatedOn },
  };
}

export function partyChanged(
  organizationId: string,
  from: PartyOrganizationStatus,
  to: PartyOrganizationStatus,
): OrganizationEvent {
  return {
    type: 'PartyOrganizationChanged',
    data: { organizationId, from, to, changedOn: '2023-07-01' },
  };
}

export function dissolved(
  organizationId: string,
  dissolvedOn = '2024-01-31',
  kind: DissolutionKind = 'deregistered',
  mergedInto?: string,
): OrganizationEvent {
  return {
    type: 'OrganizationDissolved',
    data: {
      organizationId,
      reason: '成员自愿解散',
      dissolvedOn,
      kind,
      ...(mergedInto !== undefined && { mergedInto }),
    },
  };
}

export function contactUpdated(organizationId: string): OrganizationEvent {
  return {
    type: 'ContactUpdated',
    data: { organizationId, contact: { keyVersion: 2, ciphertext: 'EBESExQVFhcYGRobHB0eHw==' } },
  };
}

export function noticeIssued(organizationId: string, noticeId: string): OrganizationEvent {
  return {
    type: 'CorrectionNoticeIssued',
    data: { organizationId, noticeId, reason: '活动噪音扰民', issuedOn: '2024-02-01' },
  };
}

export function renamed(organizationId: string, from: string, name: string): OrganizationEvent {
  return {
    type: 'OrganizationRenamed',
    data: { organizationId, from, name, renamedOn: '2024-03-01' },
  };
}

/** Moved from 上海新村 (天平路街道, 徐汇区) unless `from` says otherwise. */
export function moved(
  organizationId: string,
  to: { districtCode: string; streetCode: string; communityCode?: string },
  from: { districtCode: string; streetCode: string; communityCode?: string } = {
    districtCode: PLACES.xuhui,
    streetCode: PLACES.tianping,
    communityCode: PLACES.shanghaiXincun,
  },
): OrganizationEvent {
  return {
    type: 'OrganizationMoved',
    data: { organizationId, ...to, from, movedOn: '2024-04-01' },
  };
}

export function acknowledged(
  organizationId: string,
  reportId: string,
  level: 'community' | 'street' | 'district' = 'community',
  acknowledgedOn = '2024-06-20',
): OrganizationEvent {
  return {
    type: 'ActivityReportAcknowledged',
    data: { organizationId, reportId, level, acknowledgedOn },
  };
}
