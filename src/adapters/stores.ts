import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { EventStore } from '../event-sourcing/ports/event-store.port.js';
import type { PersonalDataAccessLog } from '../event-sourcing/ports/personal-data-access-log.port.js';
import type { PersonalDataVault } from '../event-sourcing/ports/personal-data-vault.port.js';
import type { ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { mongoClientOptions } from './mongodb/mongodb-client-options.js';
import { APPLICATION_STREAM_PREFIXES } from '../organizations/domain/stream-names.js';
import { MongoPersonalDataAccessLog } from './mongodb/mongodb-personal-data-access-log.js';
import { MongoPersonalDataVault } from './mongodb/mongodb-personal-data-vault.js';
import { MongoReadStore } from './mongodb/mongodb-read-store.js';
import { DATA_FILES, openDataFile } from './sqlite/data-file.js';
import { resolveKeyEncryptionKey } from './personal-data/resolve-key-encryption-key.js';
import { ensurePrivateDatabaseFile } from './private-files.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { SqliteLogTreeStore } from './sqlite/sqlite-log-tree-store.js';
import { logTreeOf, sqliteCheckpointStore } from './sqlite/sqlite-merkle-tree.js';
import { SqliteStridedTree } from './sqlite/sqlite-strided-tree.js';
import type { CheckpointStore, LogTree } from '../event-sourcing/ports/log-tree.port.js';
import { SqlitePersonalDataAccessLog } from './sqlite/sqlite-personal-data-access-log.js';
import { SqlitePersonalDataVault } from './sqlite/sqlite-personal-data-vault.js';
import { SqliteReadStore } from './sqlite/sqlite-read-store.js';

/** The personal-data keys of the embedded vault, in DATA_DIR. */
export const VAULT_FILE = DATA_FILES.keys.file;

/** The event store the configuration names: embedded SQLite by default, EventStoreDB in production. */
export async function openEventStore(config: Config): Promise<EventStore> {
  if (config.EVENT_STORE === 'eventstoredb')
    return EventStoreDbEventStore.connect(config.EVENTSTORE_URL ?? '', {
      streamPrefixes: APPLICATION_STREAM_PREFIXES,
    });
  const file = join(config.DATA_DIR, DATA_FILES.events.file);
  ensurePrivateDatabaseFile(file);
  return SqliteEventStore.open(file, { synchronous: config.SQLITE_SYNCHRONOUS });
}

/**
 * The read store the configuration names: embedded SQLite by default, MongoDB in production
 * (reading from the primary and writing with a majority write concern, whatever the URL says).
 */
export async function openReadStore(config: Config): Promise<ReadStore> {
  if (config.READ_STORE === 'mongodb')
    return MongoReadStore.connect(config.MONGODB_URL ?? '', config.MONGODB_DB, {
      client: mongoClientOptions(config),
      writeTimeoutMs: config.MONGODB_TIMEOUT_MS,
      indexBuildTimeoutMs: config.MONGODB_INDEX_BUILD_TIMEOUT_MS,
    });
  // NORMAL whatever SQLITE_SYNCHRONOUS says: the read models are rebuilt from the log, and each
  // commit writes the documents with their checkpoint atomically, so what a power loss may roll
  // back the runner projects again (a process crash loses nothing either way). FULL would add a
  // flush to every batch the runner commits behind each HTTP write, for nothing the log lacks.
  const file = join(config.DATA_DIR, DATA_FILES.readModels.file);
  ensurePrivateDatabaseFile(file);
  return SqliteReadStore.open(file, { synchronous: 'NORMAL' });
}

/**
 * The personal-data vault: in MongoDB whenever the read store is (every replica reaches it, so
 * one erasure erases for all), else the embedded SQLite vault in DATA_DIR. Either way its keys
 * are wrapped by the key-encryption key, which lives elsewhere (see resolveKeyEncryptionKey).
 * `synchronous` is for the embedded vault (the seed passes NORMAL).
 */
export async function openPersonalDataVault(
  config: Config,
  options: { synchronous?: 'FULL' | 'NORMAL' } = {},
): Promise<PersonalDataVault> {
  const kek = resolveKeyEncryptionKey(config);
  if (config.READ_STORE === 'mongodb') {
    // Not imported (yet): each replica kept such a file of its own before the vault moved to
    // MongoDB, with keys that may differ between them. Said, so that it is not missed.
    if (existsSync(join(config.DATA_DIR, VAULT_FILE)))
      console.error(
        `${join(config.DATA_DIR, VAULT_FILE)} holds personal-data keys of an earlier version; ` +
          'with READ_STORE=mongodb the keys are in MongoDB and these are not used: contacts ' +
          'sealed with them read as erased',
      );
    return MongoPersonalDataVault.connect(
      config.MONGODB_URL ?? '',
      config.MONGODB_DB,
      kek,
      mongoClientOptions(config),
    );
  }
  return SqlitePersonalDataVault.open(join(config.DATA_DIR, VAULT_FILE), kek, options);
}

/** The record of every read of personal data, in DATA_DIR beside the embedded vault. */
export const ACCESS_LOG_FILE = DATA_FILES.accessLog.file;

/**
 * The personal-data access log, kept where the vault is (chosen the same way): in MongoDB with
 * READ_STORE=mongodb, so that every replica records into one log, else in its own private file
 * beside the embedded vault's.
 */
export async function openPersonalDataAccessLog(config: Config): Promise<PersonalDataAccessLog> {
  if (config.READ_STORE === 'mongodb')
    return MongoPersonalDataAccessLog.connect(
      config.MONGODB_URL ?? '',
      config.MONGODB_DB,
      mongoClientOptions(config),
    );
  return SqlitePersonalDataAccessLog.open(join(config.DATA_DIR, ACCESS_LOG_FILE));
}

/** The Merkle tree over the log, and what keeps it where the store does not (EventStoreDB). */
export interface LogTreeHandle {
  readonly tree: LogTree;
  /** The signed checkpoints, kept beside the tree. */
  readonly checkpoints: CheckpointStore;
  /** EventStoreDB: catches the side store up with the log and follows it; nothing on SQLite. */
  follow(store: EventStore, onError: (error: unknown) => void): Promise<{ close(): Promise<void> }>;
  /** Catches up once (for the command line); on SQLite the tree is always up to date. */
  catchUp(store: EventStore, onProgress?: (leaves: number) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * The embedded store writes the tree with each append, in its own file: read here through a
 * connection of its own (after the store opened the file, which creates the tables), which also
 * keeps the signed checkpoints there. On
 * EventStoreDB a side store in DATA_DIR (log-tree.sqlite), fed from $all (SqliteLogTreeStore).
 */
export function openLogTree(config: Config): LogTreeHandle {
  if (config.EVENT_STORE === 'eventstoredb') {
    const side = SqliteLogTreeStore.open(join(config.DATA_DIR, DATA_FILES.logTree.file));
    return {
      tree: side.logTree,
      checkpoints: side.checkpoints,
      follow: (store, onError) => side.follow(store, onError),
      catchUp: async (store, onProgress) => {
        await side.catchUp(store, onProgress);
      },
      close: () => {
        side.close();
        return Promise.resolve();
      },
    };
  }
  const db = openDataFile(join(config.DATA_DIR, DATA_FILES.events.file), DATA_FILES.events, {
    timeout: 5000,
  });
  // Reads the tree the store writes; writes only the checkpoints.
  db.pragma('busy_timeout = 5000');
  const tree = new SqliteStridedTree(db);
  return {
    tree: logTreeOf(() => tree),
    checkpoints: sqliteCheckpointStore(db),
    follow: () => Promise.resolve({ close: () => Promise.resolve() }),
    catchUp: () => Promise.resolve(),
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

/**
 * Before the server starts: every embedded store file the configuration uses and that exists is
 * a readable SQLite database of this registry, or a DataFileError says which is not and what to
 * do (main prints it as one line). Read-only: nothing is created or changed here.
 */
export function checkDataFiles(config: Config): void {
  const kinds = [
    ...(config.EVENT_STORE === 'sqlite' ? [DATA_FILES.events] : []),
    // With MongoDB the keys are there; a file left by an earlier version is only warned about.
    ...(config.READ_STORE === 'sqlite'
      ? [DATA_FILES.readModels, DATA_FILES.keys, DATA_FILES.accessLog]
      : []),
  ];
  for (const kind of kinds) {
    const file = join(config.DATA_DIR, kind.file);
    if (existsSync(file)) openDataFile(file, kind, { readonly: true, fileMustExist: true }).close();
  }
}
