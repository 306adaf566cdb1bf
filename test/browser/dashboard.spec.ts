/**
 * Issue #8: the dashboard in a real browser (Debian's chromium driven by playwright-core) against
 * the compiled server on a small seed. Every panel must show the figures counted independently
 * from the event log, for a place given in the URL and for places chosen with the filter; any
 * console error or page error fails the test. Screenshots go to test-output/screenshots/.
 *
 * Without chromium (/usr/bin/chromium or CHROMIUM_PATH) the suite fails under CI and is skipped
 * loudly elsewhere (test/support/servers.ts).
 * Needs `npm run build`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import {
  DIVISIONS_FILE,
  headPosition,
  seedSmall,
  waitCaughtUp,
} from '../read-side/read-side-kit.js';
import { httpRequest, signTestToken } from '../support/http-app.js';
import { describeWithServer } from '../support/servers.js';
import { ROOT, startServer, type SpawnedServer } from '../support/spawned-server.js';
import { DashboardOracle, SUPPORT_ROLES, type PlaceFigures } from './dashboard-oracle.js';

/** The flags of SERVERS.md ("Browser"): headless, and nothing that reaches the network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
// What the callbacks that run in the page use of it (the project compiles without the DOM lib,
// whose global types would clash with Node's).
interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  readonly documentElement: { scrollWidth: number; clientWidth: number };
};
declare const echarts: {
  getInstanceByDom(element: PageElement): { getOption(): unknown } | undefined;
};

const SHOTS = join(ROOT, 'test-output', 'screenshots');
const SLOW = 180_000;
const PANELS = [
  'headline',
  'targets',
  'below',
  'categories',
  'timeline',
  'funding',
  'activity',
  'platforms',
];
/** The support-platform kinds as the page names them (联合支持平台). */
const ROLE_LABELS: Record<string, string> = {
  federation: '联合会',
  'service-centre': '服务中心',
  'incubation-base': '孵化基地',
  'social-work-station': '社工站',
};
const CATEGORIES = ['charity', 'life-service', 'community-affairs', 'culture-sports'];
const TIERS = ['group', 'team', 'registered'];

const XUHUI = '310104';
const TIANPING = '310104003';
const SHANGHAI_XINCUN = '310104003001';
const CHONGMING = '310151';

// Chinese conventions, as the page must write them (Node carries the same ICU data).
const count = (n: number): string => n.toLocaleString('zh-CN');
const yuan = (fen: number): string =>
  `${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;
/** A share rounded to three decimals by the read side, shown as a percentage: 42.5% */
const percent = (part: number, whole: number): string =>
  (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000).toLocaleString('zh-CN', {
    style: 'percent',
    maximumFractionDigits: 1,
  });
/** The targets' averages are rounded to three decimals by the read side, shown with at most two. */
const average = (organizations: number, communities: number): string =>
  (Math.round((organizations / communities) * 1000) / 1000).toLocaleString('zh-CN', {
    maximumFractionDigits: 2,
  });

describeWithServer('browser', 'the dashboard in chromium (small seed 1)', (chromiumPath) => {
  let dataDir: string;
  let server: SpawnedServer;
  let browser: Browser;
  let oracle: DashboardOracle;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'dashboard-browser-'));
    const seeded = await seedSmall(dataDir, 1);
    // The seed reports its progress on stderr; only a failure's output matters here.
    expect({ code: seeded.code, stderr: seeded.code === 0 ? '' : seeded.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    server = await startServer(dataDir, 30_000);
    await waitCaughtUp(server.baseUrl, headPosition(dataDir), 60_000);
    await assignPlatforms(new DashboardOracle(dataDir, DIVISIONS_FILE));
    await waitCaughtUp(server.baseUrl, headPosition(dataDir), 60_000);
    oracle = new DashboardOracle(dataDir, DIVISIONS_FILE);
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, SLOW);

  afterAll(async () => {
    // Either may be missing when beforeAll failed half-way.
    await (browser as Browser | undefined)?.close();
    await (server as SpawnedServer | undefined)?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Support platforms through the API, as the district bureaus record them, so the coverage panel
   * has something to show whatever the seed holds: in Xuhui, Tianping gets three kinds (one of
   * them assigned, replaced and revoked again on the way), another street one; in Chongming one
   * organization serves two towns.
   */
  async function assignPlatforms(before: DashboardOracle): Promise<void> {
    const write = async (
      district: string,
      method: 'POST' | 'DELETE',
      path: string,
      body?: unknown,
    ): Promise<void> => {
      const token = await signTestToken('district', district);
      const res = await httpRequest(server.baseUrl, method, path, {
        token,
        ...(body !== undefined && { body }),
      });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    };
    const assign = (district: string, id: string, role: string, streets: string[]) =>
      write(district, 'POST', `/organizations/${id}/support-roles`, { role, streets });
    const [a, b, c] = before.registeredIn(XUHUI);
    const [d] = before.registeredIn(CHONGMING);
    if (!a || !b || !c || !d) throw new Error('the seed has too few registered organizations');
    const xuhui = before.streetsOf(XUHUI).filter((code) => code !== TIANPING);
    const chongming = before.streetsOf(CHONGMING);
    await assign(XUHUI, a, 'federation', [TIANPING, xuhui[0] ?? TIANPING]);
    await assign(XUHUI, b, 'service-centre', [xuhui[1] ?? TIANPING]);
    await assign(XUHUI, b, 'service-centre', [TIANPING]);
    await assign(XUHUI, c, 'social-work-station', [TIANPING, xuhui[1] ?? TIANPING]);
    await assign(XUHUI, c, 'incubation-base', [TIANPING]);
    await write(XUHUI, 'DELETE', `/organizations/${c}/support-roles/incubation-base`);
    await assign(CHONGMING, d, 'federation', chongming.slice(0, 2));
  }

  /** A fresh page; console errors and page errors are collected and fail the test. */
  async function open(width = 1440, height = 900): Promise<Page> {
    problems = [];
    page = await browser.newPage({
      viewport: { width, height },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // Nothing may leave the machine: every request goes to the registry itself.
    page.on('request', (request) => {
      if (!request.url().startsWith(server.baseUrl) && !request.url().startsWith('data:')) {
        problems.push(`request outside the registry: ${request.url()}`);
      }
    });
    return page;
  }

  afterEach(async () => {
    await (page as Page | undefined)?.close();
    expect(problems).toEqual([]);
  });

  /** Waits until every panel settled for `place` and none failed. */
  async function settled(place: string): Promise<void> {
    await page.waitForFunction(
      ([code, names]) =>
        names.every((name) => {
          const panel = document.querySelector(`[data-panel="${name}"]`);
          return panel?.dataset['place'] === code && panel.dataset['state'] !== 'loading';
        }),
      [place, PANELS] as const,
      { timeout: 20_000 },
    );
    const states = await page.$$eval('[data-panel]', (panels) =>
      panels.map(
        (p) =>
          `${(p as unknown as PageElement).dataset['panel'] ?? ''}:${(p as unknown as PageElement).dataset['state'] ?? ''}`,
      ),
    );
    expect(states).toEqual(PANELS.map((name) => `${name}:ready`));
  }

  const textOf = async (selector: string): Promise<string> =>
    ((await page.locator(selector).first().textContent()) ?? '').trim();

  /** The numbers of every series of the chart in a panel, as ECharts holds them. */
  const chartSeries = (panel: string): Promise<number[][]> =>
    page.evaluate((name) => {
      const holder = document.querySelector(`[data-panel="${name}"] [data-chart]`);
      const instance = holder && echarts.getInstanceByDom(holder);
      if (!instance || holder.querySelector('canvas') === null) return [];
      const option = instance.getOption() as { series?: Array<{ data?: unknown[] }> };
      return (option.series ?? []).map((s) =>
        (s.data ?? []).map((v) => (typeof v === 'number' ? v : 0)),
      );
    }, panel);
  const sum = (rows: number[][]): number => rows.flat().reduce((s, n) => s + n, 0);

  /** Every panel against the independent figures of `place`. */
  async function expectFigures(place: string): Promise<void> {
    const f: PlaceFigures = oracle.figures(place);
    // Not vacuous: each of the known filters has organizations, grants and reports.
    expect(f.active).toBeGreaterThan(0);

    // Headline.
    expect(await textOf('[data-panel="headline"] [data-metric="total"] dd')).toBe(
      `${count(f.active)} 个`,
    );
    for (const tier of TIERS) {
      const n = CATEGORIES.reduce((s, c) => s + (f.cells.get(`${c}|${tier}`) ?? 0), 0);
      expect({
        tier,
        text: await textOf(`[data-panel="headline"] [data-metric="${tier}"] dd`),
      }).toEqual({ tier, text: `${count(n)} 个` });
    }
    // Party coverage, both kinds: 组织覆盖 (a branch) within 工作覆盖 (or a liaison, an instructor).
    expect({
      organizational: await textOf(
        '[data-panel="headline"] [data-metric="party-organizational"] dd',
      ),
      work: await textOf('[data-panel="headline"] [data-metric="party-work"] dd'),
    }).toEqual({
      organizational: `${percent(f.party.organizational, f.active)} ${count(f.party.organizational)} 个`,
      work: `${percent(f.party.work, f.active)} ${count(f.party.work)} 个`,
    });

    // Targets: the place's averages, communities and organizations per kind.
    for (const kind of ['urban', 'rural'] as const) {
      const k = f[kind];
      const summary = await textOf(`[data-panel="targets"] [data-kind="${kind}"]`);
      if (k.communities === 0) {
        expect(summary).toContain('本范围内无');
        continue;
      }
      expect(
        await textOf(`[data-panel="targets"] [data-kind="${kind}"] [data-value="average"]`),
      ).toBe(average(k.organizations, k.communities));
      expect(summary).toContain(
        `${count(k.communities)} 个${kind === 'urban' ? '居委会' : '村委会'}共 ${count(k.organizations)} 个组织，${count(k.below)} 个未达标`,
      );
    }
    expect((await chartSeries('targets')).length).toBe(2);
    // What the averages leave out: organizations of no community, units without real communities.
    const outside = '[data-panel="targets"] [data-kind="outside"]';
    if (f.notAttributed === 0 && f.units === 0) {
      expect(await page.locator(outside).count()).toBe(0);
    } else {
      expect({
        notAttributed: await textOf(`${outside} [data-value="not-attributed"]`),
        units: await textOf(`${outside} [data-value="units"]`),
        atUnits: await textOf(`${outside} [data-value="at-units"]`),
      }).toEqual({
        notAttributed: count(f.notAttributed),
        units: count(f.units),
        atUnits: count(f.atUnits),
      });
    }

    // Communities below target.
    const below = f.urban.below + f.rural.below;
    if (below > 0) {
      expect(await textOf('[data-panel="below"] [data-value="below-total"]')).toBe(count(below));
      expect(await page.locator('[data-panel="below"] tbody tr').count()).toBe(Math.min(10, below));
    }

    // Category × tier: the whole table, and the chart adds up to the total.
    const rows: string[][] = [];
    for (const tr of await page.locator('[data-panel="categories"] tbody tr').all()) {
      rows.push((await tr.locator('td').allTextContents()).slice(1));
    }
    expect(rows).toEqual(
      CATEGORIES.map((c) => {
        const cells = TIERS.map((t) => f.cells.get(`${c}|${t}`) ?? 0);
        return [...cells, cells.reduce((s, n) => s + n, 0)].map(count);
      }),
    );
    expect(sum(await chartSeries('categories'))).toBe(f.active);

    // Timeline.
    expect(await textOf('[data-panel="timeline"] [data-value="registrations"]')).toBe(
      count(f.registrations),
    );
    expect(await textOf('[data-panel="timeline"] [data-value="promotions"]')).toBe(
      count(f.promotions),
    );
    expect(await textOf('[data-panel="timeline"] [data-value="dissolutions"]')).toBe(
      count(f.dissolutions),
    );
    for (const [kind, n] of Object.entries(f.dissolutionsByKind)) {
      expect({
        kind,
        text: await textOf(`[data-panel="timeline"] [data-value="dissolutions-${kind}"]`),
      }).toEqual({ kind, text: count(n) });
    }
    expect(sum(await chartSeries('timeline'))).toBe(
      f.registrations + f.promotions + f.dissolutions,
    );

    // Funding, in 元 from integer fen.
    expect(await textOf('[data-panel="funding"] [data-value="grants"]')).toBe(count(f.grants));
    expect(await textOf('[data-panel="funding"] [data-value="amount"]')).toBe(yuan(f.amountFen));
    expect(sum(await chartSeries('funding'))).toBe(f.amountFen);

    // Activity reports by level.
    for (const level of ['community', 'street', 'district'] as const) {
      expect({
        level,
        text: await textOf(`[data-panel="activity"] [data-value="${level}"]`),
      }).toEqual({
        level,
        text: count(f.reports[level]),
      });
    }
    const reports = f.reports.community + f.reports.street + f.reports.district;
    expect(await textOf('[data-panel="activity"] [data-value="total"]')).toBe(count(reports));
    expect(sum(await chartSeries('activity'))).toBe(reports);

    await expectPlatforms(place);
  }

  /** The coverage panel: the district's (or the city's) streets, whatever smaller place is chosen. */
  async function expectPlatforms(place: string): Promise<void> {
    const scope = place === '310000' ? place : place.slice(0, 6);
    const p = oracle.platforms(scope);
    const panel = '[data-panel="platforms"]';
    const summary: Record<string, string> = {
      streets: await textOf(`${panel} [data-value="streets"]`),
      complete: await textOf(`${panel} [data-value="complete"]`),
    };
    for (const role of SUPPORT_ROLES)
      summary[role] = await textOf(`${panel} [data-value="covered-${role}"]`);
    expect(summary).toEqual({
      streets: count(p.streets.length),
      complete: count(p.complete),
      ...Object.fromEntries(SUPPORT_ROLES.map((role) => [role, count(p.covered[role] ?? 0)])),
    });
    // Every street's row: the holders of each kind (— where lacking) and the kinds it lacks.
    const rows = await page.$$eval(`${panel} [data-streets] tbody tr`, (trs) =>
      trs.map((tr) => {
        const row = tr as unknown as PageElement;
        return [
          row.dataset['street'] ?? '',
          ...[
            ...row.querySelectorAll('td[data-role]'),
            row.querySelector('[data-kind="lacking"]'),
          ].map((td) => (td?.textContent ?? '').trim()),
        ];
      }),
    );
    expect(rows).toEqual(
      p.streets.map((s) => {
        const lacking = SUPPORT_ROLES.filter((role) => (s.holders[role] ?? 0) === 0);
        return [
          s.code,
          ...SUPPORT_ROLES.map((role) => {
            const n = s.holders[role] ?? 0;
            return n > 0 ? count(n) : '—';
          }),
          lacking.length === 0 ? '齐全' : lacking.map((role) => ROLE_LABELS[role]).join('、'),
        ];
      }),
    );
    // The street chosen in the filter is the one marked.
    const chosen = await page.$$eval(`${panel} tr.chosen`, (trs) =>
      trs.map((tr) => (tr as unknown as PageElement).dataset['street'] ?? ''),
    );
    expect(chosen).toEqual(place.length >= 9 ? [place.slice(0, 9)] : []);
    if (scope !== '310000') return;
    // The city adds a table per district: its streets and how many have each kind.
    const districts: string[][] = [];
    for (const tr of await page.locator(`${panel} [data-table] tbody tr`).all()) {
      districts.push((await tr.locator('td').allTextContents()).slice(1));
    }
    const codes = [...new Set(p.streets.map((s) => s.district))];
    expect(districts).toEqual(
      codes.map((code) => {
        const own = oracle.platforms(code);
        return [
          own.streets.length,
          ...SUPPORT_ROLES.map((role) => own.covered[role] ?? 0),
          own.complete,
        ].map(count);
      }),
    );
  }

  it(
    'a district from the URL, then a street and a community chosen with the filter',
    async () => {
      await open();
      await page.goto(`${server.baseUrl}/?district=${XUHUI}`);
      await settled(XUHUI);
      expect(await textOf('#filter-place')).toBe('当前范围：上海市 › 徐汇区');
      // Not vacuous: Tianping has the three kinds assigned above (the fourth was revoked again).
      const tianping = oracle.platforms(XUHUI).streets.find((s) => s.code === TIANPING);
      expect(
        ['federation', 'service-centre', 'social-work-station'].map(
          (role) => (tianping?.holders[role] ?? 0) > 0,
        ),
      ).toEqual([true, true, true]);
      await expectFigures(XUHUI);
      await page.screenshot({ path: join(SHOTS, 'dashboard-district.png'), fullPage: true });

      await page.selectOption('#filter-street', TIANPING);
      await settled(TIANPING);
      expect(new URL(page.url()).search).toBe(`?district=${XUHUI}&street=${TIANPING}`);
      expect(await textOf('#filter-place')).toBe('当前范围：上海市 › 徐汇区 › 天平路街道');
      await expectFigures(TIANPING);
      await page.screenshot({ path: join(SHOTS, 'dashboard-street.png'), fullPage: true });

      await page.selectOption('#filter-community', SHANGHAI_XINCUN);
      await settled(SHANGHAI_XINCUN);
      expect(new URL(page.url()).search).toBe(
        `?district=${XUHUI}&street=${TIANPING}&community=${SHANGHAI_XINCUN}`,
      );
      await expectFigures(SHANGHAI_XINCUN);

      // Back restores the street's view from the URL.
      await page.goBack();
      await settled(TIANPING);
      expect(await page.inputValue('#filter-community')).toBe('');
      await expectFigures(TIANPING);
    },
    SLOW,
  );

  it(
    'the whole city, then a district chosen with the filter; the city has rural communities',
    async () => {
      await open();
      await page.goto(`${server.baseUrl}/`);
      await settled('310000');
      await expectFigures('310000');
      // The corrected denominators (placeholders excluded) and both party coverages, not vacuous.
      const city = oracle.figures('310000');
      expect([city.urban.communities, city.rural.communities, city.units]).toEqual([
        4661, 1560, 13,
      ]);
      expect(await textOf('[data-panel="targets"] [data-kind="urban"]')).toContain(
        '4,661 个居委会',
      );
      expect(city.party.organizational).toBeGreaterThan(0);
      expect(city.party.work).toBeGreaterThan(city.party.organizational);
      // The picture in docs/read-models.md of the dashboard on the seeded data.
      await page.screenshot({ path: join(SHOTS, 'dashboard-city.png'), fullPage: true });
      await page.selectOption('#filter-district', CHONGMING);
      await settled(CHONGMING);
      expect(new URL(page.url()).search).toBe(`?district=${CHONGMING}`);
      expect(oracle.figures(CHONGMING).rural.communities).toBeGreaterThan(0);
      await expectFigures(CHONGMING);
      await page.click('#filter-reset');
      await settled('310000');
      expect(new URL(page.url()).search).toBe('');
    },
    SLOW,
  );

  it(
    'the month picker: a past month-end reloads overview, targets and platforms with asOf',
    async () => {
      await open();
      const asked: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        asked.push(`${url.pathname}${url.search}`);
      });
      await page.goto(`${server.baseUrl}/?district=${XUHUI}`);
      await settled(XUHUI);
      // The figures as of the end of 2022 (the API's as checked by the statistics oracle).
      const past = (
        await httpRequest(
          server.baseUrl,
          'GET',
          `/statistics/overview?district=${XUHUI}&asOf=2022-12`,
        )
      ).body as { total: number };
      expect(past.total).not.toBe(oracle.figures(XUHUI).active);
      asked.length = 0;
      // Settled once the platforms (the last panel) answered for the month.
      const reloaded = page.waitForResponse((r) => r.url().includes('/statistics/platforms?'));
      await page.fill('#filter-as-of', '2022-12');
      await reloaded;
      await settled(XUHUI);
      expect(new URL(page.url()).search).toBe(`?district=${XUHUI}&asOf=2022-12`);
      expect(await textOf('#filter-place')).toBe('当前范围：上海市 › 徐汇区 · 截至 2022年12月底');
      expect(await textOf('[data-panel="headline"] [data-metric="total"] dd')).toBe(
        `${count(past.total)} 个`,
      );
      // Overview, targets and platforms as of the month; the monthly series and flows unchanged.
      expect(
        asked
          .filter((q) => q.includes('asOf'))
          .map((q) => q.split('?')[0])
          .sort(),
      ).toEqual(['/statistics/overview', '/statistics/platforms', '/statistics/targets']);
      expect(asked.filter((q) => q.includes('asOf') && !q.includes('asOf=2022-12'))).toEqual([]);

      const latest = page.waitForResponse((r) => r.url().includes('/statistics/platforms?'));
      await page.click('#filter-as-of-latest');
      await latest;
      await settled(XUHUI);
      expect(new URL(page.url()).search).toBe(`?district=${XUHUI}`);
      await expectFigures(XUHUI);
    },
    SLOW,
  );

  it(
    'a shared link with a code outside its district shows the district and says why',
    async () => {
      await open();
      await page.goto(`${server.baseUrl}/?district=${CHONGMING}&street=${TIANPING}`);
      await settled(CHONGMING);
      expect(await textOf('#filter-error')).toContain(TIANPING);
      expect(new URL(page.url()).search).toBe(`?district=${CHONGMING}`);
      await expectFigures(CHONGMING);
    },
    SLOW,
  );

  it(
    'on a phone the panels stack in one column and nothing overflows sideways',
    async () => {
      await open(390, 844);
      await page.goto(`${server.baseUrl}/?district=${XUHUI}&street=${TIANPING}`);
      await settled(TIANPING);
      const lefts: number[] = [];
      for (const panel of await page.locator('[data-panel]').all()) {
        lefts.push(Math.round((await panel.boundingBox())?.x ?? -1));
      }
      expect(new Set(lefts).size).toBe(1);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await expectFigures(TIANPING);
      await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
    },
    SLOW,
  );

  it(
    'a failing route shows an error in its own panels; the others still show their figures',
    async () => {
      await open();
      await page.route('**/statistics/timeline**', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            title: 'Service Unavailable',
            status: 503,
            detail: '读模型重建中',
          }),
        }),
      );
      await page.goto(`${server.baseUrl}/?district=${XUHUI}`);
      await page.waitForFunction(
        () => document.querySelector('[data-panel="timeline"]')?.dataset['state'] === 'error',
      );
      await page.waitForFunction(
        (names) =>
          names.every(
            (n) => document.querySelector(`[data-panel="${n}"]`)?.dataset['state'] === 'ready',
          ),
        PANELS.filter((n) => n !== 'timeline'),
      );
      const message = await textOf('[data-panel="timeline"] [data-status]');
      expect(message).toContain('503');
      expect(message).toContain('读模型重建中');
      expect(await page.locator('[data-panel="timeline"] .panel-body').isVisible()).toBe(false);
      expect(await textOf('[data-panel="headline"] [data-metric="total"] dd')).toBe(
        `${count(oracle.figures(XUHUI).active)} 个`,
      );
      await page.screenshot({ path: join(SHOTS, 'dashboard-degraded.png'), fullPage: true });
      // The browser reports the refused request itself; that one console error is expected.
      problems = problems.filter(
        (p) => !/Failed to load resource: the server responded with a status of 503/.test(p),
      );
    },
    SLOW,
  );
});
