/**
 * The key-encryption key (issue #16 items 4 and 7): PERSONAL_DATA_KEK or PERSONAL_DATA_KEK_FILE,
 * required in production; for local use one generated apart from DATA_DIR, 0600 in a 0700
 * directory, and said on stderr.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyEncryptionKey } from '../../src/adapters/personal-data/key-encryption-key.js';
import {
  localKeyFile,
  resolveKeyEncryptionKey,
} from '../../src/adapters/personal-data/resolve-key-encryption-key.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { TEST_JWT_SECRET } from '../support/http-app.js';
import { TEST_PERSONAL_DATA_KEK } from '../support/personal-data-kek.js';

const OTHER_KEK = Buffer.alloc(32, 1).toString('base64');
const PRODUCTION = {
  NODE_ENV: 'production',
  OIDC_ISSUER: 'https://login.example.gov.cn',
  OIDC_AUDIENCE: 'community-orgs-registry',
};

let root: string;
let dataDir: string;
let configHome: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kek-'));
  dataDir = join(root, 'data');
  configHome = join(root, 'config');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Wraps with one key and unwraps with the other: the same key or not. */
function sameKey(a: KeyEncryptionKey, b: KeyEncryptionKey): boolean {
  try {
    b.unwrap(a.wrap(Buffer.alloc(32), 'x'), 'x');
    return true;
  } catch {
    return false;
  }
}

function resolve(env: Record<string, string>, lines: string[] = []): KeyEncryptionKey {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...env });
  return resolveKeyEncryptionKey(config, { XDG_CONFIG_HOME: configHome }, (line) =>
    lines.push(line),
  );
}

describe('the key-encryption key', () => {
  it('is PERSONAL_DATA_KEK when set', () => {
    const lines: string[] = [];
    const kek = resolve({ PERSONAL_DATA_KEK: TEST_PERSONAL_DATA_KEK }, lines);
    expect(
      sameKey(kek, KeyEncryptionKey.fromBase64(TEST_PERSONAL_DATA_KEK) as KeyEncryptionKey),
    ).toBe(true);
    expect(lines).toEqual([]);
  });

  it('refuses a PERSONAL_DATA_KEK that is not the base64 of 32 bytes, without repeating it', () => {
    for (const value of ['short', Buffer.alloc(31).toString('base64'), `${OTHER_KEK}x`]) {
      expect(() => loadConfig({ PERSONAL_DATA_KEK: value })).toThrow(/base64 of 32 bytes/);
      expect(() => loadConfig({ PERSONAL_DATA_KEK: value })).not.toThrow(value);
    }
  });

  it('is read from PERSONAL_DATA_KEK_FILE, which must lie outside DATA_DIR', () => {
    const file = join(root, 'kek');
    writeFileSync(file, `${OTHER_KEK}\n`, { mode: 0o600 });
    expect(
      sameKey(
        resolve({ PERSONAL_DATA_KEK_FILE: file }),
        KeyEncryptionKey.fromBase64(OTHER_KEK) as KeyEncryptionKey,
      ),
    ).toBe(true);

    const inside = join(dataDir, 'kek');
    resolve({ PERSONAL_DATA_KEK: OTHER_KEK }); // creates DATA_DIR
    writeFileSync(inside, OTHER_KEK);
    expect(() => resolve({ PERSONAL_DATA_KEK_FILE: inside })).toThrow(/outside DATA_DIR/);
    writeFileSync(file, 'not a key');
    expect(() => resolve({ PERSONAL_DATA_KEK_FILE: file })).toThrow(/base64 of 32 bytes/);
    expect(() => resolve({ PERSONAL_DATA_KEK_FILE: join(root, 'missing') })).toThrow(ConfigError);
  });

  it('is one or the other, not both', () => {
    expect(() =>
      loadConfig({ PERSONAL_DATA_KEK: OTHER_KEK, PERSONAL_DATA_KEK_FILE: '/etc/kek' }),
    ).toThrow(/not both/);
  });

  it('for local use is generated once per DATA_DIR in the configuration directory, 0600 in 0700, and said', () => {
    const lines: string[] = [];
    const first = resolve({}, lines);
    const file = localKeyFile(dataDir, { XDG_CONFIG_HOME: configHome });
    expect(file.startsWith(join(configHome, 'community-orgs', 'personal-data-kek-'))).toBe(true);
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(join(configHome, 'community-orgs')).mode & 0o777).toString(8)).toBe('700');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`just generated in ${file}`);

    expect(sameKey(first, resolve({}, lines))).toBe(true);
    expect(lines[1]).toContain(`in ${file}`);
    expect(lines[1]).not.toContain('just generated');

    const otherDir = join(root, 'other-data');
    const other = resolveKeyEncryptionKey(
      loadConfig({ NODE_ENV: 'test', DATA_DIR: otherDir }),
      { XDG_CONFIG_HOME: configHome },
      () => undefined,
    );
    expect(sameKey(first, other)).toBe(false);
  });
});

describe('production', () => {
  it('refuses to start without a key-encryption key, in one line', () => {
    let error: unknown;
    try {
      loadConfig(PRODUCTION);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PERSONAL_DATA_KEK (base64 of 32 bytes: openssl rand -base64 32) or PERSONAL_DATA_KEK_FILE is required in production',
    ]);
  });

  it('refuses the key the tests use', () => {
    expect(() => loadConfig({ ...PRODUCTION, PERSONAL_DATA_KEK: TEST_PERSONAL_DATA_KEK })).toThrow(
      /published in the repository/,
    );
  });

  it('refuses it in a PERSONAL_DATA_KEK_FILE too, and takes a key of its own there', () => {
    const file = join(root, 'kek');
    const settings = loadConfig({ ...PRODUCTION, PERSONAL_DATA_KEK_FILE: file, DATA_DIR: dataDir });
    writeFileSync(file, `${TEST_PERSONAL_DATA_KEK}\n`, { mode: 0o600 });
    expect(() => resolveKeyEncryptionKey(settings, {}, () => undefined)).toThrow(
      /PERSONAL_DATA_KEK_FILE holds a key published in the repository/,
    );
    writeFileSync(file, OTHER_KEK, { mode: 0o600 });
    const kek = resolveKeyEncryptionKey(settings, {}, () => undefined);
    expect(sameKey(kek, KeyEncryptionKey.fromBase64(OTHER_KEK) as KeyEncryptionKey)).toBe(true);
  });

  it('starts with either', () => {
    expect(loadConfig({ ...PRODUCTION, PERSONAL_DATA_KEK: OTHER_KEK }).PERSONAL_DATA_KEK).toBe(
      OTHER_KEK,
    );
    expect(loadConfig({ ...PRODUCTION, PERSONAL_DATA_KEK_FILE: '/run/secrets/kek' }).NODE_ENV).toBe(
      'production',
    );
  });

  it('outside production the test key will do', () => {
    expect(
      loadConfig({
        NODE_ENV: 'test',
        JWT_SECRET: TEST_JWT_SECRET,
        PERSONAL_DATA_KEK: TEST_PERSONAL_DATA_KEK,
      }).PERSONAL_DATA_KEK,
    ).toBe(TEST_PERSONAL_DATA_KEK);
  });
});
