import type { Config } from '../../config.js';
import type { Divisions } from '../../divisions/divisions.js';
import type { Clock } from '../../event-sourcing/clock.js';
import { Hs256Verifier } from './jwt.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { OidcVerifier } from './oidc-verifier.js';
import { durationSeconds } from './token-rules.js';
import type { TimedTokenVerifier, TokenVerifier } from './token-verifier.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/**
 * OpenID Connect whenever OIDC_ISSUER is set, in every mode; otherwise HS256 with JWT_SECRET
 * (or the secret generated in DATA_DIR), which production accepts only when told to. Either way
 * behind a cache of the tokens found good (TOKEN_CACHE_SIZE).
 */
export function createTokenVerifier(
  config: Config,
  divisions: Divisions,
  clock: Clock,
): TokenVerifier {
  const verifier = tokenVerifier(config, divisions, clock);
  return config.TOKEN_CACHE_SIZE > 0
    ? new VerifiedTokenCache(verifier, config.TOKEN_CACHE_SIZE, clock)
    : verifier;
}

function tokenVerifier(config: Config, divisions: Divisions, clock: Clock): TimedTokenVerifier {
  const maxLifetimeSeconds = durationSeconds(config.TOKEN_MAX_LIFETIME);
  if (config.OIDC_ISSUER !== undefined) {
    return new OidcVerifier(
      {
        issuer: config.OIDC_ISSUER,
        audience: config.OIDC_AUDIENCE ?? '',
        claims: { role: config.OIDC_ROLE_CLAIM, jurisdiction: config.OIDC_JURISDICTION_CLAIM },
        maxLifetimeSeconds,
      },
      divisions,
      clock,
    );
  }
  return new Hs256Verifier(
    resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR),
    divisions,
    maxLifetimeSeconds,
    clock,
  );
}
