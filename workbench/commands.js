// The everyday commands as forms (API.md "Writes"), each offered only to the level that may
// use it on this organization.

import { el } from '/dashboard/dom.js';
import { commandForm, today } from './forms.js';
import { options } from './labels.js';
import { appraises, grants, manages } from './permissions.js';

/** A collapsible form: the title opens it. */
function section(spec) {
  return el(
    'details',
    { class: 'command-box', 'data-command': spec.id },
    el('summary', {}, spec.title),
    commandForm(spec),
  );
}

const date = (name, label) => ({ name, label, type: 'date', value: today(), required: true });

/** The forms on an organization's page for this official; `reload(message)` shows the new state. */
export function organizationForms(user, org, etag, reload) {
  if (org.status !== 'active') return [];
  const path = (tail) => `/organizations/${org.id}/${tail}`;
  const done = (title) => () => reload(`已办理：${title}`);
  const on = (spec) =>
    section({ method: 'POST', ifMatch: etag, onDone: done(spec.title), onStale: reload, ...spec });
  const forms = [];
  const managing = manages(user, org);
  if (user.role === 'street' && org.tier === 'team' && managing) {
    forms.push(
      on({
        id: 'file',
        title: '变更备案 OrganizationFiled',
        path: path('filings'),
        fields: [
          { name: 'filingNumber', label: '备案号', required: true },
          date('filedOn', '备案日期'),
        ],
      }),
    );
  }
  if (user.role === 'street' && org.tier === 'group' && org.street.code === user.jurisdiction) {
    forms.push(
      on({
        id: 'promote',
        title: '升级为群众活动团队（备案） promote → team',
        path: path('promotions'),
        fields: [
          { name: 'toTier', type: 'fixed', value: 'team' },
          { name: 'filingNumber', label: '备案号', required: true },
          date('filedOn', '备案日期'),
        ],
      }),
    );
  }
  if (
    user.role === 'district' &&
    org.tier !== 'registered' &&
    org.district.code === user.jurisdiction
  ) {
    forms.push(
      on({
        id: 'promote',
        title: '升级为注册社会组织 promote → registered',
        path: path('promotions'),
        fields: [
          { name: 'toTier', type: 'fixed', value: 'registered' },
          {
            name: 'legalForm',
            label: '法人类型',
            type: 'select',
            required: true,
            options: options('legalForms', ['social-group', 'social-service-institution']),
          },
          { name: 'uscc', label: '统一社会信用代码', required: true },
          date('registeredOn', '登记日期'),
        ],
      }),
    );
  }
  if (managing) {
    forms.push(
      on({
        id: 'reportActivity',
        title: '重大活动报告 ActivityReported',
        path: path('activity-reports'),
        fields: [
          { name: 'title', label: '活动名称', required: true },
          {
            name: 'kind',
            label: '活动类型',
            type: 'select',
            required: true,
            options: options('activityKinds'),
          },
          date('startsOn', '开始日期'),
          date('endsOn', '结束日期'),
          {
            name: 'communityCode',
            label: '活动社区代码',
            required: true,
            value: org.community?.code,
            hint: '12 位社区代码，须在本区内',
          },
          { name: 'participants', label: '参加人数', type: 'integer', required: true },
        ],
      }),
    );
  }
  if (grants(user, org)) {
    forms.push(
      on({
        id: 'grantFunding',
        title: '记录资助 FundingGranted',
        path: path('fundings'),
        fields: [
          {
            name: 'channel',
            label: '资金渠道',
            type: 'select',
            required: true,
            options: options('channels'),
          },
          {
            name: 'amountFen',
            label: '金额（元）',
            type: 'yuan',
            required: true,
            hint: '最多两位小数',
          },
          date('grantedOn', '资助日期'),
          { name: 'funder.name', label: '资助方名称', required: true },
          { name: 'funder.level', type: 'fixed', value: user.role },
          { name: 'funder.code', type: 'fixed', value: user.jurisdiction },
          { name: 'programme', label: '项目名称', required: true },
          {
            name: 'purpose',
            label: '用途代码',
            hint: '福彩公益金须填：elderly、disability、orphans、hardship',
          },
        ],
      }),
    );
  }
  if (managing) {
    forms.push(
      on({
        id: 'issueNotice',
        title: '发出提醒纠正通知 CorrectionNoticeIssued',
        path: path('correction-notices'),
        fields: [{ name: 'reason', label: '事由', type: 'textarea', required: true }],
      }),
    );
    for (const noticeId of org.openCorrectionNotices) {
      forms.push(
        on({
          id: `resolveNotice-${noticeId}`,
          title: `解决提醒纠正通知 ${noticeId.slice(0, 8)}`,
          path: path(`correction-notices/${noticeId}/resolution`),
          fields: [{ name: 'note', label: '说明', type: 'textarea' }],
        }),
      );
    }
  }
  if (appraises(user, org)) {
    forms.push(
      on({
        id: 'evaluate',
        title: '社区评议 EvaluationRecorded',
        path: path('evaluations'),
        fields: [
          {
            name: 'period',
            label: '评议期间',
            required: true,
            hint: '如 2025、2025-H1、2025-Q3、2025-07',
          },
          {
            name: 'evaluator',
            label: '评议方',
            type: 'select',
            required: true,
            value: user.role,
            options: options('evaluators'),
          },
          {
            name: 'grade',
            label: '等次',
            type: 'select',
            required: true,
            options: options('grades'),
          },
        ],
      }),
    );
  }
  return forms;
}

/** Receives (acknowledges) one activity report routed to this official. */
export function acknowledgeForm(report, etag, reload) {
  return section({
    id: `acknowledge-${report.reportId}`,
    title: '接收报告 acknowledge',
    method: 'POST',
    path: `/activity-reports/${report.reportId}/acknowledgement`,
    ifMatch: etag,
    fields: [date('acknowledgedOn', '接收日期')],
    onDone: () => reload('已接收活动报告'),
    onStale: reload,
  });
}
