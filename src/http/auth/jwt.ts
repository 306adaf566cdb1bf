import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { Divisions } from '../../divisions/divisions.js';
import type { Clock } from '../../event-sourcing/clock.js';
import type { Actor } from '../../organizations/domain/organization.types.js';
import { actorFromClaims, InvalidTokenError, timeChecks, validityOf } from './token-rules.js';
import type { TimedTokenVerifier, VerifiedToken } from './token-verifier.js';

const key = (secret: string): Uint8Array => new TextEncoder().encode(secret);

export async function signToken(
  secret: string,
  actor: Actor,
  expiresIn: string | number = '12h',
): Promise<string> {
  return new SignJWT({ role: actor.role, jurisdiction: actor.jurisdiction })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.id)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}

/**
 * HS256 tokens signed with JWT_SECRET: for local use and tests (production refuses this mode
 * unless ALLOW_HS256_IN_PRODUCTION). The same time and claim rules as OpenID Connect tokens.
 */
export class Hs256Verifier implements TimedTokenVerifier {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly divisions: Divisions,
    private readonly maxLifetimeSeconds: number,
    private readonly clock: Clock,
  ) {
    this.key = key(secret);
  }

  async verify(token: string): Promise<Actor> {
    return (await this.verifyToken(token)).actor;
  }

  async verifyToken(token: string): Promise<VerifiedToken> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        ...timeChecks(this.maxLifetimeSeconds, this.clock),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw new InvalidTokenError('the token has expired (or is older than this server accepts)');
      if (error instanceof joseErrors.JWTClaimValidationFailed)
        throw new InvalidTokenError(`the token's claims are not valid: ${error.message}`);
      throw new InvalidTokenError(
        "the token is not a valid HS256 JWT signed with this server's secret",
      );
    }
    return {
      actor: actorFromClaims(payload, HS256_CLAIMS, this.divisions, this.maxLifetimeSeconds),
      ...validityOf(payload, this.maxLifetimeSeconds),
    };
  }
}

/** The claims `npm run token` writes. */
const HS256_CLAIMS = { role: 'role', jurisdiction: 'jurisdiction' } as const;
