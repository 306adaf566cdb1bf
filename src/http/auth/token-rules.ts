import type { JWTPayload } from 'jose';
import { CITY_CODE, type Divisions } from '../../divisions/divisions.js';
import type { Clock } from '../../event-sourcing/clock.js';
import { ROLES, type Actor, type Role } from '../../organizations/domain/organization.types.js';

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** Whether a jurisdiction code fits the role: the city, a district, a street or a community. */
export function jurisdictionProblem(
  role: Role,
  jurisdiction: string,
  divisions: Divisions,
): string | undefined {
  const fits: Record<Role, boolean> = {
    city: jurisdiction === CITY_CODE,
    district: divisions.district(jurisdiction) !== undefined,
    street: divisions.street(jurisdiction) !== undefined,
    committee: divisions.community(jurisdiction) !== undefined,
    auditor: jurisdiction === CITY_CODE || divisions.isKnown(jurisdiction),
  };
  return fits[role]
    ? undefined
    : `jurisdiction ${jurisdiction} is not a known division for role ${role}`;
}

/** Clocks of the provider and of this server may differ by this much (exp, nbf, iat). */
export const CLOCK_LEEWAY_SECONDS = 60;

/** Where a token carries the caller's role and jurisdiction (OIDC_ROLE_CLAIM, OIDC_JURISDICTION_CLAIM). */
export interface ClaimNames {
  readonly role: string;
  readonly jurisdiction: string;
}

/** jose's checks every token gets: expiry, not-before and issued-at with leeway, a bounded age. */
export function timeChecks(
  maxLifetimeSeconds: number,
  clock: Clock,
): {
  clockTolerance: number;
  maxTokenAge: number;
  requiredClaims: string[];
  currentDate: Date;
} {
  return {
    currentDate: clock.now(),
    clockTolerance: CLOCK_LEEWAY_SECONDS,
    maxTokenAge: maxLifetimeSeconds,
    requiredClaims: ['sub', 'exp', 'iat'],
  };
}

/**
 * A token's actor: its subject, and a role and jurisdiction that fit each other. A token meant
 * to live longer than TOKEN_MAX_LIFETIME is refused outright, not merely once it is that old.
 */
export function actorFromClaims(
  payload: JWTPayload,
  claims: ClaimNames,
  divisions: Divisions,
  maxLifetimeSeconds: number,
): Actor {
  const { sub, exp, iat } = payload;
  if (typeof exp === 'number' && typeof iat === 'number' && exp - iat > maxLifetimeSeconds) {
    throw new InvalidTokenError(
      `the token lives longer than this server accepts (${String(maxLifetimeSeconds)} s from iat)`,
    );
  }
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200)
    throw new InvalidTokenError('the token has no valid sub');
  const role = payload[claims.role];
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new InvalidTokenError(`claim ${claims.role} must be one of ${ROLES.join(', ')}`);
  }
  const jurisdiction = payload[claims.jurisdiction];
  if (typeof jurisdiction !== 'string')
    throw new InvalidTokenError(`the token has no ${claims.jurisdiction} claim`);
  const problem = jurisdictionProblem(role as Role, jurisdiction, divisions);
  if (problem) throw new InvalidTokenError(problem);
  return { id: sub, role: role as Role, jurisdiction };
}

/**
 * When a token verified with `timeChecks` may be taken for good without checking again: from its
 * `nbf` (or `iat`) until its `exp` or the end of its allowed age, whichever comes first. Without
 * the clock leeway: inside this window every check passes, whatever the leeway.
 */
export function validityOf(
  payload: JWTPayload,
  maxLifetimeSeconds: number,
): { readonly validFrom: number; readonly validUntil: number } {
  const iat = payload.iat ?? Number.POSITIVE_INFINITY;
  const exp = payload.exp ?? Number.NEGATIVE_INFINITY;
  return {
    validFrom: Math.max(iat, payload.nbf ?? Number.NEGATIVE_INFINITY),
    validUntil: Math.min(exp, iat + maxLifetimeSeconds),
  };
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `30m`, `12h`, `1d` or a number of seconds, in seconds. */
export function durationSeconds(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1);
}
