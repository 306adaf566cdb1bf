import ExcelJS from 'exceljs';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  DISSOLUTION_KIND_LABELS,
  DISSOLUTION_KINDS,
  FUNDING_CHANNEL_LABELS,
  FUNDING_CHANNELS,
  PARTY_ORGANIZATION_STATUS_LABELS,
  PARTY_ORGANIZATION_STATUSES,
  TIER_LABELS,
  TIERS,
  type FundingChannel,
} from '../organizations/domain/organization.types.js';
import type { TargetFigures } from '../statistics/statistics.queries.js';
import type { PlaceFigures, YearEndFigures } from './year-end-figures.js';

/** One column of a sheet: its heading (under an optional group heading) and its cell. */
interface Column<Row> {
  readonly group?: string;
  readonly header: string;
  readonly value: (row: Row) => number | string;
  /** An Excel number format: numbers stay numbers, only their display changes. */
  readonly numFmt?: string;
  readonly width?: number;
}

/** A sheet of the return: a title, two heading rows, then one row per place (or community). */
interface Sheet<Row> {
  readonly name: string;
  readonly columns: ReadonlyArray<Column<Row>>;
  readonly rows: readonly Row[];
}

const COUNT = '#,##0';
const YUAN = '#,##0.00';
const PERCENT = '0.0%';
const AVERAGE = '0.000';

/** The first rows of every sheet: title, date, two heading rows; the figures from row 5 on. */
export const FIRST_DATA_ROW = 5;

/** 2024-12-31 → 2024年12月31日. */
const chineseDate = (date: string): string =>
  `${date.slice(0, 4)}年${String(Number(date.slice(5, 7)))}月${String(Number(date.slice(8, 10)))}日`;

const placeColumns: ReadonlyArray<Column<PlaceFigures>> = [
  { header: '区划代码', value: (r) => r.place.code, width: 14 },
  { header: '地区', value: (r) => r.place.name, width: 18 },
];

/** 社区社会组织数量: active organizations by tier, by category and by category × tier. */
const organizationColumns: ReadonlyArray<Column<PlaceFigures>> = [
  ...placeColumns,
  { header: '合计', value: (r) => r.overview.total },
  ...TIERS.map((t) => ({
    group: '按层级',
    header: TIER_LABELS[t],
    value: (r: PlaceFigures) => r.overview.byTier[t],
  })),
  ...CATEGORIES.map((c) => ({
    group: '按类别',
    header: CATEGORY_LABELS[c],
    value: (r: PlaceFigures) => r.overview.byCategory[c],
  })),
  ...CATEGORIES.flatMap((c) =>
    TIERS.map((t) => ({
      group: CATEGORY_LABELS[c],
      header: TIER_LABELS[t],
      value: (r: PlaceFigures) => r.overview.byCategoryAndTier[c][t],
    })),
  ),
  { header: '其中：开发区等特殊单元', value: (r) => r.overview.inSpecialUnits, width: 14 },
];

const movementColumns: ReadonlyArray<Column<PlaceFigures>> = [
  ...placeColumns,
  { header: '新登记（备案）', value: (r) => r.movements.registrations, width: 14 },
  { header: '升级', value: (r) => r.movements.promotions },
  { group: '解散', header: '合计', value: (r) => r.movements.dissolutions },
  ...DISSOLUTION_KINDS.map((k) => ({
    group: '解散',
    header: DISSOLUTION_KIND_LABELS[k],
    value: (r: PlaceFigures) => r.movements.dissolutionsByKind[k],
  })),
];

/** 达标 when the average reaches the target; a dash where the place has no such community. */
const met = (f: TargetFigures): string => (f.communities === 0 ? '—' : f.met ? '是' : '否');

function targetColumns(
  kind: 'urban' | 'rural',
  label: string,
  target: number,
): Array<Column<PlaceFigures>> {
  const group = `${label}（目标每社区${String(target)}个）`;
  const f = (r: PlaceFigures): TargetFigures => r.targets[kind];
  return [
    { group, header: '社区数', value: (r) => f(r).communities },
    { group, header: '社区社会组织数', value: (r) => f(r).organizations, width: 14 },
    { group, header: '平均每社区', value: (r) => f(r).average, numFmt: AVERAGE },
    { group, header: '目标', value: (r) => f(r).target },
    { group, header: '是否达标', value: (r) => met(f(r)) },
    { group, header: '未达标社区数', value: (r) => f(r).belowTarget, width: 12 },
  ];
}

const partyColumns: ReadonlyArray<Column<PlaceFigures>> = [
  ...placeColumns,
  { header: '社区社会组织数', value: (r) => r.overview.total, width: 14 },
  ...PARTY_ORGANIZATION_STATUSES.map((s) => ({
    group: '党组织状况',
    header: PARTY_ORGANIZATION_STATUS_LABELS[s],
    value: (r: PlaceFigures) => r.overview.partyOrganization[s],
    width: 14,
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
    numFmt: PERCENT,
  },
  { group: '工作覆盖', header: '数量', value: (r) => r.overview.partyCoverage.work.count },
  {
    group: '工作覆盖',
    header: '覆盖率',
    value: (r) => r.overview.partyCoverage.work.share,
    numFmt: PERCENT,
  },
];

/** Grants, amount in fen (the registry's unit) and in yuan (the same number shown as money). */
function fundingColumns(
  group: string,
  of: (r: PlaceFigures) => { amountFen: number; grants: number },
): Array<Column<PlaceFigures>> {
  return [
    { group, header: '笔数', value: (r) => of(r).grants },
    { group, header: '金额（分）', value: (r) => of(r).amountFen, width: 14 },
    {
      group,
      header: '金额（元）',
      value: (r) => of(r).amountFen / 100,
      numFmt: YUAN,
      width: 14,
    },
  ];
}

const sum = (r: PlaceFigures, key: 'amountFen' | 'grants'): number =>
  FUNDING_CHANNELS.reduce((s, c: FundingChannel) => s + r.funding[c][key], 0);

const fundingSheetColumns: ReadonlyArray<Column<PlaceFigures>> = [
  ...placeColumns,
  ...fundingColumns('合计', (r) => ({ amountFen: sum(r, 'amountFen'), grants: sum(r, 'grants') })),
  ...FUNDING_CHANNELS.flatMap((c) =>
    fundingColumns(FUNDING_CHANNEL_LABELS[c], (r) => r.funding[c]),
  ),
];

type Below = YearEndFigures['belowTarget'][number];
const belowColumns: ReadonlyArray<Column<Below>> = [
  { header: '区', value: (c) => c.districtName, width: 12 },
  { header: '街镇', value: (c) => c.streetName, width: 16 },
  { header: '社区代码', value: (c) => c.code, width: 16 },
  { header: '社区', value: (c) => c.name, width: 18 },
  { header: '类型', value: (c) => (c.kind === 'urban' ? '城市社区' : '农村社区') },
  { header: '社区社会组织数', value: (c) => c.organizations, width: 14 },
  { header: '目标', value: (c) => c.target },
  { header: '差额', value: (c) => c.shortfall },
];

/** The return's sheets, in order; their names are what a reader of the workbook looks for. */
export const SHEET_NAMES = [
  '组织数量',
  '登记与变动',
  '对标12-7',
  '党建覆盖',
  '资金投入',
  '未达标社区',
  '说明',
] as const;

/**
 * The year-end return (年末分类统计) as an .xlsx workbook: one sheet per section, each with a
 * title naming the place and year, the date the figures stand at, two heading rows (a group over
 * its columns), the caller's place in bold then each place one level down; every figure a
 * number cell. Layout: docs/read-models.md "Year-end return".
 */
export async function yearEndWorkbook(figures: YearEndFigures): Promise<Buffer> {
  const [own] = figures.rows;
  if (!own) throw new Error('a return has at least its own place');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-org-registry';
  const title = `${own.place.name}${figures.year}年度社区社会组织分类统计`;
  const dated = figures.yearEnded
    ? `截至${chineseDate(figures.asOfDate)}`
    : `截至${chineseDate(figures.asOfDate)}（本年度尚未结束，为年初至今的数字）`;
  const places = (name: string, columns: ReadonlyArray<Column<PlaceFigures>>): void => {
    addSheet(workbook, title, dated, { name, columns, rows: figures.rows }, 1);
  };
  places(SHEET_NAMES[0], organizationColumns);
  places(SHEET_NAMES[1], movementColumns);
  places(SHEET_NAMES[2], [
    ...placeColumns,
    ...targetColumns('urban', '城市社区（居委会）', own.targets.urban.target),
    ...targetColumns('rural', '农村社区（村委会）', own.targets.rural.target),
    { header: '未落社区的组织数', value: (r) => r.targets.notAttributed, width: 14 },
  ]);
  places(SHEET_NAMES[3], partyColumns);
  places(SHEET_NAMES[4], fundingSheetColumns);
  addSheet(
    workbook,
    title,
    dated,
    { name: SHEET_NAMES[5], columns: belowColumns, rows: figures.belowTarget },
    0,
  );
  addNotes(workbook, title, dated);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addSheet<Row>(
  workbook: ExcelJS.Workbook,
  title: string,
  dated: string,
  sheet: Sheet<Row>,
  boldRows: number,
): void {
  const ws = workbook.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: FIRST_DATA_ROW - 1 }],
  });
  const width = sheet.columns.length;
  ws.getCell(1, 1).value = `${title}·${sheet.name}`;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, width);
  ws.getCell(2, 1).value = dated;
  ws.mergeCells(2, 1, 2, width);
  // Heading rows: a group's name over its columns; a column without a group spans both rows.
  for (let i = 0; i < width;) {
    const column = sheet.columns[i];
    if (!column) break;
    let end = i;
    while (column.group !== undefined && sheet.columns[end + 1]?.group === column.group) end++;
    if (column.group === undefined) {
      ws.getCell(3, i + 1).value = column.header;
      ws.mergeCells(3, i + 1, 4, i + 1);
    } else {
      ws.getCell(3, i + 1).value = column.group;
      if (end > i) ws.mergeCells(3, i + 1, 3, end + 1);
      for (let j = i; j <= end; j++) ws.getCell(4, j + 1).value = sheet.columns[j]?.header ?? '';
    }
    i = end + 1;
  }
  for (const r of [3, 4]) {
    const row = ws.getRow(r);
    row.font = { bold: true };
    row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }
  sheet.rows.forEach((item, index) => {
    const row = ws.getRow(FIRST_DATA_ROW + index);
    sheet.columns.forEach((column, j) => {
      const cell = row.getCell(j + 1);
      cell.value = column.value(item);
      if (typeof cell.value === 'number') cell.numFmt = column.numFmt ?? COUNT;
    });
    if (index < boldRows) row.font = { bold: true };
  });
  sheet.columns.forEach((column, j) => {
    ws.getColumn(j + 1).width = column.width ?? 10;
  });
}

/** What the figures are and how they were counted, for whoever files the return. */
const NOTES = [
  '组织数量、对标12-7、党建覆盖：截至统计日在册（未解散）的社区社会组织，按业务日期计（无业务日期的按录入日的上海日期）。',
  '登记与变动：本年内的新登记（群众活动团队以备案日期计）、升级和解散（按方式），计入组织现所在地区。',
  '资金投入：本年内（按资助日期）拨付的资金，按渠道；计入拨付时组织所在地区。金额（分）为登记数值，金额（元）为同一数值。',
  '对标12-7：城市社区每社区平均不少于12个、农村社区不少于7个；虚拟社区不计；开发区等特殊单元的组织单独列示，未落社区的组织不计入平均。',
  '第一行为本级合计，其下为下一级各地区。',
];

function addNotes(workbook: ExcelJS.Workbook, title: string, dated: string): void {
  const ws = workbook.addWorksheet(SHEET_NAMES[6]);
  ws.getColumn(1).width = 120;
  ws.getCell(1, 1).value = `${title}·说明`;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(2, 1).value = dated;
  NOTES.forEach((note, i) => {
    const cell = ws.getCell(FIRST_DATA_ROW - 1 + i, 1);
    cell.value = note;
    cell.alignment = { wrapText: true };
  });
}
