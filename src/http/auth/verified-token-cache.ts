import type { Clock } from '../../event-sourcing/clock.js';
import type { Actor } from '../../organizations/domain/organization.types.js';
import type { TimedTokenVerifier, TokenVerifier, VerifiedToken } from './token-verifier.js';

/**
 * Remembers the tokens a verifier found good, keyed by the token itself, until they expire: a
 * client sends the same token with every request, and checking its signature again (HS256
 * through WebCrypto, or RS256/ES256/EdDSA) was about a tenth of a registration's time on the
 * request's thread. Only successes are kept, and a kept token is answered only inside the window
 * in which the verifier would accept it too (from `nbf`/`iat` until `exp` or the end of its
 * allowed age, on the same clock, without leeway); outside it the verifier decides again. Bounded
 * by count, least recently used first out (TOKEN_CACHE_SIZE; 0 turns it off).
 */
export class VerifiedTokenCache implements TokenVerifier {
  private readonly tokens = new Map<string, VerifiedToken>();

  constructor(
    private readonly verifier: TimedTokenVerifier,
    private readonly capacity: number,
    private readonly clock: Clock,
  ) {}

  async verify(token: string): Promise<Actor> {
    const now = this.clock.now().getTime() / 1000;
    const known = this.tokens.get(token);
    if (known !== undefined) {
      this.tokens.delete(token);
      if (holds(known, now)) {
        // Back to the most recently used end.
        this.tokens.set(token, known);
        return known.actor;
      }
    }
    const verified = await this.verifier.verifyToken(token);
    if (this.capacity > 0 && holds(verified, this.clock.now().getTime() / 1000)) {
      this.tokens.delete(token);
      this.tokens.set(token, verified);
      if (this.tokens.size > this.capacity) {
        const oldest = this.tokens.keys().next();
        if (!oldest.done) this.tokens.delete(oldest.value);
      }
    }
    return verified.actor;
  }

  /** Tokens kept now (for tests and metrics). */
  get size(): number {
    return this.tokens.size;
  }
}

const holds = (token: VerifiedToken, nowSeconds: number): boolean =>
  token.validFrom <= nowSeconds && nowSeconds < token.validUntil;
