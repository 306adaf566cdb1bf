import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../organizations/domain/organization.types.js';
import { InvalidTokenError } from './token-rules.js';
import type { TokenVerifier } from './token-verifier.js';

/** What a request's Authorization header proved: an actor, nothing (no header), or a refusal. */
export type Authentication =
  | { readonly kind: 'actor'; readonly actor: Actor }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'refused'; readonly reason: string };

const byRequest = new WeakMap<object, Promise<Authentication>>();

/**
 * Verifies a request's bearer token once, however many times it is asked: the rate limiter
 * (which counts per verified subject, so a forged token cannot buy a fresh allowance) asks
 * before the route runs, the auth guard asks again. Rejects (503) when the identity provider
 * cannot be reached.
 */
export function authenticate(
  request: FastifyRequest,
  verifier: TokenVerifier,
): Promise<Authentication> {
  let known = byRequest.get(request.raw);
  if (!known) {
    known = verify(request.headers.authorization, verifier);
    byRequest.set(request.raw, known);
  }
  return known;
}

async function verify(
  header: string | undefined,
  verifier: TokenVerifier,
): Promise<Authentication> {
  if (header === undefined) return { kind: 'anonymous' };
  // The scheme is case-insensitive (RFC 9110 §11.1).
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/i.exec(header);
  if (!match?.[1])
    return { kind: 'refused', reason: 'The Authorization header must be "Bearer <JWT>"' };
  try {
    return { kind: 'actor', actor: await verifier.verify(match[1]) };
  } catch (error) {
    if (error instanceof InvalidTokenError) return { kind: 'refused', reason: error.message };
    throw error;
  }
}
