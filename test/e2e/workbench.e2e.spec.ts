/**
 * Issue #19: the workbench's routes. Its page and files carry a strict CSP that lets it reach
 * the identity provider and nothing else; `GET /workbench/config` says how it signs in; the
 * development sign-in's `POST /dev/token` mints a working local token in development, and does
 * not exist (404) in production or when an identity provider is configured.
 */
import { randomBytes } from 'node:crypto';
import { ACTORS } from '../support/fixtures.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';

const TIANPING = ACTORS.tianpingStreet.jurisdiction;

describe('in development, without an identity provider', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp({ env: { NODE_ENV: 'development' } });
  });
  afterAll(() => app.close());

  it('the page signs in with the development sign-in', async () => {
    const config = await app.request('GET', '/workbench/config');
    expect(config.status).toBe(200);
    expect(config.body).toEqual({ signIn: 'development' });
  });

  it('POST /dev/token mints a token the registry accepts for that role and place', async () => {
    const minted = await app.request('POST', '/dev/token', {
      body: { role: 'street', jurisdiction: TIANPING },
    });
    expect(minted.status).toBe(201);
    expect(minted.body).toMatchObject({ development: true, expiresIn: 8 * 3600 });
    const me = await app.request('GET', '/whoami', { token: minted.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: `dev-street-${TIANPING}`,
      role: 'street',
      jurisdiction: TIANPING,
      jurisdictionName: '天平路街道',
    });
  });

  it('refuses a place that does not fit the role (422), and a malformed body (400), naming the field', async () => {
    const res = await app.request('POST', '/dev/token', {
      body: { role: 'committee', jurisdiction: TIANPING },
    });
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('jurisdiction-fits-role');
    expect(res.body.errors).toEqual([
      { field: 'jurisdiction', message: expect.stringContaining(TIANPING) as string },
    ]);
    const role = await app.request('POST', '/dev/token', {
      body: { role: 'mayor', jurisdiction: '310000' },
    });
    expect(role.status).toBe(400);
    expect((role.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['role']);
  });

  it('GET /whoami needs a token', async () => {
    expect((await app.request('GET', '/whoami')).status).toBe(401);
  });

  it('serves the page, oauth4webapi and the labels under a strict CSP', async () => {
    const page = await app.request('GET', '/workbench');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    const vendor = await app.request('GET', '/workbench/vendor/oauth4webapi.js');
    expect(vendor.status).toBe(200);
    expect(vendor.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(vendor.text).toContain('export async function authorizationCodeGrantRequest');
    const labels = await app.request('GET', '/workbench/labels.json');
    expect(labels.body.activityKinds).toContainEqual({ code: 'culture', label: '文化活动' });
    expect((await app.request('GET', '/workbench/nothing.js')).status).toBe(404);
  });
});

describe('in production', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp({
      env: {
        NODE_ENV: 'production',
        ALLOW_HS256_IN_PRODUCTION: 'true',
        JWT_SECRET: randomBytes(48).toString('base64'),
        PERSONAL_DATA_KEK: randomBytes(32).toString('base64'),
      },
    });
  });
  afterAll(() => app.close());

  it('POST /dev/token does not exist (404), and the page offers no sign-in', async () => {
    const res = await app.request('POST', '/dev/token', {
      body: { role: 'city', jurisdiction: '310000' },
    });
    expect(res.status).toBe(404);
    const config = await app.request('GET', '/workbench/config');
    expect(config.body).toMatchObject({ signIn: 'unavailable' });
  });
});

describe('with an identity provider (OIDC_ISSUER), even outside production', () => {
  let provider: TestProvider;
  let app: HttpApp;
  beforeAll(async () => {
    provider = await startTestProvider();
    app = await startHttpApp({
      provider,
      env: { NODE_ENV: 'development', OIDC_CLIENT_ID: 'workbench' },
    });
  }, 30_000);
  afterAll(async () => {
    await app.close();
    await provider.stop();
  });

  it('POST /dev/token does not exist (404)', async () => {
    const res = await app.request('POST', '/dev/token', {
      body: { role: 'city', jurisdiction: '310000' },
    });
    expect(res.status).toBe(404);
  });

  it('the page signs in at the provider as the public client, and may call it (CSP)', async () => {
    const config = await app.request('GET', '/workbench/config');
    expect(config.body).toEqual({
      signIn: 'oidc',
      issuer: provider.issuer,
      clientId: 'workbench',
      scope: 'openid',
    });
    const page = await app.request('GET', '/workbench');
    expect(page.headers.get('content-security-policy')).toContain(
      `connect-src 'self' ${new URL(provider.issuer).origin}`,
    );
  });

  it('GET /whoami answers the role and place of a provider token', async () => {
    const token = await provider.token({ role: 'district', jurisdiction: '310104', sub: 'd-1' });
    const me = await app.request('GET', '/whoami', { token });
    expect(me.body).toEqual({
      id: 'd-1',
      role: 'district',
      jurisdiction: '310104',
      jurisdictionName: '徐汇区',
    });
  });
});
