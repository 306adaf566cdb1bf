import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config.js';
import { parseSignerKey, signerKeyString, type NoteSigner } from '../audit/merkle/signed-note.js';
import { ensurePrivateDir } from './private-files.js';

export type LogSigningSettings = Pick<
  Config,
  'NODE_ENV' | 'DATA_DIR' | 'LOG_ORIGIN' | 'LOG_SIGNING_KEY'
>;

/** The generated key's file in DATA_DIR (never in the repository: data/ is ignored). */
export const LOG_KEY_FILE = 'log-signing.key';

/**
 * The key that signs the log's checkpoints: LOG_SIGNING_KEY, or a key generated once in
 * DATA_DIR (mode 0600) for local use, its place said on stderr when generated. Its name must be LOG_ORIGIN:
 * verifiers match a checkpoint's signature to their key by name.
 */
export function resolveLogSigner(
  settings: LogSigningSettings,
  say: (line: string) => void = (line) => {
    console.error(line);
  },
): NoteSigner {
  const signer =
    settings.LOG_SIGNING_KEY === undefined
      ? localSigner(settings, say)
      : parseOrRefuse(settings.LOG_SIGNING_KEY, 'LOG_SIGNING_KEY');
  if (signer.name !== settings.LOG_ORIGIN)
    throw new ConfigError([
      `The log signing key is named ${signer.name}, not LOG_ORIGIN ${settings.LOG_ORIGIN}: ` +
        'a checkpoint is signed by the key named after its origin',
    ]);
  return signer;
}

function localSigner(settings: LogSigningSettings, say: (line: string) => void): NoteSigner {
  ensurePrivateDir(settings.DATA_DIR);
  const file = join(settings.DATA_DIR, LOG_KEY_FILE);
  let created = false;
  try {
    const key = signerKeyString(settings.LOG_ORIGIN, randomBytes(32));
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (error) {
    // Already there (or another process created it first): use it.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Said when generated (and at every start in production, where it should not be used); the
  // test suites start hundreds of servers, each with a key of its own, and need not hear it.
  if (settings.NODE_ENV === 'production' || (created && settings.NODE_ENV !== 'test'))
    say(
      `The log's checkpoints are signed with the key ${created ? 'just generated in' : 'in'} ${file}` +
        (settings.NODE_ENV === 'production'
          ? ' (set LOG_SIGNING_KEY in production: a key lost with DATA_DIR cannot be replaced)'
          : ' (local use: set LOG_SIGNING_KEY in production)'),
    );
  return parseOrRefuse(readFileSync(file, 'utf8'), file);
}

function parseOrRefuse(text: string, source: string): NoteSigner {
  try {
    return parseSignerKey(text);
  } catch (error) {
    throw new ConfigError([`${source}: ${error instanceof Error ? error.message : String(error)}`]);
  }
}
