/**
 * Tokens from a real OpenID Connect provider (oidc-provider, in this process): accepted through
 * discovery and the provider's JWKS; refused (401) from another issuer, for another audience,
 * expired, issued in the future, meant to live too long, or HS256; keys rotated mid-run are
 * picked up; while the provider cannot be reached, requests with a token are 503 with
 * Retry-After, and succeed again once it is back, without a restart.
 */
import { freePort } from '../../bench/free-port.js';
import type { Clock } from '../../src/event-sourcing/clock.js';
import { ACTORS } from '../support/fixtures.js';
import { groupBody } from '../support/e2e-kit.js';
import { signTestToken, startHttpApp, type HttpApp } from '../support/http-app.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { sleep } from '../support/wait.js';

const committee = ACTORS.shanghaiXincunCommittee;
const asCommittee = {
  role: committee.role,
  jurisdiction: committee.jurisdiction,
  sub: committee.id,
};

let provider: TestProvider;
let app: HttpApp;
beforeAll(async () => {
  provider = await startTestProvider();
  app = await startHttpApp({ provider });
}, 30_000);
afterAll(async () => {
  await app.close();
  await provider.stop();
});

const register = (token: string, on: HttpApp = app) =>
  on.request('POST', '/organizations', { token, body: groupBody() });

function expect401(res: { status: number; body: { detail?: string } }, detail: RegExp): void {
  expect(res.status).toBe(401);
  expect(res.body.detail).toMatch(detail);
}

describe('tokens the provider issued to the registry', () => {
  it('are accepted: a committee registers a group and reads it', async () => {
    const token = await provider.token(asCommittee);
    const created = await register(token);
    expect(created.status).toBe(201);
    const read = await app.request('GET', `/organizations/${String(created.body.id)}`, { token });
    expect(read.status).toBe(200);
  });

  it('carry the role and jurisdiction the provider put in them: another community is 403', async () => {
    const token = await provider.token({
      ...asCommittee,
      jurisdiction: '310104003002',
      sub: 'c-other',
    });
    expect((await register(token)).status).toBe(403);
  });
});

describe('refused with 401', () => {
  it('a token for another audience', async () => {
    const token = await provider.token({ ...asCommittee, audience: 'urn:other:service' });
    expect401(await register(token), /aud/);
  });

  it('a token of another issuer, even with the same audience', async () => {
    const other = await startTestProvider();
    try {
      const token = await other.token(asCommittee);
      expect((await register(token)).status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('an HS256 token, however well signed', async () => {
    const token = await signTestToken(committee.role, committee.jurisdiction, {
      sub: committee.id,
    });
    expect((await register(token)).status).toBe(401);
  });

  it('a token meant to live longer than TOKEN_MAX_LIFETIME (12 h)', async () => {
    const token = await provider.token({ ...asCommittee, ttlSeconds: 13 * 3600 });
    expect401(await register(token), /longer than this server accepts/);
  });

  it.each([
    ['expired: checked two hours later', 2 * 3600_000, /expired/],
    ['issued in the future: checked two hours earlier', -2 * 3600_000, /iat/],
  ])('a token %s', async (_what, shiftMs, detail) => {
    const shifted: Clock = { now: () => new Date(Date.now() + shiftMs) };
    const later = await startHttpApp({ provider, tokenClock: shifted });
    try {
      expect401(await register(await provider.token(asCommittee), later), detail);
    } finally {
      await later.close();
    }
  });
});

describe('the provider changes and fails', () => {
  it('a key rotated in mid-run is fetched on its first token', async () => {
    const before = await provider.token(asCommittee);
    expect((await register(before)).status).toBe(201);
    await provider.rotateKeys();
    // jose fetches a key set again at most every 2 s, whatever kids it is shown.
    await sleep(2100);
    const after = await provider.token(asCommittee);
    expect(JSON.parse(Buffer.from(after.split('.')[0] ?? '', 'base64url').toString()).kid).not.toBe(
      JSON.parse(Buffer.from(before.split('.')[0] ?? '', 'base64url').toString()).kid,
    );
    expect((await register(after)).status).toBe(201);
  });

  it('down at start: 503 with Retry-After, not 401; back: accepted without a restart', async () => {
    const port = await freePort();
    const later = await startHttpApp({
      env: {
        OIDC_ISSUER: `http://127.0.0.1:${String(port)}`,
        OIDC_AUDIENCE: 'urn:community-orgs:registry',
      },
    });
    try {
      const early = await startTestProvider(port);
      const token = await early.token(asCommittee);
      await early.stop();
      const refused = await register(token, later);
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      await early.start();
      expect((await register(token, later)).status).toBe(201);
      await early.stop();
    } finally {
      await later.close();
    }
  });
});
