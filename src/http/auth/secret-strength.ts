/**
 * Secrets that appear in this repository (tests, bench, an earlier compose default): anyone who
 * has read the code knows them, so production refuses them whatever their length.
 */
const PUBLISHED_SECRETS: ReadonlySet<string> = new Set([
  'development-only-secret-change-me-0123456789',
  'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
  'another-secret-9876543210-zyxwvutsrqponmlkjihgfedcba',
  'bench-secret-of-at-least-thirty-two-characters',
]);

/** Bits per character of the secret's own character frequencies (Shannon). */
function entropyPerCharacter(secret: string): number {
  const counts = new Map<string, number>();
  let n = 0;
  for (const c of secret) {
    counts.set(c, (counts.get(c) ?? 0) + 1);
    n++;
  }
  let bits = 0;
  for (const count of counts.values()) bits -= (count / n) * Math.log2(count / n);
  return bits;
}

/**
 * Why a production token secret is unfit, or undefined. A random base64 secret of 32+
 * characters (or 32 hex digits) has about 3.5 bits per character or more; a repeated word or `aaaa…`
 * has fewer.
 */
export function weakSecretProblem(secret: string): string | undefined {
  if (PUBLISHED_SECRETS.has(secret))
    return 'JWT_SECRET is published in the repository: generate one, e.g. openssl rand -base64 48';
  if (Array.from(secret).length < 32) return 'JWT_SECRET must be at least 32 characters';
  if (entropyPerCharacter(secret) < 2.9)
    return 'JWT_SECRET is too regular (low entropy): generate one, e.g. openssl rand -base64 48';
  return undefined;
}
