/**
 * Starts the real application (createApp) on a fresh temporary DATA_DIR and a loopback port,
 * and talks to it over real HTTP with the global fetch: no `inject`, no mocks.
 *
 *   const app = await startHttpApp();
 *   const res = await app.request('POST', '/organizations', { token, body });
 *   await app.close();
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.js';
import { signToken } from '../../src/http/auth/jwt.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/event-sourcing/clock.js';
import type { Role } from '../../src/organizations/domain/organization.types.js';
import { TEST_AUDIENCE, type TestProvider } from './oidc-provider.js';
import { TEST_PERSONAL_DATA_KEK } from './personal-data-kek.js';

/** The secret every e2e server signs with (≥ 32 characters, as the config demands). */
export const TEST_JWT_SECRET = 'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
/** Another valid secret: tokens signed with it must be refused. */
export const OTHER_JWT_SECRET = 'another-secret-9876543210-zyxwvutsrqponmlkjihgfedcba';

/** The business day of the in-process test server (Shanghai), whatever the machine's date. */
export const TEST_TODAY = '2026-01-15';
/** A fixed clock: 10:00 in Shanghai on TEST_TODAY, so every run sees the same "today". */
export const TEST_CLOCK: Clock = { now: () => new Date('2026-01-15T02:00:00.000Z') };

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Serialized with JSON.stringify and sent as application/json. */
  readonly body?: unknown;
  /** Sent exactly as given (no content type unless `headers` names one). */
  readonly rawBody?: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

/** A parsed JSON answer: loosely typed, tests read the fields they assert on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON from the wire
export type Json = any;

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON answer when it is JSON, else the text. */
  readonly body: Json;
  readonly text: string;
}

export interface HttpApp {
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly secret: string;
  /** A valid token for the role and jurisdiction (sub defaults to `<role>-<jurisdiction>`). */
  token(role: Role, jurisdiction: string, sub?: string): Promise<string>;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment settings (the validated config is built from them). */
  readonly env?: Record<string, string>;
  /** Defaults to TEST_CLOCK. */
  readonly clock?: Clock;
  /**
   * Tokens from this OpenID Connect provider (OIDC_ISSUER, OIDC_AUDIENCE set to it): `token()`
   * then asks the provider through a real grant instead of signing HS256 itself.
   */
  readonly provider?: TestProvider;
  /** The clock tokens are checked against (default: the machine's). */
  readonly tokenClock?: Clock;
}

/** Signs an HS256 token; `expiresIn` as jose takes it (e.g. '1h', or an epoch in seconds). */
export function signTestToken(
  role: Role,
  jurisdiction: string,
  options: { sub?: string; secret?: string; expiresIn?: string | number } = {},
): Promise<string> {
  return signToken(
    options.secret ?? TEST_JWT_SECRET,
    { id: options.sub ?? `${role}-${jurisdiction}`, role, jurisdiction },
    options.expiresIn ?? '1h',
  );
}

/** One HTTP exchange over the loopback with the global fetch. */
export async function httpRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  let body: string | Uint8Array | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.rawBody !== undefined) body = options.rawBody;
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined && { body }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  if (/json/.test(response.headers.get('content-type') ?? '') && text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export async function startHttpApp(options: StartOptions = {}): Promise<HttpApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'community-orgs-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    PERSONAL_DATA_KEK: TEST_PERSONAL_DATA_KEK,
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    // The suites send thousands of requests from one address and a few subjects; the limits
    // have their own test, which sets them.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '0',
    ...(options.provider && { OIDC_ISSUER: options.provider.issuer, OIDC_AUDIENCE: TEST_AUDIENCE }),
    ...options.env,
  });
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp({
      config,
      clock: options.clock ?? TEST_CLOCK,
      ...(options.tokenClock && { tokenClock: options.tokenClock }),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const running = app;
  let closed = false;
  return {
    baseUrl,
    dataDir,
    secret: TEST_JWT_SECRET,
    token: (role, jurisdiction, sub) => {
      const provider = options.provider;
      if (provider)
        return provider.token({ role, jurisdiction, sub: sub ?? `${role}-${jurisdiction}` });
      return signTestToken(role, jurisdiction, sub === undefined ? {} : { sub });
    },
    request: (method, path, requestOptions) => httpRequest(baseUrl, method, path, requestOptions),
    async close() {
      if (closed) return;
      closed = true;
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
