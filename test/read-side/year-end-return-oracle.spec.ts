/**
 * Issue #19 item 5: every figure of the year-end return (`GET /returns/{year}.xlsx`) equals the
 * same figure computed independently from the raw event log.
 *
 * The statistics oracle's seeded log and server (oracle-seed.ts) and its fold (log-oracle.ts):
 * the return for 2024 is downloaded as the city and as three districts, opened with the
 * spreadsheet library, and each sheet compared cell by cell — titles, headings and every row —
 * with a workbook laid out here from the fold: the organizations as of 31 December 2024 by
 * business dates (foldAsOf), the year's registrations, promotions and dissolutions at the place
 * each organization is based in now (as the timeline counts them), the year's grants where they
 * were made, the 12 / 7 targets and the communities below them.
 *
 * Another seed: ORACLE_SEED=<n> npm test -- year-end-return-oracle. Needs `npm run build`.
 */
import ExcelJS from 'exceljs';
import {
  CATEGORY_LABELS,
  DISSOLUTION_KIND_LABELS,
  FUNDING_CHANNEL_LABELS,
  PARTY_ORGANIZATION_STATUS_LABELS,
  TIER_LABELS,
} from '../../src/organizations/domain/organization.types.js';
import { PLACES } from '../support/fixtures.js';
import { signTestToken, type Json } from '../support/http-app.js';
import {
  CATEGORIES,
  CHANNELS,
  CITY,
  divisions,
  foldAsOf,
  foldRows,
  KINDS,
  PARTY,
  TIERS,
  type Oracle,
} from './log-oracle.js';
import { expectedOverview, expectedTargets, type PlaceRef } from './oracle-expectations.js';
import { seedAndServe, type SeededServer } from './oracle-seed.js';

const SEED = Number(process.env['ORACLE_SEED'] ?? 4);
const SLOW = 120_000;
const YEAR = '2024';

type Cell = number | string;

/** A column of the expected layout: its heading (under a group) and its figure for a row. */
interface Expected<Row> {
  readonly group?: string;
  readonly header: string;
  readonly value: (row: Row) => Cell;
}

/** The overview's figures, as expectedOverview computes them. */
interface Overview {
  readonly total: number;
  readonly byTier: Record<string, number>;
  readonly byCategory: Record<string, number>;
  readonly byCategoryAndTier: Record<string, Record<string, number>>;
  readonly partyOrganization: Record<string, number>;
  readonly partyCoverage: Record<'organizational' | 'work', { count: number; share: number }>;
  readonly inSpecialUnits: number;
}

/** One place's figures, from the fold alone. */
interface PlaceRow {
  readonly code: string;
  readonly name: string;
  readonly overview: Overview;
  readonly targets: ReturnType<typeof expectedTargets>;
  readonly movements: { registrations: number; promotions: number; dissolutions: number } & {
    byKind: Record<string, number>;
  };
  readonly funding: Record<string, { amountFen: number; grants: number }>;
}

let seeded: SeededServer | undefined;
let oracle: Oracle;
let yearEnd: Oracle;

beforeAll(async () => {
  seeded = await seedAndServe(SEED);
  oracle = foldRows(seeded.logRows);
  yearEnd = foldAsOf(seeded.logRows, `${YEAR}-12`);
}, SLOW);

afterAll(async () => {
  await seeded?.stop();
}, SLOW);

function placeRow(p: PlaceRef, name: string): PlaceRow {
  // Milestones of the year, at the place the organization is based in now.
  const byKind = Object.fromEntries(KINDS.map((k) => [k, 0]));
  const movements = { registrations: 0, promotions: 0, dissolutions: 0, byKind };
  for (const [month, counts] of oracle.timeline.get(p.code) ?? []) {
    if (!month.startsWith(`${YEAR}-`)) continue;
    movements.registrations += counts.registrations;
    movements.promotions += counts.promotions;
    movements.dissolutions += counts.dissolutions;
    for (const k of KINDS) byKind[k] = (byKind[k] ?? 0) + counts.dissolutionsByKind[k];
  }
  // Grants of the year, where they were made.
  const funding = Object.fromEntries(CHANNELS.map((c) => [c, { amountFen: 0, grants: 0 }]));
  for (const g of oracle.grants) {
    if (g.year !== YEAR || (p.level !== 'city' && ![g.district, g.street].includes(p.code)))
      continue;
    const f = funding[g.channel];
    if (!f) throw new Error(`unknown channel ${g.channel}`);
    f.amountFen += g.amountFen;
    f.grants++;
  }
  return {
    code: p.code,
    name,
    overview: expectedOverview(yearEnd, p) as Overview,
    targets: expectedTargets(yearEnd, p.level === 'city' ? undefined : p.code),
    movements,
    funding,
  };
}

/** The place and each place one level down, in the division file's order. */
function expectedRows(code: string): PlaceRow[] {
  if (code === CITY)
    return [
      placeRow({ code: CITY, level: 'city' }, '上海市'),
      ...divisions.districts.map((d) => placeRow({ code: d.code, level: 'district' }, d.name)),
    ];
  const name = divisions.districts.find((d) => d.code === code)?.name ?? code;
  return [
    placeRow({ code, level: 'district' }, name),
    ...divisions.streets
      .filter((s) => s.district === code)
      .map((s) => placeRow({ code: s.code, level: 'street' }, s.name)),
  ];
}

const place: Array<Expected<PlaceRow>> = [
  { header: '区划代码', value: (r) => r.code },
  { header: '地区', value: (r) => r.name },
];
const label = (table: Record<string, string>, code: string): string => table[code] ?? code;

const SHEETS: Record<string, (own: PlaceRow) => Array<Expected<PlaceRow>>> = {
  组织数量: () => [
    ...place,
    { header: '合计', value: (r) => r.overview.total },
    ...TIERS.map((t) => ({
      group: '按层级',
      header: label(TIER_LABELS, t),
      value: (r: PlaceRow) => r.overview.byTier[t] ?? NaN,
    })),
    ...CATEGORIES.map((c) => ({
      group: '按类别',
      header: label(CATEGORY_LABELS, c),
      value: (r: PlaceRow) => r.overview.byCategory[c] ?? NaN,
    })),
    ...CATEGORIES.flatMap((c) =>
      TIERS.map((t) => ({
        group: label(CATEGORY_LABELS, c),
        header: label(TIER_LABELS, t),
        value: (r: PlaceRow) => r.overview.byCategoryAndTier[c]?.[t] ?? NaN,
      })),
    ),
    { header: '其中：开发区等特殊单元', value: (r) => r.overview.inSpecialUnits },
  ],
  登记与变动: () => [
    ...place,
    { header: '新登记（备案）', value: (r) => r.movements.registrations },
    { header: '升级', value: (r) => r.movements.promotions },
    { group: '解散', header: '合计', value: (r) => r.movements.dissolutions },
    ...KINDS.map((k) => ({
      group: '解散',
      header: label(DISSOLUTION_KIND_LABELS, k),
      value: (r: PlaceRow) => r.movements.byKind[k] ?? 0,
    })),
  ],
  '对标12-7': (own) => [
    ...place,
    ...(['urban', 'rural'] as const).flatMap((kind) => {
      const group = `${kind === 'urban' ? '城市社区（居委会）' : '农村社区（村委会）'}（目标每社区${own.targets[kind].target}个）`;
      const f = (r: PlaceRow) => r.targets[kind];
      return [
        { group, header: '社区数', value: (r: PlaceRow) => f(r).communities },
        { group, header: '社区社会组织数', value: (r: PlaceRow) => f(r).organizations },
        { group, header: '平均每社区', value: (r: PlaceRow) => f(r).average },
        { group, header: '目标', value: (r: PlaceRow) => f(r).target },
        {
          group,
          header: '是否达标',
          value: (r: PlaceRow) => (f(r).communities === 0 ? '—' : f(r).met ? '是' : '否'),
        },
        { group, header: '未达标社区数', value: (r: PlaceRow) => f(r).belowTarget },
      ];
    }),
    { header: '未落社区的组织数', value: (r) => r.targets.notAttributed },
  ],
  党建覆盖: () => [
    ...place,
    { header: '社区社会组织数', value: (r) => r.overview.total },
    ...PARTY.map((s) => ({
      group: '党组织状况',
      header: label(PARTY_ORGANIZATION_STATUS_LABELS, s),
      value: (r: PlaceRow) => r.overview.partyOrganization[s] ?? NaN,
    })),
    {
      group: '组织覆盖',
      header: '数量',
      value: (r) => r.overview.partyCoverage.organizational.count,
    },
    {
      group: '组织覆盖',
      header: '覆盖率',
      value: (r) => r.overview.partyCoverage.organizational.share,
    },
    { group: '工作覆盖', header: '数量', value: (r) => r.overview.partyCoverage.work.count },
    { group: '工作覆盖', header: '覆盖率', value: (r) => r.overview.partyCoverage.work.share },
  ],
  资金投入: () => {
    const money = (group: string, of: (r: PlaceRow) => { amountFen: number; grants: number }) => [
      { group, header: '笔数', value: (r: PlaceRow) => of(r).grants },
      { group, header: '金额（分）', value: (r: PlaceRow) => of(r).amountFen },
      { group, header: '金额（元）', value: (r: PlaceRow) => of(r).amountFen / 100 },
    ];
    const total = (r: PlaceRow) =>
      Object.values(r.funding).reduce(
        (s, f) => ({ amountFen: s.amountFen + f.amountFen, grants: s.grants + f.grants }),
        { amountFen: 0, grants: 0 },
      );
    return [
      ...place,
      ...money('合计', total),
      ...CHANNELS.flatMap((c) =>
        money(label(FUNDING_CHANNEL_LABELS, c), (r) => r.funding[c] ?? { amountFen: 0, grants: 0 }),
      ),
    ];
  },
};

type Below = ReturnType<typeof expectedTargets>['below'][number];
const BELOW: Array<Expected<Below>> = [
  { header: '区', value: (c) => c.districtName as string },
  { header: '街镇', value: (c) => c.streetName as string },
  { header: '社区代码', value: (c) => c.code as string },
  { header: '社区', value: (c) => c.name as string },
  { header: '类型', value: (c) => (c.kind === 'urban' ? '城市社区' : '农村社区') },
  { header: '社区社会组织数', value: (c) => c.organizations as number },
  { header: '目标', value: (c) => c.target as number },
  { header: '差额', value: (c) => c.shortfall as number },
];

/** A sheet as the library reads it: every row's cell values (merged cells: the master's). */
function read(ws: ExcelJS.Worksheet, columns: number): Cell[][] {
  const rows: Cell[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row: Cell[] = [];
    for (let c = 1; c <= columns; c++) {
      const value = ws.getRow(r).getCell(c).value;
      if (typeof value !== 'number' && typeof value !== 'string')
        throw new Error(`${ws.name} ${r}:${c} holds ${JSON.stringify(value)}`);
      row.push(value);
    }
    rows.push(row);
  }
  return rows;
}

/** The sheet laid out from the fold: title, date, the two heading rows, one row per item. */
function layout<Row>(
  title: string,
  sheet: string,
  columns: Array<Expected<Row>>,
  items: readonly Row[],
): Cell[][] {
  const across = (text: string): Cell[] => columns.map(() => text);
  return [
    across(`${title}·${sheet}`),
    across(`截至${YEAR}年12月31日`),
    columns.map((c) => c.group ?? c.header),
    columns.map((c) => c.header),
    ...items.map((item) => columns.map((c) => c.value(item))),
  ];
}

async function download(role: 'city' | 'district', code: string): Promise<ExcelJS.Workbook> {
  if (!seeded) throw new Error('no server');
  const token = await signTestToken(role, code);
  const res = await fetch(`${seeded.server.baseUrl}/returns/${YEAR}.xlsx`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
    status: 200,
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await res.arrayBuffer());
  return workbook;
}

/** Compares every sheet of a return with the layout computed from the fold. */
async function checkReturn(role: 'city' | 'district', code: string): Promise<PlaceRow[]> {
  const workbook = await download(role, code);
  const rows = expectedRows(code);
  const own = rows[0];
  if (!own) throw new Error('no rows');
  const title = `${own.name}${YEAR}年度社区社会组织分类统计`;
  const wrong: Json[] = [];
  for (const [sheet, columnsOf] of Object.entries(SHEETS)) {
    const columns = columnsOf(own);
    const ws = workbook.getWorksheet(sheet);
    if (!ws) throw new Error(`no sheet ${sheet}`);
    const actual = read(ws, columns.length);
    const expected = layout(title, sheet, columns, rows);
    expect(actual.length).toBe(expected.length);
    actual.forEach((row, i) => {
      if (JSON.stringify(row) !== JSON.stringify(expected[i]))
        wrong.push({ sheet, row: i + 1, actual: row, expected: expected[i] });
    });
    // Nothing beyond the last column.
    expect(ws.columnCount).toBe(columns.length);
  }
  const ws = workbook.getWorksheet('未达标社区');
  if (!ws) throw new Error('no sheet 未达标社区');
  const below = layout(title, '未达标社区', BELOW, own.targets.below);
  const actual = read(ws, BELOW.length);
  expect(actual.length).toBe(below.length);
  actual.forEach((row, i) => {
    if (JSON.stringify(row) !== JSON.stringify(below[i]))
      wrong.push({ sheet: '未达标社区', row: i + 1, actual: row, expected: below[i] });
  });
  expect(wrong.slice(0, 3)).toEqual([]);
  // Money shows as yuan, shares as percentages: formats only, the cells stay numbers.
  const funding = workbook.getWorksheet('资金投入');
  expect(funding?.getRow(5).getCell(5).numFmt).toBe('#,##0.00');
  expect(workbook.getWorksheet('党建覆盖')?.getRow(5).getCell(10).numFmt).toBe('0.0%');
  return rows;
}

describe(`the year-end return for ${YEAR} against the log (small seed ${SEED})`, () => {
  it(
    'the city: itself and its 16 districts, every figure of every sheet',
    async () => {
      const rows = await checkReturn('city', CITY);
      expect(rows).toHaveLength(17);
      // Not vacuous: the year had organizations, each kind of movement, coverage and grants.
      const city = rows[0];
      expect(city?.overview.total).toBeGreaterThan(50);
      expect(city?.movements.registrations).toBeGreaterThan(0);
      expect(city?.movements.promotions).toBeGreaterThan(0);
      expect(city?.movements.dissolutions).toBeGreaterThan(0);
      expect(city?.overview.partyCoverage.work.count).toBeGreaterThan(0);
      expect(Object.values(city?.funding ?? {}).filter((f) => f.grants > 0).length).toBeGreaterThan(
        1,
      );
      expect(city?.targets.below.length).toBeGreaterThan(1000);
    },
    SLOW,
  );

  it(
    'three districts (徐汇 with a development zone and a team moved away since, and the two busiest): each street and town',
    async () => {
      const per = new Map<string, number>();
      for (const org of yearEnd.orgs.values())
        per.set(org.district, (per.get(org.district) ?? 0) + 1);
      const busiest = [...per.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([code]) => code)
        .filter((code) => code !== PLACES.xuhui)
        .slice(0, 2);
      for (const code of [PLACES.xuhui, ...busiest]) {
        const rows = await checkReturn('district', code);
        expect(rows.length).toBeGreaterThan(5);
        expect(rows[0]?.overview.total).toBeGreaterThan(0);
      }
    },
    SLOW,
  );
});
