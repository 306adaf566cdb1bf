import { SignJWT } from 'jose';
import { loadDivisions } from '../../../src/divisions/load-divisions.js';
import { Hs256Verifier, signToken } from '../../../src/http/auth/jwt.js';
import { InvalidTokenError } from '../../../src/http/auth/token-rules.js';
import { VerifiedTokenCache } from '../../../src/http/auth/verified-token-cache.js';

const SECRET = 'a-unit-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const ACTOR = { id: 'u-1', role: 'district', jurisdiction: '310104' } as const;
const divisions = loadDivisions();

/** A clock the test moves, and an HS256 verifier on it that counts the signatures it checks. */
function setUp(capacity = 10) {
  const clock = { at: Date.now(), now: () => new Date(clock.at) };
  const inner = new Hs256Verifier(SECRET, divisions, 12 * 3600, clock);
  const calls = { count: 0 };
  const verifyToken = inner.verifyToken.bind(inner);
  inner.verifyToken = (token) => {
    calls.count += 1;
    return verifyToken(token);
  };
  return { clock, calls, cache: new VerifiedTokenCache(inner, capacity, clock) };
}

const sign = (claims: { nbf?: number; iat?: number; exp: number }) => {
  const jwt = new SignJWT({ role: ACTOR.role, jurisdiction: ACTOR.jurisdiction })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(ACTOR.id)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(new TextEncoder().encode(SECRET));
};

describe('verified token cache', () => {
  it('given a good token verified once, when it comes again, then its actor is answered without checking the signature again', async () => {
    const { cache, calls } = setUp();
    const token = await signToken(SECRET, ACTOR, '1h');
    expect(await cache.verify(token)).toEqual(ACTOR);
    expect(await cache.verify(token)).toEqual(ACTOR);
    expect(calls.count).toBe(1);
  });

  it('given a token refused, when it comes again, then it is checked again and refused again (never kept)', async () => {
    const { cache, calls } = setUp();
    const forged = await signToken('another-secret-of-enough-length-0123456789', ACTOR, '1h');
    await expect(cache.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(cache.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(calls.count).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('given a kept token, when its exp has passed, then the verifier decides again and refuses it', async () => {
    const { cache, calls, clock } = setUp();
    const now = Math.floor(clock.at / 1000);
    const token = await sign({ iat: now, exp: now + 120 });
    await cache.verify(token);
    clock.at += 119_000;
    await cache.verify(token);
    expect(calls.count).toBe(1);
    // Past exp but within the 60 s leeway: the verifier still accepts, the cache does not answer.
    clock.at += 2000;
    await cache.verify(token);
    expect(calls.count).toBe(2);
    clock.at += 120_000;
    await expect(cache.verify(token)).rejects.toThrow(/expired/);
  });

  it('given a token not valid before a moment still to come, when it is accepted within the leeway, then it is not kept', async () => {
    const { cache, calls, clock } = setUp();
    const now = Math.floor(clock.at / 1000);
    const token = await sign({ iat: now, nbf: now + 30, exp: now + 600 });
    await cache.verify(token);
    await cache.verify(token);
    expect(calls.count).toBe(2);
    clock.at += 31_000;
    await cache.verify(token);
    await cache.verify(token);
    expect(calls.count).toBe(3);
  });

  it('given a full cache, when another token comes, then the least recently used one is dropped', async () => {
    const { cache, calls } = setUp(2);
    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map((id) => signToken(SECRET, { ...ACTOR, id }, '1h')),
    );
    for (const token of [a, b, a, c, a]) await cache.verify(token ?? '');
    expect(calls.count).toBe(3);
    expect(cache.size).toBe(2);
    await cache.verify(b ?? '');
    expect(calls.count).toBe(4);
  });
});
