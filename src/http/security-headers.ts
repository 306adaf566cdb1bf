import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

type Directives = Readonly<Record<string, readonly string[]>>;

/** JSON and CSV answers load nothing and belong in no frame. */
const API_POLICY: Directives = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/**
 * The dashboard loads its scripts, styles and data from the registry itself and nothing from
 * elsewhere. ECharts' tooltips carry inline style attributes, hence style-src 'unsafe-inline'.
 */
const DASHBOARD_POLICY: Directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};

/** Swagger UI (served from here, no CDN) styles its elements inline and draws icons as data: URIs. */
const DOCS_POLICY: Directives = { ...DASHBOARD_POLICY, formAction: ["'none'"] };

/**
 * The workbench loads only its own files and draws no charts (no inline styles); besides the
 * registry it talks to the identity provider (discovery and the token endpoint), nothing else.
 */
function workbenchPolicy(identityProvider: string | undefined): Directives {
  return {
    ...DASHBOARD_POLICY,
    styleSrc: ["'self'"],
    connectSrc: ["'self'", ...(identityProvider ? [new URL(identityProvider).origin] : [])],
  };
}

/** The policy for a route, by the path it is registered at. */
function policyFor(url: string, identityProvider: string | undefined): Directives {
  if (url === '/' || url.startsWith('/dashboard/')) return DASHBOARD_POLICY;
  if (url === '/workbench' || (url.startsWith('/workbench/') && url !== '/workbench/config'))
    return workbenchPolicy(identityProvider);
  if (url === '/docs' || (url.startsWith('/docs/') && url !== '/docs/json')) return DOCS_POLICY;
  return API_POLICY;
}

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every answer (@fastify/helmet): nosniff, no framing, no referrer, a
 * Content-Security-Policy chosen per route. HSTS only on answers that went out over HTTPS (behind
 * a proxy that says so, with TRUST_PROXY): over plain HTTP browsers ignore it anyway. Answers to
 * a request that carried a token may hold personal data: never stored by a cache.
 */
export async function applySecurityHeaders(
  app: NestFastifyApplication,
  /** OIDC_ISSUER: the workbench's page may call it. */
  identityProvider?: string,
): Promise<void> {
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    route.config = {
      ...route.config,
      helmet: {
        contentSecurityPolicy: {
          useDefaults: false,
          directives: policyFor(route.url, identityProvider),
        },
      },
    } as typeof route.config;
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_POLICY },
    strictTransportSecurity: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  fastify.addHook('onRequest', async (request: FastifyRequest, reply) => {
    if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
  });
  fastify.addHook('onSend', async (request: FastifyRequest, reply, payload) => {
    if (request.headers.authorization !== undefined) void reply.header('cache-control', 'no-store');
    return payload;
  });
}
