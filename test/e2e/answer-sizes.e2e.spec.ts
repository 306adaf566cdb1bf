/**
 * No answer reaches 1 MB except the CSV and history exports, which stream: the largest page of
 * every paged read, filled with the longest values the server accepts, and the largest single
 * organization (200 founders with 100-character names) stay well under it.
 */
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import { createGroup, groupBody, register, send, uniqueName } from '../support/e2e-kit.js';

const MB = 1024 * 1024;

let app: HttpApp;
let largest: string;
beforeAll(async () => {
  app = await startHttpApp();
  const founders = Array.from({ length: 200 }, (_, i) => ({
    kind: 'resident',
    name: `${'张'.repeat(96)}${String(i).padStart(4, '0')}`,
  }));
  ({ id: largest } = await register(
    app,
    'shanghaiXincunCommittee',
    groupBody({ name: uniqueName('上海新村'.repeat(11)), founders }),
  ));
  for (let i = 0; i < 100; i++) await createGroup(app, { name: uniqueName('上海新村'.repeat(11)) });
}, 60_000);
afterAll(async () => {
  await app.close();
});

describe('every answer stays under 1 MB', () => {
  it.each([
    '/registry?pageSize=100',
    '/statistics/targets?pageSize=500',
    '/statistics/overview',
    '/statistics/timeline',
    '/statistics/funding',
    '/fundings?pageSize=100',
    '/activity-reports?pageSize=100',
    '/divisions',
    '/docs/json',
    '/health',
    '/metrics',
  ])('%s', async (path) => {
    const res = await app.request('GET', path);
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBeLessThan(MB);
  });

  it('the largest organization, its state and its registry entry', async () => {
    const reads = [
      ['shanghaiXincunCommittee', `/organizations/${largest}`],
      ['auditor', `/organizations/${largest}/state?revision=0`],
    ] as const;
    for (const [actor, path] of reads) {
      const res = await send(app, actor, 'GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(Buffer.byteLength(res.text)).toBeLessThan(MB);
    }
    const entry = await app.request('GET', `/registry/${largest}`);
    expect(Buffer.byteLength(entry.text)).toBeLessThan(MB);
  });
});
