/**
 * Issue #19: the officials' workbench in a real browser (Debian's chromium driven by
 * playwright-core) against the compiled server, signing in THROUGH a real OpenID Connect
 * provider (oidc-provider's login and consent pages, authorization code with PKCE done by
 * oauth4webapi in the page), on a small seeded city. Each user's to-do counts on the first screen
 * equal the worklists' oracle (an independent fold of the event log), before and after acting. A
 * committee records a group through the form and is refused field by field; a form left open
 * while the organization moved on is refused by If-Match and reloaded; its correction notice
 * shows in its open-notices list. A street finds the group's report waiting in its list,
 * acknowledges it (gone from the list) and promotes the group; a district records a grant and
 * sees the committee's notice in its own list. No page shows a contact or a resident founder's
 * name to someone not entitled to it.
 * Any console error or page error fails the test. Screenshots go to test-output/screenshots/.
 * Needs `npm run build`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { freePort } from '../../bench/free-port.js';
import { headPosition, seedSmall, waitCaughtUp } from '../read-side/read-side-kit.js';
import { httpRequest } from '../support/http-app.js';
import { startTestProvider, TEST_AUDIENCE, type TestProvider } from '../support/oidc-provider.js';
import { describeWithServer } from '../support/servers.js';
import { ROOT, spawnServer, type SpawnedServer } from '../support/spawned-server.js';
import {
  expected,
  expectedCounts,
  foldLog,
  LISTS,
  shanghaiDay,
  type List,
  type Place,
} from '../support/worklists-oracle.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const SLOW = 120_000;
/** The small seed the worklists' oracle also checks. */
const SEED = 4;
const CLIENT_ID = 'workbench';

const XUHUI = '310104';
const TIANPING = '310104003';
const XINCUN = '310104003001';
const CHONGMING = '310151';

/** Personal data entered in the registration form: shown only to the levels the group is in. */
const CONTACT = { name: '李联络', phone: '13800138000' };
const FOUNDER = '王发起';
/** A name no seeded organization of the community has. */
const GROUP = '新村墨香书画小组';

describeWithServer(
  'browser',
  'the workbench in chromium, signed in through OIDC',
  (chromiumPath) => {
    let dataDir: string;
    let provider: TestProvider;
    let server: SpawnedServer;
    let browser: Browser;
    let page: Page;
    let problems: string[] = [];
    /** The group the committee records; the later users act on it. */
    let groupId = '';

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'workbench-browser-'));
      const seeded = await seedSmall(dataDir, SEED);
      expect({ code: seeded.code, stderr: seeded.code === 0 ? '' : seeded.stderr }).toEqual({
        code: 0,
        stderr: '',
      });
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${String(port)}`;
      provider = await startTestProvider(undefined, {
        clientId: CLIENT_ID,
        redirectUri: `${baseUrl}/workbench`,
      });
      server = await spawnServer({
        dataDir,
        port,
        env: {
          OIDC_ISSUER: provider.issuer,
          OIDC_AUDIENCE: TEST_AUDIENCE,
          OIDC_CLIENT_ID: CLIENT_ID,
        },
        timeoutMs: 30_000,
      });
      await server.ready;
      await waitCaughtUp(server.baseUrl, headPosition(dataDir), 60_000);
      browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    }, SLOW * 2);

    afterAll(async () => {
      await (browser as Browser | undefined)?.close();
      await (server as SpawnedServer | undefined)?.stop();
      await (provider as TestProvider | undefined)?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    afterEach(async () => {
      await (page as Page | undefined)?.close();
      expect(problems).toEqual([]);
    });

    /** A fresh browser context (no session), signed in on the provider's pages as `login`. */
    async function signIn(login: string): Promise<void> {
      problems = [];
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      // oidc-provider's own development pages load a web font; nothing may leave the machine.
      await context.route(
        (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
        (route) => route.abort(),
      );
      page = await context.newPage();
      const onProvider = (): boolean => page.url().startsWith(provider.issuer);
      page.on('console', (message: ConsoleMessage) => {
        if (message.type() !== 'error' || onProvider()) return;
        const resource = message.location().url;
        // The browser reports each refused request itself; the page shows those refusals.
        const refusal = /status of (400|403|409|422)/.test(message.text());
        if (!refusal) problems.push(`console: ${message.text()} (${resource})`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        const url = request.url();
        if (url.startsWith(server.baseUrl) || url.startsWith('data:')) return;
        if (url.startsWith(provider.issuer) || onProvider()) return;
        problems.push(`request outside the registry and the provider: ${url}`);
      });
      await page.goto(`${server.baseUrl}/workbench`);
      await page.click('[data-sign-in="oidc"]');
      // oidc-provider's development login page, then its consent page.
      await page.waitForURL(`${provider.issuer}/**`);
      await page.fill('input[name="login"]', login);
      await page.fill('input[name="password"]', 'any');
      await page.click('button[type="submit"]');
      await page.waitForSelector('button:has-text("Continue")');
      await page.click('button:has-text("Continue")');
      await page.waitForURL(`${server.baseUrl}/workbench**`);
      const [role, jurisdiction] = login.split(':');
      await page.waitForSelector(
        `[data-user="${role ?? ''}"][data-jurisdiction="${jurisdiction ?? ''}"]`,
      );
      // The code and state are gone from the address bar once exchanged.
      expect(new URL(page.url()).search).toBe('');
    }

    async function openOrganization(id: string): Promise<void> {
      await page.goto(`${server.baseUrl}/workbench#/org/${id}`);
      await page.waitForSelector(`#main[data-ready="#/org/${id}"]`);
    }

    async function openForm(command: string): Promise<string> {
      const box = `[data-command="${command}"]`;
      await page.click(`${box} > summary`);
      return `${box} form`;
    }

    /** Submits a form the server refuses; answers the form's message. */
    async function refused(form: string): Promise<string> {
      await page.click(`${form} button[type="submit"]`);
      await page.waitForSelector(`${form} [data-form-status][data-state="refused"]`);
      return (await page.textContent(`${form} [data-form-status]`)) ?? '';
    }

    /** Submits a form the server takes: the page reloads the organization at its new revision. */
    async function succeeds(form: string): Promise<void> {
      const before = (await page.getAttribute('[data-organization]', 'data-etag')) ?? '';
      await page.click(`${form} button[type="submit"]`);
      await page.waitForSelector(`[data-organization]:not([data-etag='${before}'])`);
      expect(await page.textContent('[data-notice]')).toMatch(/^已(办理|接收)/);
    }

    const bodyText = async (): Promise<string> => (await page.textContent('body')) ?? '';

    /**
     * On the first screen (reloaded), the six counts equal the oracle's for the user's place
     * today, folded from the log as it is now (after the user's own writes have been applied).
     */
    async function countsMatchOracle(place: Place): Promise<Record<string, number>> {
      await waitCaughtUp(server.baseUrl, headPosition(dataDir), 30_000);
      await page.goto(`${server.baseUrl}/workbench#/`);
      await page.reload();
      await page.waitForSelector('[data-worklists="ready"]');
      const shown: Record<string, number> = {};
      for (const list of LISTS) {
        const text = (await page.textContent(`[data-count="${list}"]`)) ?? '';
        shown[list] = Number(text.replace(/[^0-9]/g, ''));
      }
      const today = shanghaiDay(new Date().toISOString());
      expect({ place, counts: shown }).toEqual({
        place,
        counts: expectedCounts(foldLog(dataDir), place, today),
      });
      return shown;
    }

    /** Opens a list on the first screen; answers the organization ids on its first page. */
    async function listed(list: List): Promise<string[]> {
      await page.click(`[data-worklist="${list}"]`);
      const rows = `[data-worklist-items="${list}"] [data-item]`;
      await page.waitForSelector(`h3:has-text("共")`);
      const ids: string[] = [];
      for (const row of await page.locator(rows).all())
        ids.push((await row.getAttribute('data-item')) ?? '');
      return ids;
    }

    it(
      'a committee records a group through the form, is refused field by field, and a stale form is refused by If-Match',
      async () => {
        await signIn(`committee:${XINCUN}`);
        await page.waitForSelector('#main[data-ready="#/"]');
        await countsMatchOracle({ role: 'committee', code: XINCUN });
        const form = await openForm('register');
        await page.fill(`${form} [name="name"]`, GROUP);
        await page.selectOption(`${form} [name="category"]`, 'culture-sports');
        await page.fill(`${form} [name="foundedOn"]`, '2024-03-01');
        await page.selectOption(`${form} [name="founders[0].kind"]`, 'resident');
        await page.fill(`${form} [name="founders[0].name"]`, FOUNDER);
        await page.fill(`${form} [name="contact.name"]`, CONTACT.name);
        await page.fill(`${form} [name="contact.phone"]`, CONTACT.phone);
        await page.screenshot({ path: join(SHOTS, 'workbench-register.png'), fullPage: true });
        await page.click(`${form} button[type="submit"]`);
        await page.waitForURL(/#\/org\/[0-9a-f-]{36}$/);
        groupId = /#\/org\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
        await page.waitForSelector(`#main[data-ready="#/org/${groupId}"]`);
        expect(await page.textContent('h2')).toBe(GROUP);
        // The committee is the group's own level: it sees the contact and the founder's name.
        expect(await page.textContent('[data-value="contact"]')).toBe(
          `${CONTACT.name} ${CONTACT.phone}`,
        );
        expect(await page.textContent('[data-founders]')).toContain(FOUNDER);
        expect(await page.textContent('[data-timeline]')).toContain('OrganizationRegistered');

        // Refused field by field: the server's message stands beside the participants field.
        const report = await openForm('reportActivity');
        await page.fill(`${report} [name="title"]`, '重阳书画展');
        await page.selectOption(`${report} [name="kind"]`, 'culture');
        await page.fill(`${report} [name="participants"]`, '0');
        expect(await refused(report)).toContain('请按提示修改');
        expect(await page.textContent(`${report} [data-error-for="participants"]`)).toMatch(
          /participants/,
        );
        await page.screenshot({ path: join(SHOTS, 'workbench-refused.png'), fullPage: true });
        // Corrected, it goes through; 150 people: a street-level report.
        await page.fill(`${report} [name="participants"]`, '150');
        await succeeds(report);
        expect(await page.textContent('[data-timeline]')).toContain('ActivityReported');

        // A stale form: the notice form is opened, then the group changes elsewhere.
        const etag = await page.getAttribute('[data-organization]', 'data-etag');
        const notice = await openForm('issueNotice');
        await page.fill(`${notice} [name="reason"]`, '活动场地未登记');
        const token = await provider.token({
          role: 'committee',
          jurisdiction: XINCUN,
          sub: 'other-tab',
        });
        const elsewhere = await httpRequest(
          server.baseUrl,
          'POST',
          `/organizations/${groupId}/evaluations`,
          {
            token,
            body: { period: '2025', evaluator: 'committee', grade: 'good' },
          },
        );
        expect(elsewhere.status).toBe(201);
        await page.click(`${notice} button[type="submit"]`);
        await page.waitForSelector('[data-notice]:has-text("已有新的变更")');
        // Reloaded, not overwritten: no notice was issued, the page shows the newer state.
        expect(await page.textContent('[data-value="open-notices"]')).toBe('0');
        expect(await page.getAttribute('[data-organization]', 'data-etag')).not.toBe(etag);
        expect(await page.textContent('[data-timeline]')).toContain('EvaluationRecorded');
        await page.screenshot({ path: join(SHOTS, 'workbench-stale.png'), fullPage: true });
        // Sent again on the fresh form, it goes through.
        const again = await openForm('issueNotice');
        await page.fill(`${again} [name="reason"]`, '活动场地未登记');
        await succeeds(again);
        await page.waitForSelector('[data-value="open-notices"]:has-text("1")');

        // Its lists: the counts still equal the oracle's, and the notice is on its list.
        await countsMatchOracle({ role: 'committee', code: XINCUN });
        expect(await listed('open-notices')).toContain(groupId);
      },
      SLOW,
    );

    it(
      'a street promotes the group to a team and receives its activity report',
      async () => {
        expect(groupId).not.toBe('');
        await signIn(`street:${TIANPING}`);
        await page.waitForSelector('#main[data-ready="#/"]');
        const street: Place = { role: 'street', code: TIANPING };
        const before = await countsMatchOracle(street);
        // The group's 150-person report was routed to the street: it waits on its list (the
        // seeded city has more waiting than the list's first page, oldest first).
        const today = shanghaiDay(new Date().toISOString());
        expect(expected(foldLog(dataDir), 'unacknowledged-reports', street, today)).toContain(
          groupId,
        );
        // Found by name among the street's organizations, linking to its page.
        await page.fill('form.search [name="q"]', GROUP);
        await page.press('form.search [name="q"]', 'Enter');
        await page.waitForSelector(`[data-org-link="${groupId}"]`);
        await page.click(`[data-org-link="${groupId}"]`);
        await page.waitForSelector(`#main[data-ready="#/org/${groupId}"]`);
        // The street is one of the levels the group is in: it sees the contact.
        expect(await page.textContent('[data-value="contact"]')).toContain(CONTACT.name);

        const ack = await page.getAttribute(
          '[data-report] [data-command^="acknowledge-"]',
          'data-command',
        );
        const received = await openForm(ack ?? '');
        await succeeds(received);
        await page.waitForSelector('[data-report] .done');
        expect(await page.textContent('[data-timeline]')).toContain('ActivityReportAcknowledged');

        const promote = await openForm('promote');
        await page.fill(`${promote} [name="filingNumber"]`, '天平备2025-001');
        await succeeds(promote);
        await page.waitForSelector('[data-value="tier"]:has-text("team")');
        expect(await page.textContent('[data-timeline]')).toContain('TierPromoted');
        await page.screenshot({ path: join(SHOTS, 'workbench-organization.png'), fullPage: true });

        // Received: one report less waiting, as the oracle counts, and not the group's any more.
        const after = await countsMatchOracle(street);
        expect(after['unacknowledged-reports']).toBe((before['unacknowledged-reports'] ?? 0) - 1);
        expect(expected(foldLog(dataDir), 'unacknowledged-reports', street, today)).not.toContain(
          groupId,
        );
      },
      SLOW,
    );

    it(
      'a district records a grant; another district and an auditor see no contact or founder name',
      async () => {
        await signIn(`district:${XUHUI}`);
        await page.waitForSelector('#main[data-ready="#/"]');
        const district: Place = { role: 'district', code: XUHUI };
        await countsMatchOracle(district);
        await openOrganization(groupId);
        const grant = await openForm('grantFunding');
        await page.selectOption(`${grant} [name="channel"]`, 'subsidy');
        await page.fill(`${grant} [name="amountFen"]`, '1200.5');
        await page.fill(`${grant} [name="funder.name"]`, '徐汇区民政局');
        await page.fill(`${grant} [name="programme"]`, '社区文化扶持');
        await succeeds(grant);
        await page.waitForSelector('[data-timeline] [data-event="FundingGranted"]');
        expect(await page.textContent('[data-timeline] [data-event="FundingGranted"]')).toContain(
          '1,200.50 元',
        );
        // Its lists: the counts follow the oracle, and the committee's notice is on its list.
        await countsMatchOracle(district);
        expect(await listed('open-notices')).toContain(groupId);
        await page.screenshot({ path: join(SHOTS, 'workbench-home.png'), fullPage: true });

        await signIn(`district:${CHONGMING}`);
        await openOrganization(groupId);
        expect(await page.getAttribute('[data-refused]', 'data-refused')).toBe('403');
        for (const secret of [CONTACT.name, CONTACT.phone, FOUNDER])
          expect(await bodyText()).not.toContain(secret);

        await signIn(`auditor:${XUHUI}`);
        await openOrganization(groupId);
        expect(await page.textContent('h2')).toBe(GROUP);
        expect(await page.locator('[data-value="contact"]').count()).toBe(0);
        expect(await page.textContent('[data-founders]')).toContain('姓名不可见');
        for (const secret of [CONTACT.name, CONTACT.phone, FOUNDER])
          expect(await bodyText()).not.toContain(secret);
        expect(await page.locator('[data-form]').count()).toBe(0);
      },
      SLOW,
    );
  },
);
