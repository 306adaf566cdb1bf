import {
  ACTIVITY_SCOPE_LABELS,
  CATEGORY_LABELS,
  DISSOLUTION_KIND_LABELS,
  GRADE_LABELS,
  LEGAL_FORM_LABELS,
  TIER_LABELS,
  type ActivityScope,
  type Category,
  type DissolutionKind,
  type LegalForm,
  type SupportRoleHeld,
  type Tier,
} from '../organizations/domain/organization.types.js';
import { currentGrade } from './disclosed-entry.js';

const STATUS_LABELS: Record<string, string> = { active: '正常', dissolved: '已注销' };

/** 正常, or how it ended: 已注销, 已撤销, 已清理 or 已合并. */
function statusLabel(entry: Record<string, unknown>): unknown {
  const kind = entry['dissolutionKind'] as DissolutionKind | null | undefined;
  if (entry['status'] === 'dissolved' && kind) return `已${DISSOLUTION_KIND_LABELS[kind]}`;
  return STATUS_LABELS[String(entry['status'])] ?? entry['status'];
}

/** Columns of the registry export: Chinese headers, labels for enums, money in fen as stored. */
export const registryCsvColumns = [
  { key: 'name', header: '名称' },
  { key: 'categoryLabel', header: '类别' },
  { key: 'tierLabel', header: '层级' },
  { key: 'legalFormLabel', header: '组织形式' },
  { key: 'uscc', header: '统一社会信用代码' },
  { key: 'filingNumber', header: '备案编号' },
  { key: 'districtName', header: '区' },
  { key: 'streetName', header: '街镇' },
  { key: 'communityName', header: '社区' },
  { key: 'activityScopeLabel', header: '活动范围' },
  { key: 'statusLabel', header: '状态' },
  // Business dates; empty where one does not apply to the organization's tier.
  { key: 'foundedOn', header: '成立日期' },
  { key: 'registeredOn', header: '登记日期' },
  { key: 'filedOn', header: '备案日期' },
  { key: 'recordedOn', header: '记录日期' },
  { key: 'tierSince', header: '现层级起始日期' },
  { key: 'dissolvedOn', header: '注销日期' },
  { key: 'mergedInto', header: '合并至组织编号' },
  { key: 'fundingTotalFen', header: '资助总额（分）' },
  { key: 'activityCount', header: '重大活动报告数' },
  { key: 'evaluationGrade', header: '最近评估等级' },
  { key: 'annualReportYear', header: '年报年度' },
  { key: 'annualReportOnTime', header: '年报是否按时' },
  { key: 'formalGrade', header: '评估等级' },
  { key: 'formalGradeValidUntil', header: '等级有效期至' },
  { key: 'abnormalListedOn', header: '列入异常名录日期' },
  { key: 'abnormalReason', header: '列入异常名录原因' },
  // `federation:310104003 310104004; incubation-base:310104003`, the roles' codes as in the JSON.
  { key: 'supportRolesText', header: '支持平台角色' },
  { key: 'incubationBaseId', header: '孵化基地组织编号' },
  { key: 'incubationSince', header: '入驻孵化日期' },
  { key: 'id', header: '组织编号' },
];

/**
 * The row of the CSV for one registry entry: the columns' values, labels in place of codes.
 *
 * Only the exported columns, built key by key, rather than the entry spread into a copy with its
 * labels added (`{ ...entry, categoryLabel, … }`): V8 promoted ~3.7 KB per such copy to the old
 * space (270 MB for the city's 73,599 entries, against 32 MB for reading and parsing them), which
 * a server with ~45 MB live lets grow to ~4 times that before collecting it: one city export took
 * the server from 147 to 320–340 MB (VmHWM). With these rows, 147 to ~175 MB.
 */
export function csvRecord(entry: Record<string, unknown>, today: string): Record<string, unknown> {
  const evaluation = entry['latestEvaluation'] as { grade?: string } | null;
  const report = entry['annualReport'] as { year: number; onTime: boolean } | null | undefined;
  const grade = currentGrade(entry, today);
  const abnormal = entry['abnormal'] as { listedOn: string; reason: string } | null | undefined;
  const roles = (entry['supportRoles'] ?? []) as readonly SupportRoleHeld[];
  const incubation = entry['incubation'] as { baseId: string; since: string } | null | undefined;
  const labels: Record<string, unknown> = {
    supportRolesText: roles.map((r) => `${r.role}:${r.streets.join(' ')}`).join('; '),
    incubationBaseId: incubation?.baseId ?? '',
    incubationSince: incubation?.since ?? '',
    categoryLabel: CATEGORY_LABELS[entry['category'] as Category],
    tierLabel: TIER_LABELS[entry['tier'] as Tier],
    legalFormLabel: entry['legalForm'] ? LEGAL_FORM_LABELS[entry['legalForm'] as LegalForm] : '',
    statusLabel: statusLabel(entry),
    activityScopeLabel: entry['activityScope']
      ? ACTIVITY_SCOPE_LABELS[entry['activityScope'] as ActivityScope]
      : '',
    evaluationGrade: evaluation?.grade
      ? ((GRADE_LABELS as Partial<Record<string, string>>)[evaluation.grade] ?? evaluation.grade)
      : '',
    annualReportYear: report?.year ?? '',
    annualReportOnTime: report ? (report.onTime ? '是' : '否') : '',
    formalGrade: grade?.grade ?? '',
    formalGradeValidUntil: grade?.validUntil ?? '',
    abnormalListedOn: abnormal?.listedOn ?? '',
    abnormalReason: abnormal?.reason ?? '',
  };
  const record: Record<string, unknown> = {};
  for (const { key } of registryCsvColumns) {
    record[key] = Object.hasOwn(labels, key) ? labels[key] : entry[key];
  }
  return record;
}
