import { resolve } from 'node:path';
import { commandLine, usageError } from './command-line.js';
import { signToken } from '../http/auth/jwt.js';
import { jurisdictionProblem } from '../http/auth/token-rules.js';
import { resolveJwtSecret } from '../http/auth/jwt-secret.js';
import { ConfigError, loadConfig } from '../config.js';
import { loadDivisions } from '../divisions/load-divisions.js';
import { ROLES, type Role } from '../organizations/domain/organization.types.js';

const USAGE = `Usage: npm run token -- --role ROLE --jurisdiction CODE [--sub ID] [--expires 12h]

Prints a signed HS256 JWT for local use, with the secret the server uses (JWT_SECRET, or the
one generated in DATA_DIR).
  --role          ${ROLES.join(' | ')}
  --jurisdiction  310000 for city and auditor, a 6-digit district, 9-digit street or 12-digit community code
  --sub           user id (default: ROLE-CODE)
  --expires       lifetime, e.g. 30m, 12h, 7d (default 12h)`;

async function main(): Promise<void> {
  const { values } = commandLine(USAGE, {
    options: {
      role: { type: 'string' },
      jurisdiction: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = values.role;
  if (!role || !(ROLES as readonly string[]).includes(role))
    usageError(USAGE, `--role must be one of ${ROLES.join(', ')}`);
  const jurisdiction =
    values.jurisdiction ?? (role === 'city' || role === 'auditor' ? '310000' : undefined);
  if (!jurisdiction) usageError(USAGE, '--jurisdiction is required for this role');
  const problem = jurisdictionProblem(role as Role, jurisdiction, loadDivisions());
  if (problem) usageError(USAGE, problem);
  if (!/^\d+[smhdw]$/.test(values.expires))
    usageError(USAGE, '--expires must look like 30m, 12h or 7d');
  const config = loadConfig();
  const secret = resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR);
  const sub = values.sub ?? `${role}-${jurisdiction}`;
  // On stderr, so `TOKEN=$(npm run -s token -- …)` captures the token alone.
  console.error(
    config.JWT_SECRET
      ? 'Signed with JWT_SECRET: a server started with another JWT_SECRET refuses it.'
      : `Signed with the secret generated in ${resolve(config.DATA_DIR, 'jwt-secret')}: a server with another DATA_DIR or a JWT_SECRET refuses it.`,
  );
  console.log(
    await signToken(secret, { id: sub, role: role as Role, jurisdiction }, values.expires),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
