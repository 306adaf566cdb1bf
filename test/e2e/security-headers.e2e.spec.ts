/**
 * Security headers: nosniff, no framing and a Content-Security-Policy on every answer (strict on
 * the API, the dashboard's own on the page, one Swagger UI can work with on /docs); HSTS only on
 * answers that went out over HTTPS behind a trusted proxy; no caching of answers to a token.
 */
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import { createGroup, send } from '../support/e2e-kit.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const csp = (headers: Headers): string => headers.get('content-security-policy') ?? '';

describe('on every answer', () => {
  it.each(['/registry', '/statistics/overview', '/docs/json', '/no-such-path', '/health'])(
    '%s: nosniff, no framing, a CSP that loads nothing',
    async (path) => {
      const res = await app.request('GET', path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(csp(res.headers)).toContain("default-src 'none'");
      expect(csp(res.headers)).toContain("frame-ancestors 'none'");
      expect(res.headers.get('strict-transport-security')).toBeNull();
    },
  );

  it('the dashboard page and its files: only this origin', async () => {
    for (const path of ['/', '/dashboard/main.js']) {
      const policy = csp((await app.request('GET', path)).headers);
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-eval');
      expect(policy).toContain("frame-ancestors 'none'");
    }
  });

  it('Swagger UI: its own files, inline styles and data: icons, nothing from elsewhere', async () => {
    const res = await app.request('GET', '/docs');
    expect(res.status).toBe(200);
    const policy = csp(res.headers);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy).toContain("img-src 'self' data:");
  });
});

describe('Cache-Control: no-store on answers to a token', () => {
  it('an organization with its contact, and a refused token, are never stored', async () => {
    const { id } = await createGroup(app);
    const res = await send(app, 'shanghaiXincunCommittee', 'GET', `/organizations/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const refused = await app.request('GET', `/organizations/${id}`, {
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });

  it('the public registry without a token may be cached', async () => {
    const res = await app.request('GET', '/registry');
    expect(res.headers.get('cache-control')).not.toBe('no-store');
  });
});

describe('HSTS', () => {
  it('is not sent for a client that merely claims HTTPS when no proxy is trusted', async () => {
    const res = await app.request('GET', '/registry', {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('is sent on HTTPS answers behind a trusted proxy (TRUST_PROXY=true), not on plain HTTP', async () => {
    const proxied = await startHttpApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const https = await proxied.request('GET', '/registry', {
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(https.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
      const http = await proxied.request('GET', '/registry');
      expect(http.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await proxied.close();
    }
  });
});
