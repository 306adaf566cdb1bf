/**
 * `npm run audit -- log-key` prints the public key that verifies the log's checkpoints as a C2SP
 * vkey: of the key generated in DATA_DIR (0600), or of LOG_SIGNING_KEY; `--new` prints a new
 * signer key for LOG_SIGNING_KEY. A key not named after LOG_ORIGIN is refused (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOG_KEY_FILE } from '../../src/adapters/log-signing-key.js';
import {
  parseSignerKey,
  parseVerifierKey,
  verifierKeyString,
} from '../../src/audit/merkle/signed-note.js';
import { runNode } from '../support/run-process.js';
import { ROOT } from '../support/spawned-server.js';

const CLI = join(ROOT, 'dist', 'src', 'cli', 'audit.js');

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'log-key-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run audit -- log-key', () => {
  it('prints the vkey of the key generated once in DATA_DIR, a private file', async () => {
    const first = await runNode(CLI, ['log-key'], { DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    const file = join(dataDir, LOG_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const vkey = first.stdout.trim();
    expect(vkey).toBe(verifierKeyString(parseSignerKey(readFileSync(file, 'utf8'))));
    expect(parseVerifierKey(vkey).name).toBe('community-orgs.registry.local');
    const again = await runNode(CLI, ['log-key'], { DATA_DIR: dataDir });
    expect(again.stdout.trim()).toBe(vkey);
  });

  it('makes a new signing key with --new, whose vkey it then prints from LOG_SIGNING_KEY', async () => {
    const env = { DATA_DIR: dataDir, LOG_ORIGIN: 'registry.example.gov.cn/log' };
    const made = await runNode(CLI, ['log-key', '--new'], env);
    expect(made.code).toBe(0);
    const signer = parseSignerKey(made.stdout.trim());
    expect(signer.name).toBe('registry.example.gov.cn/log');
    const shown = await runNode(CLI, ['log-key'], { ...env, LOG_SIGNING_KEY: made.stdout.trim() });
    expect(shown.stdout.trim()).toBe(verifierKeyString(signer));
  });

  it('refuses a signing key not named after LOG_ORIGIN (exit 2)', async () => {
    const made = await runNode(CLI, ['log-key', '--new'], {
      DATA_DIR: dataDir,
      LOG_ORIGIN: 'a.example',
    });
    const run = await runNode(CLI, ['log-key'], {
      DATA_DIR: dataDir,
      LOG_ORIGIN: 'b.example',
      LOG_SIGNING_KEY: made.stdout.trim(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not LOG_ORIGIN b.example');
  });
});
