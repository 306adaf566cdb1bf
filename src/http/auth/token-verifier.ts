import { HttpException } from '@nestjs/common';
import type { Actor } from '../../organizations/domain/organization.types.js';

/** Turns a bearer token into the actor it proves; throws InvalidTokenError (401) or IdentityProviderUnavailable (503). */
export interface TokenVerifier {
  verify(token: string): Promise<Actor>;
}

/** A token found good: its actor, and when it may be taken for good without checking again. */
export interface VerifiedToken {
  readonly actor: Actor;
  /** In seconds since the epoch, as the token's claims: the earliest and the first bad moment. */
  readonly validFrom: number;
  readonly validUntil: number;
}

/** A verifier that tells how long its answer holds, which a cache of verified tokens needs. */
export interface TimedTokenVerifier extends TokenVerifier {
  verifyToken(token: string): Promise<VerifiedToken>;
}

export const TOKEN_VERIFIER = Symbol('TokenVerifier');

/**
 * The identity provider's keys cannot be had (discovery or JWKS unreachable): the token may well
 * be valid, so the caller is told to retry (503), not that it is unauthorized (401).
 */
export class IdentityProviderUnavailable extends HttpException {
  readonly retryAfterSeconds = 5;
  constructor(reason: string) {
    super(
      `The identity provider cannot be reached to check the token (${reason}); retry shortly`,
      503,
    );
  }
}
