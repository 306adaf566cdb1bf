// The first screen's to-do lists: GET /worklists answers `{ on, scope, counts: { name: n } }`,
// GET /worklists/{name} a page `{ items, total, page, pageSize, on }`, each item with the
// organization's id (`organizationId`), name, tier and place codes and the list's own facts.

import { el, fill } from '/dashboard/dom.js';
import { count } from '/dashboard/format.js';
import { get, Refusal } from './api.js';
import { label } from './labels.js';

/** Each list with its heading and the column of its own fact. */
export const WORKLISTS = [
  {
    name: 'open-notices',
    label: '待解决的提醒纠正通知',
    fact: ['已开', (i) => `${String(i.daysOpen)} 天`],
  },
  {
    name: 'unacknowledged-reports',
    label: '待接收的重大活动报告',
    fact: ['已等待', (i) => `${i.title}：${String(i.waitingDays)} 天`],
  },
  {
    name: 'inactive-teams',
    label: '长期无活动报告的团队和小组',
    fact: ['最近报告', (i) => i.lastReportedOn ?? `无（自 ${i.quietSince}）`],
  },
  {
    name: 'missing-annual-reports',
    label: '未报上年度工作报告',
    fact: ['应报年度', (i) => `${String(i.year)}（${i.overdue ? '已逾期' : `${i.dueOn} 前`}）`],
  },
  {
    name: 'expiring-grades',
    label: '90 天内到期的等级评估',
    fact: ['有效期至', (i) => `${i.grade} ${i.validUntil}`],
  },
  { name: 'abnormal', label: '活动异常名录', fact: ['列入', (i) => `${i.listedOn} ${i.reason}`] },
];

/** The levels that have to-do lists (auditors only read). */
const ROLES = ['committee', 'street', 'district', 'city'];

function itemRow(worklist, item) {
  const id = item.organizationId;
  const place = [item.districtCode, item.streetCode, item.communityCode]
    .filter(Boolean)
    .join(' / ');
  return el(
    'tr',
    { 'data-item': id },
    el('td', {}, el('a', { href: `#/org/${id}` }, item.name ?? id)),
    el('td', {}, item.tier ? label('tiers', item.tier) : ''),
    el('td', {}, place),
    el('td', {}, worklist.fact[1](item)),
  );
}

async function showList(target, worklist) {
  fill(target, el('p', { class: 'muted' }, '正在载入…'));
  try {
    const page = await get(`/worklists/${worklist.name}?page=1&pageSize=50`);
    fill(
      target,
      el('h3', {}, `${worklist.label}（共 ${count(page.total)} 项）`),
      page.items.length === 0
        ? el('p', { class: 'muted' }, '没有待办事项')
        : el(
            'table',
            { 'data-worklist-items': worklist.name },
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ...['组织', '层级', '所在地', worklist.fact[0]].map((h) => el('th', {}, h)),
              ),
            ),
            el('tbody', {}, ...page.items.map((item) => itemRow(worklist, item))),
          ),
    );
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    fill(target, el('p', { class: 'error' }, error.message));
  }
}

/** The counts as cards; a card opens its list below them. */
export async function renderWorklists(container, user) {
  if (!ROLES.includes(user.role)) {
    fill(container);
    return;
  }
  let counts;
  try {
    ({ counts } = await get('/worklists'));
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    fill(
      container,
      el(
        'p',
        { class: 'muted', 'data-worklists': 'unavailable' },
        `待办清单暂不可用（${error.message}）`,
      ),
    );
    return;
  }
  const list = el('div', { class: 'worklist' });
  const cards = WORKLISTS.map((w) => {
    const card = el(
      'button',
      { type: 'button', class: 'count-card', 'data-worklist': w.name },
      el('span', { class: 'count', 'data-count': w.name }, count(counts[w.name] ?? 0)),
      el('span', {}, w.label),
    );
    card.addEventListener('click', () => void showList(list, w));
    return card;
  });
  fill(container, el('div', { class: 'cards', 'data-worklists': 'ready' }, ...cards), list);
}
