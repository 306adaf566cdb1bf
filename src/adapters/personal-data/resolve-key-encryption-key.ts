import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError, PUBLISHED_KEKS, type Config } from '../../config.js';
import { ensurePrivateDir } from '../private-files.js';
import { KeyEncryptionKey } from './key-encryption-key.js';

export type KeyEncryptionKeySettings = Pick<
  Config,
  'NODE_ENV' | 'DATA_DIR' | 'PERSONAL_DATA_KEK' | 'PERSONAL_DATA_KEK_FILE'
>;

const NOT_A_KEY = 'must hold the base64 of 32 bytes (e.g. openssl rand -base64 32)';

/**
 * The key-encryption key: PERSONAL_DATA_KEK, or the file PERSONAL_DATA_KEK_FILE names (which
 * must lie outside DATA_DIR: a copy of DATA_DIR must not carry the key that unlocks it). Without
 * either (never in production, see config) a key generated once for this DATA_DIR and kept in
 * the user's configuration directory, apart from the data; its place is said on stderr.
 */
export function resolveKeyEncryptionKey(
  settings: KeyEncryptionKeySettings,
  env: NodeJS.ProcessEnv = process.env,
  say: (line: string) => void = (line) => {
    console.error(line);
  },
): KeyEncryptionKey {
  if (settings.PERSONAL_DATA_KEK !== undefined) {
    const kek = KeyEncryptionKey.fromBase64(settings.PERSONAL_DATA_KEK);
    if (!kek) throw new ConfigError([`PERSONAL_DATA_KEK ${NOT_A_KEY}`]);
    return kek;
  }
  ensurePrivateDir(settings.DATA_DIR);
  if (settings.PERSONAL_DATA_KEK_FILE !== undefined) {
    const file = settings.PERSONAL_DATA_KEK_FILE;
    if (inside(file, settings.DATA_DIR))
      throw new ConfigError([
        `PERSONAL_DATA_KEK_FILE must lie outside DATA_DIR (${file} is in ${settings.DATA_DIR})`,
      ]);
    // The configuration refuses a published PERSONAL_DATA_KEK in production; a file holding one
    // is refused here, where it is read.
    if (settings.NODE_ENV === 'production' && PUBLISHED_KEKS.has(readTextOrEmpty(file).trim()))
      throw new ConfigError([
        'PERSONAL_DATA_KEK_FILE holds a key published in the repository: generate one, e.g. openssl rand -base64 32',
      ]);
    return readKeyFile(file, 'PERSONAL_DATA_KEK_FILE');
  }
  if (settings.NODE_ENV === 'production')
    throw new ConfigError([
      'PERSONAL_DATA_KEK or PERSONAL_DATA_KEK_FILE is required in production',
    ]);
  const file = localKeyFile(settings.DATA_DIR, env);
  const created = createOnce(file);
  say(
    `Personal data in ${settings.DATA_DIR} is sealed with keys wrapped by the key-encryption key ` +
      `${created ? 'just generated in' : 'in'} ${file} (local use only: set PERSONAL_DATA_KEK or ` +
      'PERSONAL_DATA_KEK_FILE in production). Keep it, apart from backups of DATA_DIR: without it ' +
      'no stored contact can be read.',
  );
  return readKeyFile(file, file);
}

/**
 * `${XDG_CONFIG_HOME:-~/.config}/community-orgs/personal-data-kek-<hash of DATA_DIR's real path>`:
 * one key per data directory, so two checkouts never share one by accident.
 */
export function localKeyFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.XDG_CONFIG_HOME;
  const configHome =
    configured !== undefined && isAbsolute(configured) ? configured : join(homedir(), '.config');
  const digest = createHash('sha256')
    .update(realpathSync(resolve(dataDir)))
    .digest('hex');
  return join(configHome, 'community-orgs', `personal-data-kek-${digest.slice(0, 16)}`);
}

/** Writes a new key unless the file exists; true when this call created it. */
function createOnce(file: string): boolean {
  ensurePrivateDir(dirname(file));
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first; use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  chmodSync(file, 0o600);
  return true;
}

/** The file's text, or '' when it cannot be read (readKeyFile then says why). */
function readTextOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readKeyFile(file: string, name: string): KeyEncryptionKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${name}: cannot read ${file} (${(error as Error).message})`]);
  }
  const kek = KeyEncryptionKey.fromBase64(text);
  if (!kek) throw new ConfigError([`${name} ${NOT_A_KEY}`]);
  return kek;
}

/** Whether `file` (resolved through symbolic links where it exists) lies under `dir`. */
function inside(file: string, dir: string): boolean {
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  const path = relative(real(dir), real(file));
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}
