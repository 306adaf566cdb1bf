/**
 * An erasure over HTTP erases for good (issue #16 item 4): once DELETE …/personal-data answered,
 * no file under DATA_DIR holds the organization's key, raw or wrapped, and no stretch of the
 * vault's files opens the contact stored in the event log, as a key nor as a wrapped key
 * unwrapped with the key-encryption key. And the server's files are its own: DATA_DIR 0700,
 * every file in it 0600, whatever the umask.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openContact } from '../../src/adapters/personal-data/contact-cipher.js';
import { keyContext } from '../../src/adapters/personal-data/key-encryption-key.js';
import type { EncryptedContact } from '../../src/organizations/domain/organization.types.js';
import { CONTACT, createGroup, readOrg, send } from '../support/e2e-kit.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import { filesUnder, keyCopies, windowsThatOpen } from '../support/key-residue.js';
import { testKek } from '../support/personal-data-kek.js';

let parent: string;
/** A DATA_DIR the server creates itself (under the most permissive umask). */
let dataDir: string;
let app: HttpApp;
beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'erasure-e2e-'));
  dataDir = join(parent, 'data');
  const umask = process.umask(0);
  try {
    app = await startHttpApp({ env: { DATA_DIR: dataDir } });
  } finally {
    process.umask(umask);
  }
});
afterAll(async () => {
  await app.close();
  rmSync(parent, { recursive: true, force: true });
});

function readOnly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, file), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The contact as the event log stores it (sealed). */
const storedContact = (id: string): EncryptedContact =>
  readOnly('events.sqlite', (db) => {
    const row = db
      .prepare<[string], { data: string }>(
        "SELECT data FROM events WHERE stream_id = ? AND type = 'OrganizationRegistered'",
      )
      .get(`organization-${id}`);
    return (JSON.parse(row?.data ?? '{}') as { contact: EncryptedContact }).contact;
  });

/** The organization's key as the vault stored it (wrapped), and the key itself. */
const storedKey = (id: string, version: number): { wrapped: Buffer; key: Buffer } =>
  readOnly('personal-data-keys.sqlite', (db) => {
    const row = db
      .prepare<[string, number], { key: Buffer | null }>(
        'SELECT key FROM organization_keys WHERE organization_id = ? AND version = ?',
      )
      .get(id, version);
    if (!row?.key) throw new Error(`no key for ${id}`);
    return { wrapped: row.key, key: testKek().unwrap(row.key, keyContext(id, version)) };
  });

describe('DELETE /organizations/{id}/personal-data', () => {
  it('leaves no copy of the key in DATA_DIR, and nothing in the vault files opens the contact', async () => {
    const { id } = await createGroup(app);
    for (let n = 0; n < 5; n++) await createGroup(app, { name: `邻里互助小组${String(n)}` });
    const sealed = storedContact(id);
    const erased = storedKey(id, sealed.keyVersion);
    expect(openContact(erased.key, sealed)).toEqual(CONTACT);
    expect(keyCopies(filesUnder(dataDir), erased)).not.toEqual([]);

    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'DELETE',
      `/organizations/${id}/personal-data`,
    );
    expect(res.status).toBe(200);
    expect((await readOrg(app, id, 'shanghaiXincunCommittee')).contact).toBeUndefined();

    const files = filesUnder(dataDir);
    expect(keyCopies(files, erased)).toEqual([]);
    const vaultFiles = files.filter((file) => basename(file).startsWith('personal-data-keys.'));
    expect(vaultFiles.map((file) => basename(file)).sort()).toEqual([
      'personal-data-keys.sqlite',
      'personal-data-keys.sqlite-shm',
      'personal-data-keys.sqlite-wal',
    ]);
    expect(
      windowsThatOpen(vaultFiles, sealed, {
        kek: testKek(),
        context: keyContext(id, sealed.keyVersion),
      }),
    ).toEqual([]);
  });

  it('DATA_DIR is 0700 and every file in it 0600, created under umask 0', () => {
    expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
    const modes = filesUnder(dataDir).map(
      (file) => `${basename(file)} ${(statSync(file).mode & 0o777).toString(8)}`,
    );
    expect(modes.length).toBeGreaterThanOrEqual(6);
    expect(modes.filter((mode) => !mode.endsWith(' 600'))).toEqual([]);
  });
});
