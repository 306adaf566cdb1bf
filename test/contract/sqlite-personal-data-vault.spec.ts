/**
 * The SQLite key vault: the vault contract, its batches (the seed creates tens of thousands of
 * keys and commits them per group of commands, before the events that use them), and what
 * erasing leaves in its files: nothing (issue #16 item 4).
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealContact } from '../../src/adapters/personal-data/contact-cipher.js';
import {
  keyContext,
  KeyEncryptionKey,
} from '../../src/adapters/personal-data/key-encryption-key.js';
import { SqlitePersonalDataVault } from '../../src/adapters/sqlite/sqlite-personal-data-vault.js';
import { ConfigError } from '../../src/config.js';
import type { Contact } from '../../src/event-sourcing/ports/personal-data-vault.port.js';
import { filesUnder, keyCopies, windowsThatOpen } from '../support/key-residue.js';
import { testKek } from '../support/personal-data-kek.js';
import { personalDataVaultContract } from './personal-data-vault.contract.js';

const contact: Contact = { name: '王芳', phone: '13800000000' };

personalDataVaultContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-vault-'));
  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- a refusal becomes a rejection
    open: async (kek = testKek()) => SqlitePersonalDataVault.open(join(dir, 'keys.sqlite'), kek),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

/** The stored (wrapped) key of an organization's version, and the key it wraps. */
function storedKey(file: string, organizationId: string, version = 1) {
  const db = new Database(file, { readonly: true });
  try {
    const row = db
      .prepare<[string, number], { key: Buffer }>(
        'SELECT key FROM organization_keys WHERE organization_id = ? AND version = ?',
      )
      .get(organizationId, version);
    if (!row) throw new Error(`no key for ${organizationId}`);
    return {
      wrapped: row.key,
      key: testKek().unwrap(row.key, keyContext(organizationId, version)),
    };
  } finally {
    db.close();
  }
}

describe('SqlitePersonalDataVault', () => {
  let dir: string;
  let file: string;
  let vault: SqlitePersonalDataVault;
  let other: SqlitePersonalDataVault;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlite-vault-'));
    file = join(dir, 'keys.sqlite');
    vault = SqlitePersonalDataVault.open(file, testKek());
    other = SqlitePersonalDataVault.open(file, testKek());
  });

  afterEach(async () => {
    await vault.close();
    await other.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the keys of a batch to itself until committed', async () => {
    vault.beginBatch();
    const sealed = await vault.encrypt('org-1', contact);
    expect(await vault.decrypt('org-1', sealed)).toEqual(contact);
    expect(await other.decrypt('org-1', sealed)).toBe('erased');
    vault.commitBatch();
    expect(await other.decrypt('org-1', sealed)).toEqual(contact);
  });

  it('drops the keys and erasures of a rolled-back batch', async () => {
    const kept = await vault.encrypt('org-1', contact);
    vault.beginBatch();
    await vault.erase('org-1');
    const dropped = await vault.encrypt('org-2', contact);
    vault.rollbackBatch();
    expect(await other.decrypt('org-1', kept)).toEqual(contact);
    expect(await other.decrypt('org-2', dropped)).toBe('erased');
    expect((await vault.encrypt('org-1', contact)).keyVersion).toBe(1);
  });

  it('refuses a batch inside a batch, and a commit without one', () => {
    vault.beginBatch();
    expect(() => {
      vault.beginBatch();
    }).toThrow(/already open/);
    vault.commitBatch();
    expect(() => {
      vault.commitBatch();
    }).toThrow(/No batch/);
  });

  it('stores keys only wrapped by the key-encryption key', async () => {
    const sealed = await vault.encrypt('org-1', contact);
    const { key, wrapped } = storedKey(file, 'org-1');
    expect(wrapped).toHaveLength(60);
    expect(await vault.decrypt('org-1', sealed)).toEqual(contact);
    expect(keyCopies(filesUnder(dir), { key })).toEqual([]);
  });

  it.each([
    ['on its own', false],
    ['in a batch', true],
  ])(
    'erasing %s leaves no copy of the key in any file, and no stretch of them opens the contact',
    async (_how, batched) => {
      const sealed = await vault.encrypt('org-1', contact);
      for (let n = 2; n <= 40; n++) await vault.encrypt(`org-${String(n)}`, contact);
      await other.encrypt('org-1', contact); // read by another connection, as a replica would
      const erased = storedKey(file, 'org-1');
      expect(keyCopies(filesUnder(dir), erased)).not.toEqual([]);

      if (batched) {
        vault.beginBatch();
        await vault.erase('org-1');
        vault.commitBatch();
      } else {
        await vault.erase('org-1');
      }

      expect(await other.decrypt('org-1', sealed)).toBe('erased');
      const files = filesUnder(dir);
      expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
        'keys.sqlite',
        'keys.sqlite-shm',
        'keys.sqlite-wal',
      ]);
      expect(statSync(`${file}-wal`).size).toBe(0);
      expect(keyCopies(files, erased)).toEqual([]);
      expect(
        windowsThatOpen(files, sealed, { kek: testKek(), context: keyContext('org-1', 1) }),
      ).toEqual([]);
    },
  );

  it('creates its files 0600 whatever the umask', async () => {
    const previous = process.umask(0);
    try {
      const fresh = SqlitePersonalDataVault.open(join(dir, 'fresh.sqlite'), testKek());
      await fresh.encrypt('org-1', contact);
      for (const suffix of ['', '-wal', '-shm'])
        expect((statSync(join(dir, `fresh.sqlite${suffix}`)).mode & 0o777).toString(8)).toBe('600');
      await fresh.close();
    } finally {
      process.umask(previous);
    }
  });
});

describe('a vault written before keys were wrapped', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlite-vault-raw-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** What the earlier version wrote: the schema, raw 32-byte keys, one of them erased. */
  function writeRawVault(file: string, keys: ReadonlyArray<[string, number, Buffer | null]>): void {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE organization_keys (
      organization_id TEXT NOT NULL, version INTEGER NOT NULL, key BLOB,
      PRIMARY KEY (organization_id, version))`);
    const insert = db.prepare('INSERT INTO organization_keys VALUES (?, ?, ?)');
    for (const row of keys) insert.run(...row);
    db.close();
  }

  it('is wrapped on open: its contacts still decrypt, and no raw key is left in its files', async () => {
    const file = join(dir, 'personal-data-keys.sqlite');
    const raw = Buffer.alloc(32, 0x5a);
    const erasedRaw = Buffer.alloc(32, 0x3c);
    const sealed = sealContact(raw, 2, contact);
    writeRawVault(file, [
      ['org-1', 1, null],
      ['org-1', 2, raw],
      ['org-2', 1, erasedRaw],
    ]);
    const erasedSealed = sealContact(erasedRaw, 1, contact);

    const [first, second] = [
      SqlitePersonalDataVault.open(file, testKek()),
      SqlitePersonalDataVault.open(file, testKek()),
    ];
    try {
      expect(await first.decrypt('org-1', sealed)).toEqual(contact);
      expect(await second.decrypt('org-1', sealed)).toEqual(contact);
      expect((await first.encrypt('org-1', contact)).keyVersion).toBe(2);
      expect(storedKey(file, 'org-1', 2).key).toEqual(raw);
      await second.erase('org-2');
      expect(await first.decrypt('org-2', erasedSealed)).toBe('erased');
      const files = filesUnder(dir);
      expect(keyCopies(files, { key: raw })).toEqual([]);
      expect(keyCopies(files, { key: erasedRaw })).toEqual([]);
      expect(windowsThatOpen(files, erasedSealed)).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
    expect(() => SqlitePersonalDataVault.open(file, strangerKek())).toThrow(ConfigError);
  });
});

function strangerKek(): KeyEncryptionKey {
  const kek = KeyEncryptionKey.fromBase64(Buffer.alloc(32, 9).toString('base64'));
  if (!kek) throw new Error('not a key');
  return kek;
}
