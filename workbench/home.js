// The first screen: the to-do lists, the organizations of the official's place, and the
// registration form of the tier this level registers.

import { el, fill } from '/dashboard/dom.js';
import { get, Refusal } from './api.js';
import { commandForm, today } from './forms.js';
import { label, options } from './labels.js';
import { registersTier } from './permissions.js';
import { renderWorklists } from './worklists.js';

/** The registry's place filter for the official's own place. */
function placeQuery(user) {
  const key = { district: 'district', street: 'street', committee: 'community' }[user.role];
  return key ? `${key}=${user.jurisdiction}` : '';
}

async function renderList(container, user, q = '') {
  const params = new URLSearchParams(placeQuery(user));
  params.set('pageSize', '20');
  params.set('status', 'active');
  if (q) params.set('q', q);
  try {
    const page = await get(`/registry?${params.toString()}`);
    fill(
      container,
      el(
        'p',
        { class: 'muted' },
        `共 ${String(page.total)} 个组织${page.total > 20 ? '，显示前 20 个' : ''}`,
      ),
      el(
        'ul',
        { class: 'org-list', 'data-organizations': '' },
        ...page.items.map((o) =>
          el(
            'li',
            {},
            el('a', { href: `#/org/${o.id}`, 'data-org-link': o.id }, o.name),
            ` ${label('tiers', o.tier)}`,
          ),
        ),
      ),
    );
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    fill(container, el('p', { class: 'error' }, error.message));
  }
}

/** Where the new organization is based, chosen inside the official's own area. */
async function communityField(user) {
  const choice = (name, text, places) => ({
    name,
    label: text,
    type: 'select',
    required: true,
    options: places.map((p) => ({ code: p.code, label: `${p.name} ${p.code}` })),
  });
  if (user.role === 'committee') return [];
  const { children } = await get(`/divisions?parent=${user.jurisdiction}`);
  if (user.role === 'street') {
    // Placeholders (虚拟社区) are no one's base community.
    return [
      choice(
        'communityCode',
        '所在社区',
        children.filter((c) => !/虚拟/.test(c.name)),
      ),
    ];
  }
  return [
    choice('streetCode', '所在街镇', children),
    { name: 'communityCode', label: '所在社区代码', required: true, hint: '12 位社区代码' },
  ];
}

/** The codes above the official's own place, sent as they are. */
function placeFields(user) {
  const code = user.jurisdiction;
  const fixed = (name, value) => ({ name, type: 'fixed', value });
  if (user.role === 'committee')
    return [
      fixed('districtCode', code.slice(0, 6)),
      fixed('streetCode', code.slice(0, 9)),
      fixed('communityCode', code),
    ];
  if (user.role === 'street')
    return [fixed('districtCode', code.slice(0, 6)), fixed('streetCode', code)];
  return [fixed('districtCode', code)];
}

function tierFields(tier) {
  const date = (name, text) => ({
    name,
    label: text,
    type: 'date',
    value: today(),
    required: true,
  });
  if (tier === 'group') return [date('recordedOn', '记录日期')];
  if (tier === 'team')
    return [{ name: 'filingNumber', label: '备案号', required: true }, date('filedOn', '备案日期')];
  return [
    {
      name: 'legalForm',
      label: '法人类型',
      type: 'select',
      required: true,
      options: options('legalForms', ['social-group', 'social-service-institution']),
    },
    { name: 'uscc', label: '统一社会信用代码', required: true },
    date('registeredOn', '登记日期'),
    { name: 'supervisoryUnit', label: '业务主管单位' },
  ];
}

async function registerForm(user) {
  const tier = registersTier(user);
  const title = {
    group: '记录社区活动小组',
    team: '备案群众活动团队',
    registered: '登记注册社会组织',
  }[tier];
  return el(
    'details',
    { class: 'command-box', 'data-command': 'register' },
    el('summary', {}, `${title} register ${tier}`),
    commandForm({
      id: 'register',
      title,
      method: 'POST',
      path: '/organizations',
      fields: [
        { name: 'tier', type: 'fixed', value: tier },
        { name: 'name', label: '名称', required: true },
        {
          name: 'category',
          label: '类别',
          type: 'select',
          required: true,
          options: options('categories'),
        },
        ...placeFields(user),
        ...(await communityField(user)),
        { name: 'foundedOn', label: '成立日期', type: 'date', required: true },
        ...tierFields(tier),
        {
          name: 'founders[0].kind',
          label: '发起人类型',
          type: 'select',
          required: true,
          options: [
            { code: 'resident', label: '居民 resident' },
            { code: 'unit', label: '驻区单位 unit' },
          ],
        },
        { name: 'founders[0].name', label: '发起人姓名 / 单位名称', required: true },
        { name: 'contact.name', label: '联系人' },
        { name: 'contact.phone', label: '联系电话' },
      ],
      onDone: (answer) => {
        location.hash = `#/org/${answer.body.id}`;
      },
      onStale: () => undefined,
    }),
  );
}

export async function renderHome(main, user) {
  const worklists = el('section', { class: 'card' }, el('h2', {}, '待办'), el('div', {}));
  const list = el('div', {}, el('p', { class: 'muted' }, '正在载入…'));
  const search = el('input', { type: 'search', name: 'q', placeholder: '按名称查找' });
  const searchForm = el('form', { class: 'search', role: 'search' }, search);
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void renderList(list, user, search.value.trim());
  });
  const register = registersTier(user)
    ? el('section', { class: 'card' }, el('h2', {}, '登记'), await registerForm(user))
    : null;
  fill(
    main,
    worklists,
    register,
    el('section', { class: 'card' }, el('h2', {}, '本辖区组织'), searchForm, list),
  );
  await Promise.all([renderWorklists(worklists.lastElementChild, user), renderList(list, user)]);
}
