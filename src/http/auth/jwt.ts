import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { CITY_CODE, type Divisions } from '../../divisions/divisions.js';
import { ROLES, type Actor, type Role } from '../../organizations/domain/organization.types.js';

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

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

/** Verifies an HS256 bearer token (signature, exp) and reads the actor from its claims. */
export async function verifyToken(
  secret: string,
  token: string,
  divisions: Divisions,
): Promise<Actor> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired)
      throw new InvalidTokenError('the token has expired');
    throw new InvalidTokenError(
      "the token is not a valid HS256 JWT signed with this server's secret",
    );
  }
  const { sub, role, jurisdiction } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200)
    throw new InvalidTokenError('the token has no valid sub');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new InvalidTokenError(`role must be one of ${ROLES.join(', ')}`);
  }
  if (typeof jurisdiction !== 'string')
    throw new InvalidTokenError('the token has no jurisdiction');
  const problem = jurisdictionProblem(role as Role, jurisdiction, divisions);
  if (problem) throw new InvalidTokenError(problem);
  return { id: sub, role: role as Role, jurisdiction };
}
