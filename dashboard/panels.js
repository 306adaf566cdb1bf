// The eight panels: each turns the JSON of its read routes into figures, a chart and a table.

import { chart, el, emptyChart, fill, table } from './dom.js';
import * as f from './format.js';

const LEVEL_NAMES = { city: '全市', district: '区', street: '街镇', community: '社区' };
const CHILD_NAMES = { city: '各区', district: '各街镇', street: '各社区', community: '本社区' };

/**
 * Headline counts: active organizations by tier, party coverage (organizational: an own or joint
 * branch; work: a branch, a liaison or an instructor), special units.
 */
export function headline(part, { overview }, labels) {
  const metric = (key, label, value, note) =>
    el(
      'div',
      { 'data-metric': key },
      el('dt', {}, label),
      el('dd', {}, value, note ? el('small', {}, ` ${note}`) : null),
    );
  fill(
    part.metrics,
    metric('total', '正常运行的社区社会组织', f.count(overview.total), '个'),
    ...labels.tiers.map((t) => metric(t.code, t.label, f.count(overview.byTier[t.code]), '个')),
    metric(
      'party-organizational',
      '党的组织覆盖率',
      f.percent(overview.partyCoverage.organizational.share),
      `${f.count(overview.partyCoverage.organizational.count)} 个`,
    ),
    metric(
      'party-work',
      '党的工作覆盖率',
      f.percent(overview.partyCoverage.work.share),
      `${f.count(overview.partyCoverage.work.count)} 个`,
    ),
    metric('special', '其中：开发区、农场、园区内', f.count(overview.inSpecialUnits), '个'),
  );
}

/** A dashed line at the target, drawn only where there are communities of that kind. */
function targetLine(figures) {
  if (figures.communities === 0) return undefined;
  return {
    symbol: 'none',
    label: { position: 'insideEndTop', formatter: `目标 ${f.count(figures.target)}` },
    data: [{ yAxis: figures.target }],
  };
}

/**
 * What the averages leave out: organizations not attributed to a community, and the special units
 * whose only community is a placeholder, with the organizations based at them.
 */
function outside(t) {
  const units = t.unitsWithoutCommunities;
  if (t.notAttributed === 0 && units.length === 0) return null;
  const atUnits = units.reduce((s, u) => s + u.organizations, 0);
  const named = units
    .filter((u) => u.organizations > 0)
    .map((u) => `${u.name} ${f.count(u.organizations)} 个`)
    .join('、');
  return el(
    'p',
    { 'data-kind': 'outside', class: 'panel-note' },
    '不计入平均：未归属社区的组织 ',
    el('strong', { 'data-value': 'not-attributed' }, f.count(t.notAttributed)),
    ' 个；无实体社区的开发区、农场、园区 ',
    el('strong', { 'data-value': 'units' }, f.count(units.length)),
    ' 个，单独列示其组织 ',
    el('strong', { 'data-value': 'at-units' }, f.count(atUnits)),
    ' 个',
    named === '' ? '。' : `（${named}）。`,
  );
}

/** Averages per urban and rural community against 12 / 7, and the same one level down. */
export function targets(part, { targets: t }) {
  const level = t.place.level;
  part.title.textContent = `${CHILD_NAMES[level]}对标 12 / 7 目标`;
  const summary = (kind, name, unit, figures) => {
    if (figures.communities === 0) {
      return el('p', { 'data-kind': kind }, `本范围内无${unit}`);
    }
    return el(
      'p',
      { 'data-kind': kind, class: figures.met ? 'met' : 'unmet' },
      `${name}平均 `,
      el('strong', { 'data-value': 'average' }, f.average(figures.average)),
      ` 个 / 目标 ${f.count(figures.target)} 个`,
      el('br'),
      `${f.count(figures.communities)} 个${unit}共 ${f.count(figures.organizations)} 个组织，` +
        `${f.count(figures.belowTarget)} 个未达标${figures.met ? '（已达标）' : ''}`,
    );
  };
  fill(
    part.summary,
    summary('urban', '城市社区', '居委会', t.urban),
    summary('rural', '农村社区', '村委会', t.rural),
    outside(t),
  );
  const children = t.children;
  const value = (figures) => (figures.communities === 0 ? '-' : figures.average);
  chart(part.chart, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: children.length > 8 ? 90 : 40 },
    xAxis: {
      type: 'category',
      data: children.map((c) => c.name),
      axisLabel: { rotate: children.length > 8 ? 45 : 0, interval: 0, fontSize: 11 },
    },
    // Up to the targets at least, so the gap to 12 / 7 shows at a glance.
    yAxis: {
      type: 'value',
      name: '个 / 社区',
      max: (extent) => Math.ceil(Math.max(extent.max, t.urban.target, t.rural.target) * 1.1),
    },
    dataZoom: children.length > 30 ? [{ type: 'slider', bottom: 0, endValue: 29 }] : [],
    series: [
      {
        name: '城市社区平均',
        type: 'bar',
        data: children.map((c) => value(c.urban)),
        markLine: targetLine(t.urban),
      },
      {
        name: '农村社区平均',
        type: 'bar',
        data: children.map((c) => value(c.rural)),
        markLine: targetLine(t.rural),
      },
    ],
  });
  const cells = (figures) =>
    figures.communities === 0
      ? ['—', '—', '—']
      : [f.count(figures.communities), f.count(figures.organizations), f.average(figures.average)];
  fill(
    part.table,
    table(
      [
        {
          label:
            LEVEL_NAMES[
              level === 'city' ? 'district' : level === 'district' ? 'street' : 'community'
            ],
        },
        { label: '居委会', number: true },
        { label: '组织数', number: true },
        { label: '平均', number: true },
        { label: '村委会', number: true },
        { label: '组织数', number: true },
        { label: '平均', number: true },
      ],
      children.map((c) => [c.name, ...cells(c.urban), ...cells(c.rural)]),
      ['合计', ...cells(t.urban), ...cells(t.rural)],
    ),
  );
}

/** The communities furthest below their target. */
export function below(part, { targets: t }) {
  const page = t.belowTarget;
  if (page.total === 0) {
    fill(part.summary, '所选范围内的社区均已达到目标。');
    fill(part.table);
    return;
  }
  fill(
    part.summary,
    el('span', { 'data-value': 'below-total' }, f.count(page.total)),
    ` 个社区未达标（居委会 ${f.count(t.urban.belowTarget)} 个、村委会 ${f.count(t.rural.belowTarget)} 个），` +
      `以下是差距最大的 ${f.count(page.items.length)} 个：`,
  );
  fill(
    part.table,
    table(
      [
        { label: '社区' },
        { label: '类型' },
        { label: '街镇' },
        { label: '区' },
        { label: '现有', number: true },
        { label: '目标', number: true },
        { label: '差额', number: true },
      ],
      page.items.map((c) => [
        c.name,
        c.kind === 'urban' ? '居委会' : '村委会',
        c.streetName,
        c.districtName,
        f.count(c.organizations),
        f.count(c.target),
        f.count(c.shortfall),
      ]),
    ),
  );
}

/** Active organizations by category × tier. */
export function categories(part, { overview }, labels) {
  const cells = overview.byCategoryAndTier;
  if (overview.total === 0) emptyChart(part.chart, '所选范围内暂无正常运行的组织');
  else {
    chart(part.chart, {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 90, right: 24, top: 36, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: labels.categories.map((c) => c.label), inverse: true },
      series: labels.tiers.map((t) => ({
        name: t.label,
        type: 'bar',
        stack: 'tier',
        data: labels.categories.map((c) => cells[c.code][t.code]),
      })),
    });
  }
  fill(
    part.table,
    table(
      [
        { label: '类别' },
        ...labels.tiers.map((t) => ({ label: t.label, number: true })),
        { label: '合计', number: true },
      ],
      labels.categories.map((c) => [
        c.label,
        ...labels.tiers.map((t) => f.count(cells[c.code][t.code])),
        f.count(overview.byCategory[c.code]),
      ]),
      [
        '合计',
        ...labels.tiers.map((t) => f.count(overview.byTier[t.code])),
        f.count(overview.total),
      ],
    ),
  );
}

/**
 * Registrations, promotions and dissolutions (退出) by business month, the dissolutions also by
 * kind: 注销, 撤销, 清理, 合并.
 */
export function timeline(part, { timeline: t }, labels) {
  const months = t.months;
  const sum = (key) => months.reduce((s, m) => s + m[key], 0);
  const kindSum = (kind) => months.reduce((s, m) => s + m.dissolutionsByKind[kind], 0);
  const kinds = labels.dissolutionKinds;
  if (months.length === 0) {
    fill(part.summary, '所选范围内暂无登记记录。');
    emptyChart(part.chart);
    fill(part.table);
    return;
  }
  fill(
    part.summary,
    `${f.month(months[0].month)}至${f.month(months[months.length - 1].month)}：登记 `,
    el('span', { 'data-value': 'registrations' }, f.count(sum('registrations'))),
    ' 个，晋级 ',
    el('span', { 'data-value': 'promotions' }, f.count(sum('promotions'))),
    ' 次，退出 ',
    el('span', { 'data-value': 'dissolutions' }, f.count(sum('dissolutions'))),
    ' 个（',
    ...kinds.flatMap((k, i) => [
      i === 0 ? `${k.label} ` : `、${k.label} `,
      el('span', { 'data-value': `dissolutions-${k.code}` }, f.count(kindSum(k.code))),
    ]),
    '）',
  );
  const series = [
    ['registrations', '登记'],
    ['promotions', '晋级'],
    ['dissolutions', '退出'],
  ];
  chart(part.chart, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 60 },
    xAxis: { type: 'category', data: months.map((m) => f.month(m.month)) },
    yAxis: { type: 'value', minInterval: 1 },
    dataZoom: [{ type: 'slider', bottom: 8 }],
    series: series.map(([key, name]) => ({
      name,
      type: 'line',
      showSymbol: false,
      data: months.map((m) => m[key]),
    })),
  });
  fill(
    part.table,
    table(
      [
        { label: '月份' },
        ...series.map(([, name]) => ({ label: name, number: true })),
        ...kinds.map((k) => ({ label: `其中${k.label}`, number: true })),
      ],
      months.map((m) => [
        f.month(m.month),
        ...series.map(([key]) => f.count(m[key])),
        ...kinds.map((k) => f.count(m.dissolutionsByKind[k.code])),
      ]),
      [
        '合计',
        ...series.map(([key]) => f.count(sum(key))),
        ...kinds.map((k) => f.count(kindSum(k.code))),
      ],
    ),
  );
}

/** Funding by channel and year, in 元 from integer fen. */
export function funding(part, { funding: totals }, labels) {
  const rows = totals.totals;
  if (rows.length === 0) {
    fill(part.summary, '所选范围内暂无资助记录。');
    emptyChart(part.chart);
    fill(part.table);
    return;
  }
  const years = [...new Set(rows.map((r) => r.year))].sort();
  const channels = labels.channels.filter((c) => rows.some((r) => r.channel === c.code));
  const amount = (year, channel) =>
    rows.find((r) => r.year === year && r.channel === channel)?.amountFen ?? 0;
  const fen = rows.reduce((s, r) => s + r.amountFen, 0);
  const grants = rows.reduce((s, r) => s + r.grants, 0);
  fill(
    part.summary,
    `${f.year(years[0])}至${f.year(years[years.length - 1])}共 `,
    el('span', { 'data-value': 'grants' }, f.count(grants)),
    ' 笔，合计 ',
    el('span', { 'data-value': 'amount' }, f.yuan(fen)),
  );
  chart(part.chart, {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (value) => f.yuan(value),
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 56, right: 16, top: 36, bottom: 24 },
    xAxis: { type: 'category', data: years.map(f.year) },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => f.wanYuan(v) } },
    series: channels.map((c) => ({
      name: c.label,
      type: 'bar',
      stack: 'channel',
      data: years.map((y) => amount(y, c.code)),
    })),
  });
  fill(
    part.table,
    table(
      [
        { label: '年度' },
        ...channels.map((c) => ({ label: c.label, number: true })),
        { label: '合计', number: true },
      ],
      years.map((y) => [
        f.year(y),
        ...channels.map((c) => f.yuan(amount(y, c.code))),
        f.yuan(channels.reduce((s, c) => s + amount(y, c.code), 0)),
      ]),
      [
        '合计',
        ...channels.map((c) => f.yuan(years.reduce((s, y) => s + amount(y, c.code), 0))),
        f.yuan(fen),
      ],
    ),
  );
}

/** Major activity reports by month and by the level that received them. */
export function activity(part, { activity: a }, labels) {
  const months = a.series;
  if (months.length === 0) {
    fill(part.summary, '所选范围内暂无重大活动报告。');
    emptyChart(part.chart);
    fill(part.table);
    return;
  }
  const sum = (key) => months.reduce((s, m) => s + m[key], 0);
  fill(
    part.summary,
    ...labels.activityLevels.flatMap((l) => [
      `${l.label} `,
      el('span', { 'data-value': l.code }, f.count(sum(l.code))),
      ' 份，',
    ]),
    '合计 ',
    el('span', { 'data-value': 'total' }, f.count(sum('total'))),
    ' 份',
  );
  chart(part.chart, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 60 },
    xAxis: { type: 'category', data: months.map((m) => f.month(m.month)) },
    yAxis: { type: 'value', minInterval: 1 },
    dataZoom: [{ type: 'slider', bottom: 8 }],
    series: labels.activityLevels.map((l) => ({
      name: l.label,
      type: 'bar',
      stack: 'level',
      data: months.map((m) => m[l.code]),
    })),
  });
  fill(
    part.table,
    table(
      [
        { label: '月份' },
        ...labels.activityLevels.map((l) => ({ label: l.label, number: true })),
        { label: '合计', number: true },
      ],
      months.map((m) => [
        f.month(m.month),
        ...labels.activityLevels.map((l) => f.count(m[l.code])),
        f.count(m.total),
      ]),
      ['合计', ...labels.activityLevels.map((l) => f.count(sum(l.code))), f.count(sum('total'))],
    ),
  );
}

/** A street's row of the coverage matrix: holders of each kind, or — where the kind is lacking. */
function streetRow(street, roles, withDistrict, chosen) {
  const lacking = roles.filter((r) => street.platforms[r.code] === 0);
  return el(
    'tr',
    { 'data-street': street.code, class: chosen ? 'chosen' : undefined },
    withDistrict ? el('td', {}, street.districtName) : null,
    el('td', {}, street.name),
    ...roles.map((r) => {
      const n = street.platforms[r.code];
      return el(
        'td',
        { 'data-role': r.code, class: n > 0 ? 'number has' : 'number lacks' },
        n > 0 ? f.count(n) : '—',
      );
    }),
    el(
      'td',
      { 'data-kind': 'lacking' },
      lacking.length === 0 ? '齐全' : lacking.map((r) => r.label).join('、'),
    ),
  );
}

/**
 * Support-platform coverage (联合支持平台): of the 街镇 of the city or of the district, how many
 * have each kind, and per street which kinds it has and lacks. A street or community chosen in
 * the filter shows its district's streets with its own street marked.
 */
export function platforms(part, { platforms: p }, labels, place) {
  const roles = labels.supportRoles;
  const s = p.summary;
  const city = p.place.level === 'city';
  part.title.textContent = city ? '各街镇联合支持平台覆盖' : '本区各街镇联合支持平台覆盖';
  const chosen = p.streets.find((street) => street.code === place.street);
  const kinds = (list) => (list.length === 0 ? '无' : list.map((r) => r.label).join('、'));
  fill(
    part.summary,
    el(
      'p',
      {},
      `${city ? '全市' : '本区'} `,
      el('strong', { 'data-value': 'streets' }, f.count(s.streets)),
      ' 个街镇中，已有',
      ...roles.flatMap((r, i) => [
        `${i === 0 ? '' : '、'}${r.label} `,
        el('strong', { 'data-value': `covered-${r.code}` }, f.count(s.covered[r.code])),
        ' 个',
      ]),
      '；四类齐全 ',
      el('strong', { 'data-value': 'complete' }, f.count(s.complete)),
      ' 个。',
    ),
    chosen
      ? el(
          'p',
          { 'data-kind': 'chosen' },
          `${chosen.name}：已有 ${kinds(roles.filter((r) => chosen.platforms[r.code] > 0))}；` +
            `尚缺 ${kinds(roles.filter((r) => chosen.platforms[r.code] === 0))}。`,
        )
      : null,
  );
  // Per district (city only): how many of its streets have each kind.
  fill(
    part.table,
    city
      ? table(
          [
            { label: '区' },
            { label: '街镇', number: true },
            ...roles.map((r) => ({ label: r.label, number: true })),
            { label: '四类齐全', number: true },
          ],
          p.districts.map((d) => [
            d.name,
            f.count(d.streets),
            ...roles.map((r) => f.count(d.covered[r.code])),
            f.count(d.complete),
          ]),
          [
            '合计',
            f.count(s.streets),
            ...roles.map((r) => f.count(s.covered[r.code])),
            f.count(s.complete),
          ],
        )
      : null,
  );
  // The 200-odd streets of the city fold away; a district's few dozen are shown open.
  part.details.open = !city;
  const head = el(
    'tr',
    {},
    city ? el('th', {}, '区') : null,
    el('th', {}, '街镇'),
    ...roles.map((r) => el('th', { class: 'number' }, r.label)),
    el('th', {}, '尚缺'),
  );
  fill(
    part.streets,
    el(
      'table',
      { class: 'coverage' },
      el('thead', {}, head),
      el(
        'tbody',
        {},
        ...p.streets.map((street) => streetRow(street, roles, city, street === chosen)),
      ),
    ),
  );
}
