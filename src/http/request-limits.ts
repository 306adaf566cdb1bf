import type { FastifyInstance } from 'fastify';
import type { ServerOptions } from 'node:http';

/** Every write body is a few kilobytes; 32 KB is several times the largest real one. */
export const DEFAULT_BODY_LIMIT = 32 * 1024;

/**
 * Routes whose real bodies can be larger: a registration may list 200 founders with names of
 * up to 100 characters (about 130 KB when every character is sent as a JSON `\u` escape).
 */
export const ROUTE_BODY_LIMITS: Readonly<Record<string, number>> = {
  'POST /organizations': 160 * 1024,
};

/**
 * Gives each route its body limit as it is registered: Fastify refuses a longer body with 413
 * from its Content-Length, before reading or parsing it.
 */
export function applyRouteBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const limits = methods.map((method) => ROUTE_BODY_LIMITS[`${method} ${route.url}`]);
    const limit = limits.find((value) => value !== undefined);
    if (limit !== undefined) route.bodyLimit = limit;
  });
}

/** How long an idle keep-alive connection stays open between requests. */
const KEEP_ALIVE_MS = 10_000;
/** A socket with no traffic at all for this long is closed (a stalled client or download). */
const IDLE_SOCKET_MS = 60_000;
/** The request line and headers must arrive within this (or the request timeout, if shorter). */
const HEADERS_MS = 10_000;

/**
 * Timeouts, so a slow or silent client cannot hold connections forever (Fastify's defaults are
 * none). Node checks pending requests every `connectionsCheckingInterval`: once a second, so a
 * timeout is enforced within a second of falling due rather than up to 30 s late.
 */
export function serverTimeouts(requestTimeoutSeconds: number): {
  requestTimeout: number;
  connectionTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
} {
  const requestMs = requestTimeoutSeconds * 1000;
  return {
    requestTimeout: requestMs,
    connectionTimeout: IDLE_SOCKET_MS,
    keepAliveTimeout: KEEP_ALIVE_MS,
    http: {
      headersTimeout: Math.min(HEADERS_MS, requestMs),
      connectionsCheckingInterval: 1000,
    },
  };
}
