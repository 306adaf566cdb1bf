import type Database from 'better-sqlite3';
import { DATA_FILES, openDataFile } from './data-file.js';
import { ConfigError } from '../../config.js';
import { newDataKey } from '../personal-data/contact-cipher.js';
import { SealingVault, type DataKey } from '../personal-data/sealing-vault.js';
import {
  keyContext,
  KeyUnwrapError,
  type KeyEncryptionKey,
} from '../personal-data/key-encryption-key.js';
import { ensurePrivateDatabaseFile } from '../private-files.js';
import { CommitGroup } from './commit-group.js';
import { WalSync } from './wal-sync.js';

interface KeyRow {
  version: number;
  /** Wrapped by the key-encryption key; null once erased. */
  key: Buffer | null;
}

interface StoredKeyRow extends KeyRow {
  organization_id: string;
}

type CurrentKey = DataKey;

/** Writers on other connections wait this long for the write lock instead of failing. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * `PRAGMA user_version` of a vault whose keys are wrapped by the key-encryption key; 0 is a
 * vault written before, with the keys raw, which `open` wraps in place.
 */
const WRAPPED_KEYS = 1;

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
      'UPDATE organization_keys SET key = NULL WHERE organization_id = ? AND key IS NOT NULL',
    ),
    anyKey: db.prepare<[], StoredKeyRow>(
      'SELECT organization_id, version, key FROM organization_keys WHERE key IS NOT NULL LIMIT 1',
    ),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };
}

/**
 * AES-256-GCM keys per organization in their own SQLite file, each wrapped by the key-encryption
 * key, which is kept elsewhere. An erased key stays as a row with no key, so a later contact gets
 * a new version and can never be decrypted with an old key.
 *
 * Erasing leaves no copy in the files: `secure_delete` zeroes the deleted bytes in the pages, and
 * a checkpoint that truncates the write-ahead log removes the earlier page images it held.
 */
export class SqlitePersonalDataVault extends SealingVault {
  private readonly currentKey: (organizationId: string) => CurrentKey;
  /** Between beginBatch and its commit or rollback. */
  private batching = false;
  /** Whether the open batch erased a key (its commit then purges the log). */
  private erasedInBatch = false;
  /**
   * Key writes outside batches share a commit (see CommitGroup): a sealed contact is handed out
   * only once its key is durable, so the events carrying it are appended after that.
   */
  private readonly group: CommitGroup;

  private constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
    private readonly kek: KeyEncryptionKey,
    /** At synchronous=FULL: each group's fsync, off the thread. */
    private readonly walSync: WalSync | undefined,
  ) {
    super();
    const transaction = db.transaction((organizationId: string) =>
      this.currentKeyLocked(organizationId),
    );
    this.currentKey = (organizationId) => transaction.immediate(organizationId);
    this.group = new CommitGroup(db, BUSY_TIMEOUT_MS, undefined, walSync && (() => walSync.sync()));
  }

  /**
   * Opens (or creates, 0600) the vault. Refuses a key-encryption key the stored keys were not
   * wrapped with; wraps the keys of a vault written before keys were wrapped.
   */
  static open(
    file: string,
    kek: KeyEncryptionKey,
    options: { synchronous?: 'FULL' | 'NORMAL' } = {},
  ): SqlitePersonalDataVault {
    ensurePrivateDatabaseFile(file);
    const db = openDataFile(file, DATA_FILES.keys, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
      db.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
      // Per connection: every connection that may erase must zero what it deletes.
      db.pragma('secure_delete = ON');
      db.exec(`CREATE TABLE IF NOT EXISTS organization_keys (
        organization_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        key BLOB,
        PRIMARY KEY (organization_id, version)
      )`);
      const statements = prepareStatements(db);
      wrapRawKeys(db, kek);
      const sample = statements.anyKey.get();
      if (sample?.key) unwrapOrRefuse(kek, sample, file);
      // FULL's fsync per group, run in the thread pool rather than inside the COMMIT.
      const walSync = options.synchronous === 'NORMAL' ? undefined : WalSync.take(db);
      return new SqlitePersonalDataVault(db, statements, kek, walSync);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  protected sealingKey(organizationId: string): Promise<DataKey> {
    return this.keyFor(organizationId);
  }

  protected openingKey(organizationId: string, version: number): Promise<Buffer | null> {
    const row = this.statements.key.get(organizationId, version);
    if (!row?.key) return Promise.resolve(null);
    return Promise.resolve(this.kek.unwrap(row.key, keyContext(organizationId, row.version)));
  }

  /**
   * Resolves once the erasure is durable and the write-ahead log holds no earlier copy of the
   * key (outside a batch; a batch purges the log when committed).
   */
  async erase(organizationId: string): Promise<void> {
    const erase = (): void => {
      this.statements.erase.run(organizationId);
    };
    if (this.batching) {
      erase();
      this.erasedInBatch = true;
      return;
    }
    await this.group.run(erase);
    purgeLog(this.db);
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
    // A batch commits by itself, not through the group: its COMMIT fsyncs.
    if (this.walSync) this.db.pragma('synchronous = FULL');
    this.statements.begin.run();
    this.batching = true;
    this.erasedInBatch = false;
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
    } finally {
      this.afterBatch();
    }
    if (this.erasedInBatch) purgeLog(this.db);
  }

  rollbackBatch(): void {
    if (!this.batching) return;
    this.batching = false;
    // SQLite may already have rolled back by itself (e.g. after a failed write).
    try {
      if (this.inTransaction()) this.statements.rollback.run();
    } finally {
      this.afterBatch();
    }
  }

  ping(): Promise<void> {
    // A failure becomes a rejection, as from every other operation.
    return new Promise((resolve) => {
      this.db.prepare('SELECT 1 FROM organization_keys LIMIT 1').get();
      resolve();
    });
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    // A batch still open is dropped, as a crash would drop it; a group is committed.
    this.rollbackBatch();
    this.group.flush();
    await this.group.durable();
    this.walSync?.close();
    this.db.close();
  }

  /** Groups commit at NORMAL again, their fsync off the thread (see beginBatch). */
  private afterBatch(): void {
    if (this.walSync && !this.inTransaction()) this.db.pragma('synchronous = NORMAL');
  }

  /** The organization's current key, created if it has none: in the batch, or in a group. */
  private keyFor(organizationId: string): Promise<CurrentKey> {
    if (this.batching) return Promise.resolve(this.currentKey(organizationId));
    return this.group.run(() => this.currentKey(organizationId));
  }

  /** Runs in a transaction of its own, or as a savepoint of the open batch. */
  private currentKeyLocked(organizationId: string): CurrentKey {
    const last = this.statements.lastKey.get(organizationId);
    if (last?.key)
      return {
        version: last.version,
        key: this.kek.unwrap(last.key, keyContext(organizationId, last.version)),
      };
    const fresh = { version: (last?.version ?? 0) + 1, key: newDataKey() };
    const wrapped = this.kek.wrap(fresh.key, keyContext(organizationId, fresh.version));
    this.statements.insert.run(organizationId, fresh.version, wrapped);
    return fresh;
  }

  /** A method, so that a check after a statement ran is not narrowed away. */
  private inTransaction(): boolean {
    return this.db.inTransaction;
  }
}

/**
 * Copies the log into the database and empties the file (TRUNCATE), so that no page image from
 * before an erasure stays in it. Fails (rather than answer an erasure that left a copy) when
 * another connection keeps the log in use past the busy timeout.
 */
function purgeLog(db: Database.Database): void {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  if (result?.busy !== 0)
    throw new Error('The personal-data key log is in use by another connection: erase again');
}

/**
 * A vault from before keys were wrapped (user_version 0) has them raw: wraps them all in one
 * transaction (another connection opening the file at once waits, then finds them wrapped), and
 * then rewrites the file and empties the log so that no raw key stays in free space.
 */
function wrapRawKeys(db: Database.Database, kek: KeyEncryptionKey): void {
  const wrap = db.transaction((): number => {
    if (db.pragma('user_version', { simple: true }) === WRAPPED_KEYS) return 0;
    const rows = db
      .prepare<[], StoredKeyRow>(
        'SELECT organization_id, version, key FROM organization_keys WHERE key IS NOT NULL',
      )
      .all();
    const update = db.prepare<[Buffer, string, number]>(
      'UPDATE organization_keys SET key = ? WHERE organization_id = ? AND version = ?',
    );
    for (const row of rows) {
      if (!row.key) continue;
      const context = keyContext(row.organization_id, row.version);
      update.run(kek.wrap(row.key, context), row.organization_id, row.version);
    }
    db.pragma(`user_version = ${String(WRAPPED_KEYS)}`);
    return rows.length;
  });
  if (wrap.immediate() === 0) return;
  db.exec('VACUUM');
  purgeLog(db);
}

/** Unwraps one stored key, or refuses to open with a key-encryption key that is not theirs. */
function unwrapOrRefuse(kek: KeyEncryptionKey, row: StoredKeyRow, file: string): void {
  try {
    kek.unwrap(row.key ?? Buffer.alloc(0), keyContext(row.organization_id, row.version));
  } catch (error) {
    if (error instanceof KeyUnwrapError)
      throw new ConfigError([
        `PERSONAL_DATA_KEK does not unwrap the keys in ${file}: it is not the key they were wrapped with`,
      ]);
    throw error;
  }
}
