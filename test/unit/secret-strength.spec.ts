/** Production refuses token secrets that are short, too regular, or published in the repository. */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { weakSecretProblem } from '../../src/http/auth/secret-strength.js';
import { TEST_JWT_SECRET } from '../support/http-app.js';

describe('JWT_SECRET in production (when HS256 is allowed there)', () => {
  it.each([
    ['published in the repository (the test suite)', TEST_JWT_SECRET, /published/],
    [
      'published (an earlier compose default)',
      'development-only-secret-change-me-0123456789',
      /published/,
    ],
    ['31 characters', 'x7Qp2LmZ9vR4tY8wK1nB6cF3hJ5sD0g', /at least 32/],
    ['one character repeated', 'a'.repeat(48), /low entropy/],
    ['a word repeated', 'password'.repeat(4), /low entropy/],
  ])('refuses a secret %s', (_what, secret, problem) => {
    expect(weakSecretProblem(secret)).toMatch(problem);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', ALLOW_HS256_IN_PRODUCTION: 'true', JWT_SECRET: secret }),
    ).toThrow(problem);
  });

  it('accepts generated secrets (base64 and hex)', () => {
    for (let i = 0; i < 200; i++) {
      expect(weakSecretProblem(randomBytes(36).toString('base64'))).toBeUndefined();
      expect(weakSecretProblem(randomBytes(24).toString('hex'))).toBeUndefined();
    }
  });

  it('outside production, any secret of 32 characters will do (the tests use a published one)', () => {
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET }).JWT_SECRET).toBe(
      TEST_JWT_SECRET,
    );
  });
});
