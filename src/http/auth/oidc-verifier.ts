import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Divisions } from '../../divisions/divisions.js';
import type { Clock } from '../../event-sourcing/clock.js';
import type { Actor } from '../../organizations/domain/organization.types.js';
import {
  actorFromClaims,
  InvalidTokenError,
  timeChecks,
  validityOf,
  type ClaimNames,
} from './token-rules.js';
import {
  IdentityProviderUnavailable,
  type TimedTokenVerifier,
  type VerifiedToken,
} from './token-verifier.js';

/** Signatures only the provider can make: never a shared secret (HS256) from a provider. */
const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

/** How long discovery and a key fetch may take before the provider counts as unreachable. */
const FETCH_TIMEOUT_MS = 5000;

export interface OidcSettings {
  /** OIDC_ISSUER: the provider's issuer identifier, compared exactly with discovery and `iss`. */
  readonly issuer: string;
  /** OIDC_AUDIENCE: this registry's identifier at the provider; every token's `aud` must hold it. */
  readonly audience: string;
  readonly claims: ClaimNames;
  readonly maxLifetimeSeconds: number;
  /** The least time between two key fetches caused by unknown `kid`s (jose's cooldown). */
  readonly refetchCooldownMs?: number;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/**
 * Access tokens of an OpenID Connect provider: the keys are found by discovery and fetched from
 * its JWKS (jose caches them and fetches again when a token names a `kid` it does not know, so
 * a rotation needs no restart). Discovery is retried on the next request while it fails: a
 * provider down when the server starts is picked up once it is back.
 */
export class OidcVerifier implements TimedTokenVerifier {
  private keys: Promise<KeySet> | undefined;

  constructor(
    private readonly settings: OidcSettings,
    private readonly divisions: Divisions,
    private readonly clock: Clock,
  ) {}

  async verify(token: string): Promise<Actor> {
    return (await this.verifyToken(token)).actor;
  }

  async verifyToken(token: string): Promise<VerifiedToken> {
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ALGORITHMS,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        ...timeChecks(this.settings.maxLifetimeSeconds, this.clock),
      }));
    } catch (error) {
      throw refusal(error);
    }
    const { claims, maxLifetimeSeconds } = this.settings;
    return {
      actor: actorFromClaims(payload, claims, this.divisions, maxLifetimeSeconds),
      ...validityOf(payload, maxLifetimeSeconds),
    };
  }

  private keySet(): Promise<KeySet> {
    if (!this.keys) {
      this.keys = this.discover();
      // Not kept when it failed: the next request tries again.
      this.keys.catch(() => (this.keys = undefined));
    }
    return this.keys;
  }

  private async discover(): Promise<KeySet> {
    const url = `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let metadata: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`discovery answered ${String(response.status)}`);
      metadata = (await response.json()) as typeof metadata;
    } catch (error) {
      throw new IdentityProviderUnavailable(
        `discovery at ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (metadata.issuer !== this.settings.issuer || typeof metadata.jwks_uri !== 'string') {
      // A misconfiguration, not an outage; still 503, and said plainly in the log.
      throw new IdentityProviderUnavailable(
        `discovery at ${url} names issuer ${JSON.stringify(metadata.issuer)}, not ${this.settings.issuer}, or no jwks_uri`,
      );
    }
    return createRemoteJWKSet(new URL(metadata.jwks_uri), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cooldownDuration: this.settings.refetchCooldownMs ?? 2000,
      cacheMaxAge: 10 * 60_000,
    });
  }
}

/** A failed verification: the provider unreachable (503), or a token that is not good (401). */
function refusal(error: unknown): Error {
  if (
    error instanceof joseErrors.JWKSTimeout ||
    // fetch's own failure (connection refused, DNS) and jose's "no 200 OK / no JSON" from the JWKS
    (error instanceof TypeError && !(error instanceof joseErrors.JOSEError)) ||
    (error instanceof joseErrors.JOSEError && error.code === 'ERR_JOSE_GENERIC')
  ) {
    return new IdentityProviderUnavailable(`its key set could not be fetched: ${error.message}`);
  }
  if (error instanceof joseErrors.JWTExpired)
    return new InvalidTokenError('the token has expired (or is older than this server accepts)');
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return new InvalidTokenError(`the token's ${error.claim} claim is not valid: ${error.reason}`);
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return new InvalidTokenError("the token's key is not one of the identity provider's keys");
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return new InvalidTokenError(`tokens must be signed with ${ALGORITHMS.join(', ')}`);
  return new InvalidTokenError('the token is not a valid JWT of the identity provider');
}
