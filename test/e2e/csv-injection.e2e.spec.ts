/**
 * CSV injection through the public export: a group named like a spreadsheet formula is written
 * to /registry.csv with a leading apostrophe (shown as text), and its history CSV too; an
 * X-Correlation-Id that is not a plain identifier is refused before anything is stored.
 */
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import { expectProblem, groupBody, headPosition, register, send } from '../support/e2e-kit.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const FORMULA = '=HYPERLINK("http://example.invalid","点击查看社区")';

describe('CSV exports escape formula-leading cells', () => {
  it('the public registry CSV and the history CSV keep a formula name as text', async () => {
    const created = await register(app, 'shanghaiXincunCommittee', groupBody({ name: FORMULA }));
    const head = await headPosition(app);
    const registry = await fetch(
      `${app.baseUrl}/registry.csv?district=310104&minPosition=${String(head)}`,
    );
    expect(registry.status).toBe(200);
    const text = await registry.text();
    expect(text).toContain(`"'=HYPERLINK(""http://example.invalid"",""点击查看社区"")"`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const history = await send(
      app,
      'shanghaiXincunCommittee',
      'GET',
      `/organizations/${created.id}/history?format=csv`,
    );
    expect(history.status).toBe(200);
    expect(history.text).not.toMatch(/(^|,)"?[=+@]/m);
  });

  it('an X-Correlation-Id that is not an identifier is a 400 naming the header; nothing stored', async () => {
    const before = await headPosition(app);
    const res = await send(app, 'shanghaiXincunCommittee', 'POST', '/organizations', groupBody(), {
      'x-correlation-id': '=HYPERLINK("http://x","y")',
    });
    expectProblem(res, 400, { field: 'header:x-correlation-id' });
    expect(await headPosition(app)).toBe(before);
    const ok = await send(app, 'shanghaiXincunCommittee', 'POST', '/organizations', groupBody(), {
      'x-correlation-id': 'dashboard:2026-12-05.req-42',
    });
    expect(ok.status).toBe(201);
  });
});
