/**
 * The compiled server in production without a key-encryption key stops at once with one line
 * naming what to set (issue #16 item 7), before it opens or creates anything.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from '../support/run-process.js';
import { COMPILED_MAIN, requireCompiledServer } from '../support/spawned-server.js';

describe('production without PERSONAL_DATA_KEK', () => {
  it('refuses to start, in one line', async () => {
    requireCompiledServer();
    const root = mkdtempSync(join(tmpdir(), 'production-kek-'));
    try {
      const dataDir = join(root, 'data');
      const run = await runNode(COMPILED_MAIN, [], {
        NODE_ENV: 'production',
        OIDC_ISSUER: 'https://login.example.gov.cn',
        OIDC_AUDIENCE: 'community-orgs-registry',
        PERSONAL_DATA_KEK: '',
        DATA_DIR: dataDir,
        PORT: '0',
        HOME: root,
      });
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      const problems = run.stderr.split('\n').filter((line) => line.startsWith('  - '));
      expect(problems).toEqual([
        '  - PERSONAL_DATA_KEK (base64 of 32 bytes: openssl rand -base64 32) or PERSONAL_DATA_KEK_FILE is required in production',
      ]);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
