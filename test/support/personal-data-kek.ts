/**
 * The key-encryption key every test server and command line is given (PERSONAL_DATA_KEK), so
 * that no test generates one in the user's configuration directory; and the same key for the
 * vaults a test opens itself.
 */
import { join } from 'node:path';
import { KeyEncryptionKey } from '../../src/adapters/personal-data/key-encryption-key.js';
import { SqlitePersonalDataVault } from '../../src/adapters/sqlite/sqlite-personal-data-vault.js';

/** Base64 of 32 bytes; published here, so good for tests only. */
export const TEST_PERSONAL_DATA_KEK = 'dGVzdC1vbmx5LWtleS1lbmNyeXB0aW9uLWtleS0zMmI=';

export function testKek(): KeyEncryptionKey {
  const kek = KeyEncryptionKey.fromBase64(TEST_PERSONAL_DATA_KEK);
  if (!kek) throw new Error('TEST_PERSONAL_DATA_KEK is not a key');
  return kek;
}

/** The embedded vault of a DATA_DIR (its file as the server names it), with the test key. */
export function openTestVault(
  dataDir: string,
  options: { synchronous?: 'FULL' | 'NORMAL'; file?: string } = {},
): SqlitePersonalDataVault {
  return SqlitePersonalDataVault.open(
    join(dataDir, options.file ?? 'personal-data-keys.sqlite'),
    testKek(),
    options.synchronous === undefined ? {} : { synchronous: options.synchronous },
  );
}
