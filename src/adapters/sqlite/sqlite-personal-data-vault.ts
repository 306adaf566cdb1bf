import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptedContact } from '../../organizations/organization.types.js';
import type { Contact, PersonalDataVault } from '../../personal-data/personal-data-vault.port.js';

interface KeyRow {
  version: number;
  key: Buffer | null;
}

/**
 * AES-256-GCM keys per organization in their own SQLite file. An erased key stays as a row with
 * no key, so a later contact gets a new version and can never be decrypted with an old key.
 */
export class SqlitePersonalDataVault implements PersonalDataVault {
  private constructor(private readonly db: Database.Database) {}

  static open(
    file: string,
    options: { synchronous?: 'FULL' | 'NORMAL' } = {},
  ): SqlitePersonalDataVault {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS organization_keys (
      organization_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      key BLOB,
      PRIMARY KEY (organization_id, version)
    )`);
    return new SqlitePersonalDataVault(db);
  }

  encrypt(organizationId: string, contact: Contact): Promise<EncryptedContact> {
    const { version, key } = this.currentKey(organizationId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(contact), 'utf8'), cipher.final()]);
    const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    return Promise.resolve({ keyVersion: version, ciphertext });
  }

  decrypt(organizationId: string, contact: EncryptedContact): Promise<Contact | 'erased'> {
    const row = this.db
      .prepare<[string, number], KeyRow>(
        'SELECT version, key FROM organization_keys WHERE organization_id = ? AND version = ?',
      )
      .get(organizationId, contact.keyVersion);
    if (!row?.key) return Promise.resolve('erased');
    const raw = Buffer.from(contact.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', row.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString(
      'utf8',
    );
    return Promise.resolve(JSON.parse(text) as Contact);
  }

  erase(organizationId: string): Promise<void> {
    this.db
      .prepare('UPDATE organization_keys SET key = NULL WHERE organization_id = ?')
      .run(organizationId);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  private currentKey(organizationId: string): { version: number; key: Buffer } {
    return this.db
      .transaction(() => {
        const last = this.db
          .prepare<[string], KeyRow>(
            'SELECT version, key FROM organization_keys WHERE organization_id = ? ORDER BY version DESC LIMIT 1',
          )
          .get(organizationId);
        if (last?.key) return { version: last.version, key: last.key };
        const fresh = { version: (last?.version ?? 0) + 1, key: randomBytes(32) };
        this.db
          .prepare('INSERT INTO organization_keys (organization_id, version, key) VALUES (?, ?, ?)')
          .run(organizationId, fresh.version, fresh.key);
        return fresh;
      })
      .immediate();
  }
}
