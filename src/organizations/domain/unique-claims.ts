import { createHash } from 'node:crypto';
import { CITY_CODE } from '../../divisions/divisions.js';
import type { Organization, OrganizationState } from './organization.state.js';
import { managingLevel, type Placement } from './rules/authority.js';
import { normalizeName } from './rules/organization-name.js';
import { CLAIM_STREAM_PREFIX } from './stream-names.js';

/**
 * What a live organization holds alone in an area (DOMAIN.md §3): its name under its managing
 * authority, its USCC city-wide, a team's filing number within its street.
 */
export const CLAIM_KINDS = ['name', 'uscc', 'filing-number'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export interface UniqueClaim {
  readonly kind: ClaimKind;
  /** Division code of the area in which the value is unique. */
  readonly scope: string;
  /** The value as the organization holds it (compared normalized: claimKey). */
  readonly value: string;
}

/** The request field a claim comes from, as refusals name it. */
export const CLAIM_FIELDS: Record<ClaimKind, string> = {
  name: 'name',
  uscc: 'uscc',
  'filing-number': 'filingNumber',
};

/**
 * The area a name is unique in: the jurisdiction of the level that manages the organization —
 * a group's community, a team's street, a registered organization's district, a community
 * foundation's city (310000). A group based at a special unit without a community: its street.
 */
export function nameScope(place: Placement): string {
  return managingLevel(place).jurisdiction ?? place.streetCode;
}

/**
 * The form in which two values of a kind are the same: a name normalized as the domain compares
 * names (NFKC, no white space, no default-ignorable code points); a credential likewise and in
 * upper case (`xh-tp-1` is `XH-TP-1`).
 */
export function claimKey(kind: ClaimKind, value: string): string {
  const normalized = normalizeName(value);
  return kind === 'name' ? normalized : normalized.toUpperCase();
}

/** What makes two claims the same: kind, scope and normalized value. */
const identity = (claim: UniqueClaim): string =>
  `${claim.kind}\u0000${claim.scope}\u0000${claimKey(claim.kind, claim.value)}`;

/** One identity per (kind, scope, normalized value): the reservation stream's name. */
export function claimStream(claim: UniqueClaim): string {
  const digest = createHash('sha256')
    .update(claimKey(claim.kind, claim.value))
    .digest('hex')
    .slice(0, 32);
  return `${CLAIM_STREAM_PREFIX}${claim.kind}-${claim.scope}-${digest}`;
}

/** What the organization holds alone: nothing before it exists or once it is dissolved. */
export function claimsOf(state: OrganizationState): UniqueClaim[] {
  if (state === null || state.status !== 'active') return [];
  const claims: UniqueClaim[] = [{ kind: 'name', scope: nameScope(state), value: state.name }];
  if (state.uscc !== undefined) claims.push({ kind: 'uscc', scope: CITY_CODE, value: state.uscc });
  if (state.filing !== undefined)
    claims.push({ kind: 'filing-number', scope: state.streetCode, value: state.filing.number });
  return claims;
}

/** Whether the organization (live) holds this claim in its current state. */
export function holdsClaim(org: Organization, claim: UniqueClaim): boolean {
  const wanted = identity(claim);
  return claimsOf(org).some((held) => identity(held) === wanted);
}

/**
 * Claims a change of state takes (held after, not before: claimed before its events are
 * appended) and releases (held before, not after: released once they are).
 */
export function claimChanges(
  before: OrganizationState,
  after: OrganizationState,
): { readonly take: UniqueClaim[]; readonly release: UniqueClaim[] } {
  const was = claimsOf(before);
  const is = claimsOf(after);
  const wasIds = new Set(was.map(identity));
  const isIds = new Set(is.map(identity));
  return {
    take: is.filter((c) => !wasIds.has(identity(c))),
    release: was.filter((c) => !isIds.has(identity(c))),
  };
}
