import type Database from 'better-sqlite3';
import { DATA_FILES, openDataFile } from './data-file.js';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CommitGroup } from './commit-group.js';
import type { EncryptedContact } from '../../organizations/domain/organization.types.js';
import type {
  Contact,
  PersonalDataVault,
} from '../../event-sourcing/ports/personal-data-vault.port.js';

interface KeyRow {
  version: number;
  key: Buffer | null;
}

interface CurrentKey {
  version: number;
  key: Buffer;
}

/** Writers on other connections wait this long for the write lock instead of failing. */
const BUSY_TIMEOUT_MS = 5000;

type Statements = ReturnType<typeof prepareStatements>;

// Prepared once per connection: preparing costs about as much as the lookup itself.
function prepareStatements(db: Database.Database) {
  return {
    key: db.prepare<[string, number], KeyRow>(
      'SELECT version, key FROM organization_keys WHERE organization_id = ? AND version = ?',
    ),
    lastKey: db.prepare<[string], KeyRow>(
      'SELECT version, key FROM organization_keys WHERE organization_id = ? ORDER BY version DESC LIMIT 1',
    ),
    insert: db.prepare<[string, number, Buffer]>(
      'INSERT INTO organization_keys (organization_id, version, key) VALUES (?, ?, ?)',
    ),
    erase: db.prepare<[string]>(
      'UPDATE organization_keys SET key = NULL WHERE organization_id = ?',
    ),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };
}

/**
 * AES-256-GCM keys per organization in their own SQLite file. An erased key stays as a row with
 * no key, so a later contact gets a new version and can never be decrypted with an old key.
 */
export class SqlitePersonalDataVault implements PersonalDataVault {
  private readonly currentKey: (organizationId: string) => CurrentKey;
  /** Between beginBatch and its commit or rollback. */
  private batching = false;
  /**
   * Key writes outside batches share a commit (see CommitGroup): a sealed contact is handed out
   * only once its key is durable, so the events carrying it are appended after that.
   */
  private readonly group: CommitGroup;

  private constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
  ) {
    const transaction = db.transaction((organizationId: string) =>
      this.currentKeyLocked(organizationId),
    );
    this.currentKey = (organizationId) => transaction.immediate(organizationId);
    this.group = new CommitGroup(db, BUSY_TIMEOUT_MS);
  }

  static open(
    file: string,
    options: { synchronous?: 'FULL' | 'NORMAL' } = {},
  ): SqlitePersonalDataVault {
    const db = openDataFile(file, DATA_FILES.keys, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    db.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
    db.exec(`CREATE TABLE IF NOT EXISTS organization_keys (
      organization_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      key BLOB,
      PRIMARY KEY (organization_id, version)
    )`);
    return new SqlitePersonalDataVault(db, prepareStatements(db));
  }

  async encrypt(organizationId: string, contact: Contact): Promise<EncryptedContact> {
    const { version, key } = await this.keyFor(organizationId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(contact), 'utf8'), cipher.final()]);
    const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    return { keyVersion: version, ciphertext };
  }

  decrypt(organizationId: string, contact: EncryptedContact): Promise<Contact | 'erased'> {
    const row = this.statements.key.get(organizationId, contact.keyVersion);
    if (!row?.key) return Promise.resolve('erased');
    const raw = Buffer.from(contact.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', row.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString(
      'utf8',
    );
    return Promise.resolve(JSON.parse(text) as Contact);
  }

  /** Resolves once the erasure is durable (outside a batch). */
  erase(organizationId: string): Promise<void> {
    const erase = (): void => {
      this.statements.erase.run(organizationId);
    };
    if (this.batching) {
      erase();
      return Promise.resolve();
    }
    return this.group.run(erase);
  }

  /**
   * Like SqliteEventStore.beginBatch: one transaction for many keys until commitBatch, for the
   * seed. Commit it before the events that use its keys: a crash between the two commits then
   * leaves an unused key (which the rerun takes up), never an event whose key was lost. Closing
   * the vault with a batch open drops the batch.
   */
  beginBatch(): void {
    if (this.batching) throw new Error('A batch is already open');
    // Keys already handed out are committed before the batch takes the transaction over.
    this.group.flush();
    this.statements.begin.run();
    this.batching = true;
  }

  commitBatch(): void {
    if (!this.batching) throw new Error('No batch is open');
    this.batching = false;
    try {
      this.statements.commit.run();
    } catch (error) {
      // Never leave a transaction open that later writes would silently join.
      if (this.inTransaction()) this.statements.rollback.run();
      throw error;
    }
  }

  rollbackBatch(): void {
    if (!this.batching) return;
    this.batching = false;
    // SQLite may already have rolled back by itself (e.g. after a failed write).
    if (this.inTransaction()) this.statements.rollback.run();
  }

  close(): Promise<void> {
    if (!this.db.open) return Promise.resolve();
    // A batch still open is dropped, as a crash would drop it; a group is committed.
    this.rollbackBatch();
    this.group.flush();
    this.db.close();
    return Promise.resolve();
  }

  /** The organization's current key, created if it has none: in the batch, or in a group. */
  private keyFor(organizationId: string): Promise<CurrentKey> {
    if (this.batching) return Promise.resolve(this.currentKey(organizationId));
    return this.group.run(() => this.currentKey(organizationId));
  }

  /** Runs in a transaction of its own, or as a savepoint of the open batch. */
  private currentKeyLocked(organizationId: string): CurrentKey {
    const last = this.statements.lastKey.get(organizationId);
    if (last?.key) return { version: last.version, key: last.key };
    const fresh = { version: (last?.version ?? 0) + 1, key: randomBytes(32) };
    this.statements.insert.run(organizationId, fresh.version, fresh.key);
    return fresh;
  }

  /** A method, so that a check after a statement ran is not narrowed away. */
  private inTransaction(): boolean {
    return this.db.inTransaction;
  }
}
