/**
 * The year-end return as a reader sees it: 徐汇区's 2024 return on the oracle's seeded log,
 * downloaded, its first sheet (组织数量) drawn as an HTML table (sheet-html.ts) in chromium and
 * photographed. The picture goes to test-output/screenshots/; with DOCS_SCREENSHOTS=1 also to
 * docs/year-end-return.png, the layout shown in docs/read-models.md. Its figures are checked by
 * test/read-side/year-end-return-oracle.spec.ts. Needs `npm run build`.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium } from 'playwright-core';
import { seedAndServe, type SeededServer } from '../read-side/oracle-seed.js';
import { PLACES } from '../support/fixtures.js';
import { signTestToken } from '../support/http-app.js';
import { describeWithServer } from '../support/servers.js';
import { ROOT } from '../support/spawned-server.js';
import { sheetHtml } from './sheet-html.js';

const SHOTS = join(ROOT, 'test-output', 'screenshots');
const SLOW = 120_000;

describeWithServer('browser', 'the year-end return pictured in chromium', (chromiumPath) => {
  let seeded: SeededServer | undefined;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    seeded = await seedAndServe(4);
  }, SLOW);

  afterAll(async () => {
    await seeded?.stop();
  }, SLOW);

  it(
    "徐汇区's 2024 return, first sheet: title, dated headings, the district then its streets",
    async () => {
      if (!seeded) throw new Error('no server');
      const token = await signTestToken('district', PLACES.xuhui);
      const res = await fetch(`${seeded.server.baseUrl}/returns/2024.xlsx`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await res.arrayBuffer());
      const sheet = workbook.worksheets[0];
      if (!sheet) throw new Error('no sheet');
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1900, height: 600 } });
        await page.setContent(sheetHtml(sheet));
        const text = await page.textContent('body');
        expect(text).toContain('徐汇区2024年度社区社会组织分类统计·组织数量');
        expect(text).toContain('截至2024年12月31日');
        expect(text).toContain('天平路街道');
        const shot = join(SHOTS, 'year-end-return.png');
        await page.locator('table').screenshot({ path: shot });
        if (process.env['DOCS_SCREENSHOTS'] === '1')
          copyFileSync(shot, join(ROOT, 'docs', 'year-end-return.png'));
      } finally {
        await browser.close();
      }
    },
    SLOW,
  );
});
