/**
 * The year-end return over real HTTP (issue #19 item 5, API.md `GET /returns/{year}.xlsx`): who
 * may ask (a district or the city; 401 without a token, 403 for any other role), which years
 * (400 for a malformed or future one; the current year as of today; a year before anything
 * counted, zeros), and the answer: an .xlsx attachment that the spreadsheet library opens, with
 * the place and the year in its title. Every figure against the log: the statistics oracle
 * (test/read-side/year-end-return-oracle.spec.ts).
 */
import ExcelJS from 'exceljs';
import { SHEET_NAMES, FIRST_DATA_ROW } from '../../src/returns/year-end-workbook.js';
import { PLACES } from '../support/fixtures.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import { createGroup, expectProblem, send, tokenOf, type ActorKey } from '../support/e2e-kit.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let app: HttpApp;

beforeAll(async () => {
  app = await startHttpApp();
  // One group of 上海新村 (天平路街道, 徐汇区), recorded in 2024 (the test clock: 2026-01-15).
  await createGroup(app, { recordedOn: '2024-01-10' });
  // The return reads the statistics read model: wait until it has applied the registration.
  const head = (await app.request('GET', '/health')).body.eventStore.headPosition as number;
  expect((await app.request('GET', `/statistics/overview?minPosition=${head}`)).status).toBe(200);
});

afterAll(async () => {
  await app.close();
});

/** The download, read as bytes (the shared client reads text) and opened as a workbook. */
async function download(actor: ActorKey, path: string) {
  const res = await fetch(`${app.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${await tokenOf(app, actor)}` },
  });
  expect(res.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await res.arrayBuffer());
  return { headers: res.headers, workbook };
}

const cell = (ws: ExcelJS.Worksheet, row: number, col: number): unknown =>
  ws.getRow(row).getCell(col).value;

describe('GET /returns/{year}.xlsx', () => {
  it('401 without a token; 403 for a street, a committee and an auditor', async () => {
    expectProblem(await send(app, undefined, 'GET', '/returns/2024.xlsx'), 401);
    for (const actor of ['tianpingStreet', 'shanghaiXincunCommittee', 'auditor'] as const)
      expectProblem(await send(app, actor, 'GET', '/returns/2024.xlsx'), 403, {
        rule: 'return-role',
      });
  });

  it('400 for a malformed or a future year, never a 500', async () => {
    for (const year of ['24', '20245', 'abcd', '２０２４', '2024%20', '-2024'])
      expectProblem(await send(app, 'xuhuiDistrict', 'GET', `/returns/${year}.xlsx`), 400, {
        field: 'path:year',
      });
    expectProblem(await send(app, 'city', 'GET', '/returns/2027.xlsx'), 400, {
      field: 'path:year',
    });
    expect((await send(app, 'city', 'GET', '/returns/2024.csv')).status).toBe(404);
  });

  it('a district: an .xlsx attachment of its place and each street, dated 31 December', async () => {
    const { headers, workbook } = await download('xuhuiDistrict', '/returns/2024.xlsx');
    expect(headers.get('content-type')).toBe(XLSX);
    expect(headers.get('content-disposition')).toBe(
      `attachment; filename="return-${PLACES.xuhui}-2024.xlsx"`,
    );
    expect(workbook.worksheets.map((w) => w.name)).toEqual([...SHEET_NAMES]);
    const ws = workbook.getWorksheet('组织数量');
    if (!ws) throw new Error('no sheet 组织数量');
    expect(cell(ws, 1, 1)).toBe('徐汇区2024年度社区社会组织分类统计·组织数量');
    expect(cell(ws, 2, 1)).toBe('截至2024年12月31日');
    expect([cell(ws, FIRST_DATA_ROW, 1), cell(ws, FIRST_DATA_ROW, 2)]).toEqual([
      PLACES.xuhui,
      '徐汇区',
    ]);
    // The district's own row, then its streets: the group counts in both, as a number.
    const rowOf = (code: string): number => {
      for (let r = FIRST_DATA_ROW; r <= ws.rowCount; r++) if (cell(ws, r, 1) === code) return r;
      throw new Error(`no row ${code}`);
    };
    expect(cell(ws, rowOf(PLACES.xuhui), 3)).toBe(1);
    expect(cell(ws, rowOf(PLACES.tianping), 3)).toBe(1);
    expect(cell(ws, rowOf(PLACES.hunan), 3)).toBe(0);
    expect(cell(ws, rowOf(PLACES.caohejing), 3)).toBe(0);
  });

  it('the city: its 16 districts; a year before anything counted answers zeros', async () => {
    const { workbook } = await download('city', '/returns/2019.xlsx');
    const ws = workbook.getWorksheet('组织数量');
    if (!ws) throw new Error('no sheet 组织数量');
    expect(cell(ws, 1, 1)).toBe('上海市2019年度社区社会组织分类统计·组织数量');
    const codes: unknown[] = [];
    for (let r = FIRST_DATA_ROW; r <= ws.rowCount; r++) {
      codes.push(cell(ws, r, 1));
      expect(cell(ws, r, 3)).toBe(0);
    }
    expect(codes).toHaveLength(17);
    expect(codes[0]).toBe(PLACES.city);
  });

  it('the current year: its figures so far, marked as such', async () => {
    const { workbook } = await download('city', '/returns/2026.xlsx');
    const ws = workbook.getWorksheet('登记与变动');
    if (!ws) throw new Error('no sheet 登记与变动');
    expect(cell(ws, 2, 1)).toBe('截至2026年1月15日（本年度尚未结束，为年初至今的数字）');
  });
});
