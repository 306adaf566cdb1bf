// The dashboard's wiring: the place filter and the month picker (kept in the URL), the routes
// each panel reads, and each panel's own loading and error state, so one failing route never
// blanks the page.

import { getJson, query } from './api.js';
import { el, fill } from './dom.js';
import * as f from './format.js';
import * as panels from './panels.js';

/** Each panel and the read routes it needs (routes shared by panels are fetched once). */
const PANELS = {
  headline: ['overview'],
  targets: ['targets'],
  below: ['targets'],
  categories: ['overview'],
  timeline: ['timeline'],
  funding: ['funding'],
  activity: ['activity'],
  platforms: ['platforms'],
};

/** The month-end (`YYYY-MM`) the overview, targets and platforms show; '' for today. */
let asOf = '';
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const dated = (extra = {}) => (asOf ? { ...extra, asOf } : extra);

const ROUTES = {
  overview: (place) => `/statistics/overview${query(place, dated())}`,
  targets: (place) => `/statistics/targets${query(place, dated({ pageSize: 10 }))}`,
  timeline: (place) => `/statistics/timeline${query(place)}`,
  funding: (place) => `/statistics/funding${query(place)}`,
  activity: (place) => `/activity-reports${query(place, { pageSize: 1 })}`,
  // Coverage is counted per 街镇 of a district: a street or community shows its district's.
  platforms: (place) => `/statistics/platforms${query({ district: place.district }, dated())}`,
};

const LEVELS = ['district', 'street', 'community'];
const ALL = { district: '全市', street: '全部街镇', community: '全部社区' };

const selects = {
  district: document.getElementById('filter-district'),
  street: document.getElementById('filter-street'),
  community: document.getElementById('filter-community'),
};
const filterError = document.getElementById('filter-error');
const filterPlace = document.getElementById('filter-place');
const asOfInput = document.getElementById('filter-as-of');
// Months not yet ended cannot be asked for (the current one shows its figures so far).
asOfInput.max = new Date().toISOString().slice(0, 7);

/** The place last shown: the month picker reloads it. */
let current = {};

/** Bumped on every filter change: answers of an older filter are dropped. */
let generation = 0;

function placeFromUrl() {
  const params = new URLSearchParams(window.location.search);
  const place = {};
  const patterns = { district: /^\d{6}$/, street: /^\d{9}$/, community: /^\d{12}$/ };
  for (const level of LEVELS) {
    const code = params.get(level);
    if (code && patterns[level].test(code)) place[level] = code;
    else break;
  }
  return place;
}

function asOfFromUrl() {
  const month = new URLSearchParams(window.location.search).get('asOf');
  return month && MONTH.test(month) ? month : '';
}

function showFilterError(message) {
  filterError.textContent = message;
  filterError.hidden = message === '';
}

/** Fills one select with the children of `parent` and selects `code` when it is one of them. */
async function fillSelect(level, parent, code) {
  const select = selects[level];
  const options = [el('option', { value: '' }, ALL[level])];
  if (level !== 'district' && !parent) {
    select.replaceChildren(...options);
    select.disabled = true;
    return undefined;
  }
  const answer = await getJson(`/divisions${parent ? `?parent=${parent}` : ''}`);
  for (const child of answer.children) {
    const label = child.kind === 'special' ? `${child.name}（园区）` : child.name;
    options.push(el('option', { value: child.code }, label));
  }
  select.replaceChildren(...options);
  select.disabled = false;
  const known = answer.children.find((c) => c.code === code);
  select.value = known ? code : '';
  return known;
}

/**
 * Brings the selects in line with `place`; codes that are not children of the level above are
 * dropped (with a note), so a mistyped shared link still shows the nearest valid view.
 */
async function syncFilter(place) {
  const valid = {};
  const names = ['上海市'];
  let parent;
  let dropped;
  try {
    for (const level of LEVELS) {
      const wanted = dropped ? undefined : place[level];
      const known = await fillSelect(level, level === 'district' ? undefined : parent, wanted);
      if (wanted && !known) dropped = wanted;
      if (!known) {
        for (const rest of LEVELS.slice(LEVELS.indexOf(level) + 1)) await fillSelect(rest);
        break;
      }
      valid[level] = known.code;
      names.push(known.name);
      parent = known.code;
    }
    showFilterError(dropped ? `地址中的地区代码 ${dropped} 无效，已显示上一级范围。` : '');
  } catch (error) {
    showFilterError(`无法读取地区列表：${error.message}`);
    return { place, names: ['（地区列表不可用）'] };
  }
  return { place: valid, names };
}

function partsOf(section) {
  return {
    section,
    title: section.querySelector('h2'),
    status: section.querySelector('[data-status]'),
    metrics: section.querySelector('[data-metrics]'),
    summary: section.querySelector('[data-summary]'),
    chart: section.querySelector('[data-chart]'),
    table: section.querySelector('[data-table]'),
    streets: section.querySelector('[data-streets]'),
    details: section.querySelector('[data-streets-details]'),
  };
}

function setState(part, state, message, placeCode) {
  part.section.dataset.state = state;
  part.section.dataset.place = placeCode;
  part.status.textContent = message;
}

const labelsPromise = getJson('/dashboard/labels.json');

/** Loads every panel for `place`; each panel settles on its own. */
async function render(place) {
  const mine = ++generation;
  const placeCode = place.community ?? place.street ?? place.district ?? '310000';
  const fetched = new Map();
  const route = (name) => {
    if (!fetched.has(name)) fetched.set(name, getJson(ROUTES[name](place)));
    return fetched.get(name);
  };
  await Promise.all(
    Object.entries(PANELS).map(async ([name, routes]) => {
      const part = partsOf(document.querySelector(`[data-panel="${name}"]`));
      setState(part, 'loading', '正在加载…', placeCode);
      try {
        const [labels, ...answers] = await Promise.all([labelsPromise, ...routes.map(route)]);
        if (mine !== generation) return;
        const data = Object.fromEntries(routes.map((r, i) => [r, answers[i]]));
        panels[name](part, data, labels, place);
        setState(part, 'ready', '', placeCode);
      } catch (error) {
        if (mine !== generation) return;
        setState(part, 'error', `本栏数据暂时无法加载。${error.message}`, placeCode);
      }
    }),
  );
}

async function freshness() {
  const line = document.getElementById('freshness');
  try {
    const health = await getJson('/health');
    const lag = Math.max(0, ...health.projections.map((p) => p.lag));
    line.textContent =
      lag === 0
        ? `数据已同步（${f.count(health.eventStore.headPosition)} 条事件）· ${f.moment(new Date())}`
        : `统计数据同步中，尚有 ${f.count(lag)} 条事件待处理 · ${f.moment(new Date())}`;
  } catch (error) {
    line.textContent = `无法读取数据状态：${error.message}`;
  }
}

async function show(place) {
  asOfInput.value = asOf;
  const synced = await syncFilter(place);
  current = synced.place;
  const [year, month] = asOf.split('-');
  const when = asOf ? ` · 截至 ${year}年${Number(month)}月底` : '';
  fill(filterPlace, `当前范围：${synced.names.join(' › ')}${when}`);
  document.title = `${synced.names[synced.names.length - 1]} · 社区社会组织发展看板`;
  await Promise.all([render(synced.place), freshness()]);
  return synced.place;
}

function urlOf(place) {
  const q = query(place, asOf ? { asOf } : {});
  return `${window.location.pathname}${q}`;
}

async function choose(level) {
  const place = {};
  for (const l of LEVELS) {
    if (selects[l].value) place[l] = selects[l].value;
    if (l === level) break;
  }
  window.history.pushState(place, '', urlOf(place));
  await show(place);
}

for (const level of LEVELS) {
  selects[level].addEventListener('change', () => {
    void choose(level);
  });
}
document.getElementById('filter-reset').addEventListener('click', () => {
  window.history.pushState({}, '', urlOf({}));
  void show({});
});
/** Shows the figures as of `month` (or today for ''), for the place shown. */
function showAsOf(month) {
  asOf = MONTH.test(month) ? month : '';
  window.history.pushState(current, '', urlOf(current));
  void show(current);
}
asOfInput.addEventListener('change', () => showAsOf(asOfInput.value));
document.getElementById('filter-as-of-latest').addEventListener('click', () => showAsOf(''));
window.addEventListener('popstate', () => {
  asOf = asOfFromUrl();
  void show(placeFromUrl());
});

asOf = asOfFromUrl();
const shown = await show(placeFromUrl());
// A link with an invalid code is corrected in the address bar, so sharing it again works.
window.history.replaceState(shown, '', urlOf(shown));
