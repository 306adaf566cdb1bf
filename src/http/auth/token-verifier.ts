import { HttpException } from '@nestjs/common';
import type { Actor } from '../../organizations/domain/organization.types.js';

/** Turns a bearer token into the actor it proves; throws InvalidTokenError (401) or IdentityProviderUnavailable (503). */
export interface TokenVerifier {
  verify(token: string): Promise<Actor>;
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
