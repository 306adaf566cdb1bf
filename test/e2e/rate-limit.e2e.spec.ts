/**
 * Rate limits (RATE_LIMIT_PER_MINUTE per token subject, RATE_LIMIT_PUBLIC_PER_MINUTE per address
 * without a valid token): the request over the limit is a 429 problem with Retry-After; health
 * probes are never limited; a forged token counts against its address; 0 turns a limit off.
 */
import {
  OTHER_JWT_SECRET,
  signTestToken,
  startHttpApp,
  type HttpApp,
} from '../support/http-app.js';
import { expectProblem } from '../support/e2e-kit.js';
import { ACTORS } from '../support/fixtures.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp({
    env: { RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_PUBLIC_PER_MINUTE: '3' },
  });
});
afterAll(async () => {
  await app.close();
});

const tokenOf = (actor: keyof typeof ACTORS): Promise<string> => {
  const a = ACTORS[actor];
  return app.token(a.role, a.jurisdiction, a.id);
};

describe('rate limits', () => {
  it('health probes are never limited', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await app.request('GET', '/health/live')).status).toBe(200);
    }
  });

  it('the public get 3 a minute per address, then 429 problem+json with Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await app.request('GET', '/registry')).status).toBe(200);
    const refused = await app.request('GET', '/registry');
    expectProblem(refused, 429);
    expect(refused.body).toMatchObject({ title: 'Too many requests' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('a forged token counts against its address: no fresh allowance', async () => {
    const forged = await signTestToken('city', ACTORS.city.jurisdiction, {
      secret: OTHER_JWT_SECRET,
      sub: 'forged-subject',
    });
    expectProblem(await app.request('GET', '/registry', { token: forged }), 429);
  });

  it('each token subject has its own 5 a minute, whatever its address used', async () => {
    const city = await tokenOf('city');
    for (let i = 0; i < 5; i++) {
      expect((await app.request('GET', '/registry', { token: city })).status).toBe(200);
    }
    expectProblem(await app.request('GET', '/registry', { token: city }), 429);
    const district = await tokenOf('xuhuiDistrict');
    expect((await app.request('GET', '/registry', { token: district })).status).toBe(200);
  });
});

describe('0 turns a limit off', () => {
  it('serves 100 public requests from one address a minute', async () => {
    const open = await startHttpApp();
    try {
      for (let i = 0; i < 100; i++)
        expect((await open.request('GET', '/divisions')).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
