// An organization's page: its current state (GET /organizations/{id}, with its ETag), its
// contact and resident founders' names only where the server chose to show them, the forms
// this official may use on it, its activity reports, and its history as a timeline.

import { el, fill } from '/dashboard/dom.js';
import { moment, yuan } from '/dashboard/format.js';
import { call, get, Refusal } from './api.js';
import { organizationForms, acknowledgeForm } from './commands.js';
import { label } from './labels.js';
import { receives, writes } from './permissions.js';

/** Data fields a timeline entry may show: business facts, never sealed or personal values. */
const SHOWN = [
  'name',
  'tier',
  'toTier',
  'filingNumber',
  'uscc',
  'title',
  'participants',
  'level',
  'reason',
  'note',
  'period',
  'grade',
  'channel',
  'amountFen',
  'programme',
  'status',
  'kind',
  'year',
];

function facts(data) {
  const parts = [];
  for (const key of SHOWN) {
    const value = data[key];
    if (value === undefined || value === null || typeof value === 'object') continue;
    parts.push(key === 'amountFen' ? yuan(value) : String(value));
  }
  for (const [key, value] of Object.entries(data)) {
    if (/On$/.test(key) && typeof value === 'string') parts.push(`${key} ${value}`);
  }
  return parts.join(' · ');
}

function timeline(history) {
  return el(
    'ol',
    { class: 'timeline', 'data-timeline': '' },
    ...[...history]
      .reverse()
      .map((entry) =>
        el(
          'li',
          { 'data-event': entry.type, 'data-revision': entry.revision },
          el('span', { class: 'when' }, moment(new Date(entry.metadata.recordedAt))),
          el('strong', {}, `${label('events', entry.type)} `, el('code', {}, entry.type)),
          el('span', { class: 'who' }, label('roles', entry.metadata.role)),
          el('span', { class: 'facts' }, facts(entry.data)),
        ),
      ),
  );
}

/** The activity reports of the history, each with its acknowledgement if any. */
function reportsOf(history) {
  const reports = new Map();
  for (const { type, data } of history) {
    if (type === 'ActivityReported') reports.set(data.reportId, { ...data });
    if (type === 'ActivityReportAcknowledged') {
      const report = reports.get(data.reportId);
      if (report) report.acknowledgedOn = data.acknowledgedOn;
    }
  }
  return [...reports.values()];
}

function row(term, value, attributes = {}) {
  return [el('dt', {}, term), el('dd', attributes, value ?? '—')];
}

function founders(list) {
  return el(
    'ul',
    { class: 'founders', 'data-founders': '' },
    ...list.map((f) =>
      el(
        'li',
        { 'data-founder-kind': f.kind },
        f.kind === 'unit' ? '驻区单位' : '居民',
        f.name ? `：${f.name}` : f.nameErased ? '（个人信息已删除）' : '（姓名不可见）',
      ),
    ),
  );
}

function stateOf(org) {
  const place = [org.district.name, org.street.name, org.community?.name]
    .filter(Boolean)
    .join(' › ');
  return el(
    'dl',
    { class: 'facts-list', 'data-state': '' },
    ...row('类别', `${org.labels.category}（${org.category}）`),
    ...row('层级', `${org.labels.tier}（${org.tier}）`, { 'data-value': 'tier' }),
    ...row('状态', org.status === 'active' ? '存续' : `已终止（${org.dissolutionKind}）`),
    ...row('所在社区', place),
    ...row('成立日期', org.foundedOn),
    ...row('统一社会信用代码', org.uscc),
    ...row('备案号', org.filing?.number),
    ...row('资助', `${String(org.grantCount)} 笔，${yuan(org.fundingTotalFen)}`),
    ...row('待解决的提醒纠正', String(org.openCorrectionNotices.length), {
      'data-value': 'open-notices',
    }),
    ...row(
      '最近评议',
      org.latestEvaluation
        ? `${org.latestEvaluation.period} ${label('grades', org.latestEvaluation.grade)}`
        : null,
    ),
    ...row('发起人', founders(org.founders)),
    // Shown only when the server sent it: the levels the organization belongs to, never auditors.
    ...(org.contact === undefined
      ? []
      : row(
          '联系人',
          org.contact === 'erased'
            ? '（个人信息已删除）'
            : `${org.contact.name} ${org.contact.phone}`,
          { 'data-value': 'contact' },
        )),
  );
}

function reportsTable(user, reports, etag, reload) {
  if (reports.length === 0) return el('p', { class: 'muted' }, '暂无重大活动报告');
  return el(
    'ul',
    { class: 'reports' },
    ...reports.map((r) =>
      el(
        'li',
        { 'data-report': r.reportId },
        el('strong', {}, r.title),
        ` ${r.startsOn}–${r.endsOn}，${String(r.participants)} 人，${label('activityLevels', r.level)}`,
        r.acknowledgedOn
          ? el('span', { class: 'done' }, ` 已接收 ${r.acknowledgedOn}`)
          : receives(user, r)
            ? acknowledgeForm(r, etag, reload)
            : el('span', { class: 'muted' }, ' 待接收'),
      ),
    ),
  );
}

/** Renders the organization `id` into `main`; `notice` is a message to show on top. */
export async function renderOrganization(main, user, id, notice = '') {
  fill(main, el('p', { class: 'muted' }, '正在载入组织…'));
  let org;
  let etag;
  let history;
  try {
    ({ body: org, etag } = await call('GET', `/organizations/${encodeURIComponent(id)}`));
    history = await get(`/organizations/${encodeURIComponent(id)}/history`);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const why =
      error.status === 403
        ? '无权查看：该组织不在您的辖区内'
        : error.status === 404
          ? '没有这个组织'
          : error.message;
    fill(main, el('p', { class: 'error', 'data-refused': String(error.status) }, why));
    return;
  }
  const reload = (message) => renderOrganization(main, user, id, message);
  const forms = writes(user) ? organizationForms(user, org, etag, reload) : [];
  fill(
    main,
    el('p', { class: 'notice', 'data-notice': '' }, notice),
    el(
      'section',
      { class: 'card', 'data-organization': org.id, 'data-etag': etag },
      el('h2', {}, org.name),
      stateOf(org),
    ),
    el(
      'section',
      { class: 'card' },
      el('h3', {}, '办理'),
      forms.length === 0 ? el('p', { class: 'muted' }, '您对该组织没有可办理的事项') : null,
      ...forms,
    ),
    el(
      'section',
      { class: 'card' },
      el('h3', {}, '重大活动报告'),
      reportsTable(user, reportsOf(history), etag, reload),
    ),
    el('section', { class: 'card' }, el('h3', {}, '历史记录'), timeline(history)),
  );
}
