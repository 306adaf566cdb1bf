// The officials' workbench: sign in, see what needs doing, act on an organization.
// Routes: #/ the first screen, #/org/<id> an organization's page.

import { el, fill } from '/dashboard/dom.js';
import { get, Refusal } from './api.js';
import { completeSignIn, developmentSignIn, isCallback, startSignIn } from './auth.js';
import { renderHome } from './home.js';
import { label, loadLabels, options } from './labels.js';
import { renderOrganization } from './organization.js';
import { currentToken, dropSession, sessionKind } from './session.js';

const main = document.getElementById('main');
const status = document.getElementById('status');

function say(text, state = 'info') {
  status.textContent = text;
  status.dataset.state = state;
}

/** A select filled from GET /divisions (the place picker of the development sign-in). */
async function placeSelect(parent, name) {
  const { children } = await get(`/divisions${parent ? `?parent=${parent}` : ''}`);
  return el(
    'select',
    { name },
    ...children.map((c) => el('option', { value: c.code }, `${c.name} ${c.code}`)),
  );
}

/** Pick a role and a place; the server mints a local token (development mode only). */
async function developmentForm() {
  const role = el(
    'select',
    { name: 'role' },
    ...options('roles').map((o) => el('option', { value: o.code }, o.label)),
  );
  const places = el('div', { class: 'places' });
  const depth = () => ({ city: 0, auditor: 1, district: 1, street: 2, committee: 3 })[role.value];
  const levels = ['district', 'street', 'community'];
  // Keeps the places chosen down to `index`, and fills in the levels below it the role needs.
  const extend = async (index) => {
    const kept = [...places.children].slice(0, index + 1);
    while (kept.length < depth()) {
      const at = kept.length;
      const select = await placeSelect(kept.at(-1)?.value ?? '', levels[at]);
      select.addEventListener('change', () => void extend(at));
      kept.push(select);
    }
    fill(places, ...kept.slice(0, depth()));
  };
  role.addEventListener('change', () => void extend(places.children.length - 1));
  await extend(-1);
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    { class: 'card dev-sign-in', 'data-sign-in': 'development' },
    el('h2', {}, '开发模式登录'),
    el(
      'p',
      { class: 'warning' },
      '仅限开发环境：不经身份认证，选择角色和地区即可登录。生产环境和配置了 OIDC_ISSUER 时不存在此入口。',
    ),
    el('label', { class: 'field' }, el('span', {}, '角色'), role),
    el('div', { class: 'field' }, el('span', {}, '地区'), places),
    el('button', { type: 'submit' }, '登录（开发模式）'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = [...places.querySelectorAll('select')].pop();
    void developmentSignIn(role.value, chosen?.value ?? '310000')
      .then(() => location.reload())
      .catch((e) => (error.textContent = e.message));
  });
  return form;
}

async function renderSignIn(config) {
  if (config.signIn === 'oidc') {
    const button = el('button', { type: 'button', 'data-sign-in': 'oidc' }, '通过统一身份认证登录');
    button.addEventListener('click', () => void startSignIn(config));
    fill(
      main,
      el(
        'section',
        { class: 'card' },
        el('h2', {}, '登录'),
        el('p', {}, '请使用政务统一身份认证账号登录。'),
        button,
      ),
    );
  } else if (config.signIn === 'development') {
    fill(main, await developmentForm());
  } else {
    fill(main, el('p', { class: 'error' }, `工作台无法登录：${config.reason}`));
  }
}

function renderUser(user) {
  const out = el('button', { type: 'button', 'data-sign-out': '' }, '退出');
  out.addEventListener('click', () => {
    dropSession();
    location.assign('/workbench');
  });
  fill(
    document.getElementById('user'),
    el(
      'span',
      { 'data-user': user.role, 'data-jurisdiction': user.jurisdiction },
      `${label('roles', user.role)} · ${user.jurisdictionName ?? user.jurisdiction}`,
      sessionKind() === 'development' ? el('b', { class: 'dev-badge' }, ' 开发模式') : null,
    ),
    out,
  );
}

async function route(user) {
  const match = /^#\/org\/([0-9a-fA-F-]{36})$/.exec(location.hash);
  say('');
  if (match) await renderOrganization(main, user, match[1]);
  else await renderHome(main, user);
  main.dataset.ready = location.hash || '#/';
}

async function boot() {
  const [config] = await Promise.all([get('/workbench/config'), loadLabels()]);
  if (isCallback()) {
    try {
      const back = await completeSignIn(config);
      history.replaceState(null, '', `/workbench${back}`);
    } catch (error) {
      history.replaceState(null, '', '/workbench');
      say(`登录未完成：${error.message}`, 'error');
    }
  }
  if (!currentToken()) {
    await renderSignIn(config);
    return;
  }
  let user;
  try {
    user = await get('/whoami');
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    dropSession();
    say(`登录已失效：${error.message}`, 'error');
    await renderSignIn(config);
    return;
  }
  renderUser(user);
  window.addEventListener('hashchange', () => void route(user));
  await route(user);
}

boot().catch((error) => say(`工作台出错：${error.message}`, 'error'));
