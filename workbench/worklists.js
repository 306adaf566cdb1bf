// The first screen's to-do lists (GET /worklists: counts; GET /worklists/{name}: the items,
// `{ items, total, page, pageSize }`, each with the organization's id, name, tier and place).
// Kept in this one module: the routes come from their own branch, and only this file knows
// their shape.

import { el, fill } from '/dashboard/dom.js';
import { count } from '/dashboard/format.js';
import { get, Refusal } from './api.js';
import { label } from './labels.js';

export const WORKLISTS = [
  { name: 'open-notices', label: '待解决的提醒纠正通知' },
  { name: 'unacknowledged-reports', label: '待接收的重大活动报告' },
  { name: 'inactive-teams', label: '长期无活动报告的团队和小组' },
  { name: 'missing-annual-reports', label: '未报上年度工作报告' },
  { name: 'expiring-grades', label: '90 天内到期的等级评估' },
  { name: 'abnormal', label: '活动异常名录' },
];

/** The levels that have to-do lists (auditors only read). */
const ROLES = ['committee', 'street', 'district', 'city'];

/** Each list's count, whichever shape the summary takes: `{ counts: { name: n } }`, `{ name: n }` or `[{ name, total }]`. */
function countsOf(answer) {
  const source = answer.counts ?? answer.worklists ?? answer;
  if (Array.isArray(source))
    return Object.fromEntries(source.map((w) => [w.name, w.total ?? w.count]));
  return Object.fromEntries(
    Object.entries(source).map(([name, v]) => [name, typeof v === 'object' ? v.total : v]),
  );
}

function itemRow(item) {
  const id = item.id ?? item.organizationId;
  const place = [item.districtCode, item.streetCode, item.communityCode]
    .filter(Boolean)
    .join(' / ');
  return el(
    'tr',
    { 'data-item': id },
    el('td', {}, el('a', { href: `#/org/${id}` }, item.name ?? id)),
    el('td', {}, item.tier ? label('tiers', item.tier) : ''),
    el('td', {}, place),
    el('td', { class: 'number' }, item.daysOpen === undefined ? '' : `${String(item.daysOpen)} 天`),
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
              el('tr', {}, ...['组织', '层级', '所在地', '已开'].map((h) => el('th', {}, h))),
            ),
            el('tbody', {}, ...page.items.map(itemRow)),
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
    counts = countsOf(await get('/worklists'));
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
