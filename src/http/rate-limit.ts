import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { authenticate } from './auth/authenticate.js';
import type { TokenVerifier } from './auth/token-verifier.js';

export interface RateLimits {
  /** Requests per minute per verified token subject; 0: no limit. */
  readonly perSubject: number;
  /** Requests per minute per client address without a valid token; 0: no limit. */
  readonly perAddress: number;
}

/** Probes and scrapes come from the platform at a steady rate; a limit must never fail them. */
const EXEMPT = new Set(['/health', '/health/live', '/metrics']);

/** Over the limit: the filter answers it as problem+json 429 (the plugin set Retry-After). */
class TooManyRequests extends Error {
  readonly statusCode = 429;
  constructor(
    max: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`More than ${String(max)} requests in a minute; retry in ${String(retryAfterSeconds)} s`);
    this.name = 'TooManyRequests';
  }
}

/**
 * Counts requests per token subject, or per client address for requests without a valid token
 * (a forged or expired token counts against its address, so it buys no fresh allowance).
 */
export async function applyRateLimits(
  app: NestFastifyApplication,
  limits: RateLimits,
  verifier: TokenVerifier,
): Promise<void> {
  if (limits.perSubject === 0 && limits.perAddress === 0) return;
  const keyOf = async (request: FastifyRequest): Promise<string> => {
    // An unreachable identity provider is answered 503 by the guard; counted by address here.
    const who = await authenticate(request, verifier).catch(() => undefined);
    return who?.kind === 'actor' ? `subject:${who.actor.id}` : `address:${request.ip}`;
  };
  const limitOf = (key: string): number =>
    key.startsWith('subject:') ? limits.perSubject : limits.perAddress;
  await app.register(rateLimit, {
    timeWindow: 60_000,
    keyGenerator: keyOf,
    max: (_request, key) => limitOf(key),
    allowList: (request, key) => limitOf(key) === 0 || EXEMPT.has(request.url.split('?')[0] ?? ''),
    errorResponseBuilder: (_request, context) =>
      new TooManyRequests(context.max, Math.max(1, Math.ceil(context.ttl / 1000))),
  });
}
