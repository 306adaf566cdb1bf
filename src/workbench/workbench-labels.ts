import type { OrganizationEvent } from '../organizations/domain/organization.events.js';
import { dashboardLabels } from '../dashboard/dashboard-labels.js';
import {
  ACTIVITY_KINDS,
  EVALUATOR_LABELS,
  EVALUATORS,
  FUNDER_LEVELS,
  GRADE_LABELS,
  GRADES,
  LEGAL_FORM_LABELS,
  LEGAL_FORMS,
  ROLES,
  type ActivityKind,
  type FunderLevel,
  type Role,
} from '../organizations/domain/organization.types.js';

/** The activity kinds of API.md, as the forms name them. */
const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  'volunteer-service': '志愿服务',
  'public-service': '公共服务',
  consultation: '协商议事',
  mediation: '矛盾调解',
  culture: '文化活动',
  sports: '体育健身',
  education: '教育培训',
  emergency: '应急救援',
  other: '其他',
};

const FUNDER_LEVEL_LABELS: Record<FunderLevel, string> = {
  city: '市级',
  district: '区级',
  street: '街镇级',
  committee: '居（村）委会',
  foundation: '基金会',
};

const ROLE_LABELS: Record<Role, string> = {
  city: '市民政局',
  district: '区民政局',
  street: '街道 / 镇',
  committee: '居委会 / 村委会',
  auditor: '审计',
};

/** What the workbench's history timeline calls each event: every type has one (checked by tsc). */
const EVENT_LABELS: Record<OrganizationEvent['type'], string> = {
  OrganizationRegistered: '登记 / 记录',
  OrganizationFiled: '备案',
  FilingAmended: '变更备案',
  FilingCancelled: '注销备案',
  TierPromoted: '升级',
  TierDemoted: '降级',
  ActivityReported: '重大活动报告',
  ActivityReportAcknowledged: '活动报告已接收',
  FundingGranted: '资助',
  OrganizationReclassified: '调整类别',
  EvaluationRecorded: '社区评议',
  CorrectionNoticeIssued: '发出提醒纠正通知',
  CorrectionNoticeResolved: '提醒纠正已解决',
  PartyOrganizationChanged: '党组织状况变更',
  ContactUpdated: '联系人变更',
  PersonalDataErased: '个人信息已删除',
  OrganizationDissolved: '终止',
  OrganizationRenamed: '更名',
  OrganizationMoved: '迁移',
  SupervisoryUnitChanged: '业务主管单位变更',
  ProfileUpdated: '基本情况更新',
  AnnualReportRecorded: '年度工作报告',
  SpotCheckRecorded: '抽查',
  GradeAwarded: '等级评估',
  AbnormalListed: '列入活动异常名录',
  AbnormalCleared: '移出活动异常名录',
  SupportRoleAssigned: '承担支持平台职能',
  SupportRoleRevoked: '撤销支持平台职能',
  IncubationEntered: '入驻孵化',
  IncubationEnded: '结束孵化',
};

type Vocabulary = ReadonlyArray<{ code: string; label: string }>;

const vocabulary = <Code extends string>(
  codes: readonly Code[],
  labels: Record<Code, string>,
): Vocabulary => codes.map((code) => ({ code, label: labels[code] }));

/** The dashboard's vocabularies and the ones the workbench's forms and timeline add. */
export function workbenchLabels(): Record<string, Vocabulary> {
  return {
    ...dashboardLabels(),
    legalForms: vocabulary(LEGAL_FORMS, LEGAL_FORM_LABELS),
    activityKinds: vocabulary(ACTIVITY_KINDS, ACTIVITY_KIND_LABELS),
    funderLevels: vocabulary(FUNDER_LEVELS, FUNDER_LEVEL_LABELS),
    evaluators: vocabulary(EVALUATORS, EVALUATOR_LABELS),
    grades: vocabulary(GRADES, GRADE_LABELS),
    roles: vocabulary(ROLES, ROLE_LABELS),
    events: Object.entries(EVENT_LABELS).map(([code, label]) => ({ code, label })),
  };
}
