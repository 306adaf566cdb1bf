import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { EventStore } from '../event-sourcing/ports/event-store.port.js';
import type { ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { MongoReadStore } from './mongodb/mongodb-read-store.js';
import { DATA_FILES, openDataFile } from './sqlite/data-file.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { SqliteReadStore } from './sqlite/sqlite-read-store.js';

/** The event store the configuration names: embedded SQLite by default, EventStoreDB in production. */
export async function openEventStore(config: Config): Promise<EventStore> {
  if (config.EVENT_STORE === 'eventstoredb')
    return EventStoreDbEventStore.connect(config.EVENTSTORE_URL ?? '');
  return SqliteEventStore.open(join(config.DATA_DIR, DATA_FILES.events.file), {
    synchronous: config.SQLITE_SYNCHRONOUS,
  });
}

/** The read store the configuration names: embedded SQLite by default, MongoDB in production. */
export async function openReadStore(config: Config): Promise<ReadStore> {
  if (config.READ_STORE === 'mongodb')
    return MongoReadStore.connect(config.MONGODB_URL ?? '', config.MONGODB_DB);
  // NORMAL whatever SQLITE_SYNCHRONOUS says: the read models are rebuilt from the log, and each
  // commit writes the documents with their checkpoint atomically, so what a power loss may roll
  // back the runner projects again (a process crash loses nothing either way). FULL would add a
  // flush to every batch the runner commits behind each HTTP write, for nothing the log lacks.
  return SqliteReadStore.open(join(config.DATA_DIR, DATA_FILES.readModels.file), {
    synchronous: 'NORMAL',
  });
}

/**
 * Before the server starts: every embedded store file the configuration uses and that exists is
 * a readable SQLite database of this registry, or a DataFileError says which is not and what to
 * do (main prints it as one line). Read-only: nothing is created or changed here.
 */
export function checkDataFiles(config: Config): void {
  const kinds = [
    ...(config.EVENT_STORE === 'sqlite' ? [DATA_FILES.events] : []),
    ...(config.READ_STORE === 'sqlite' ? [DATA_FILES.readModels] : []),
    DATA_FILES.keys,
  ];
  for (const kind of kinds) {
    const file = join(config.DATA_DIR, kind.file);
    if (existsSync(file)) openDataFile(file, kind, { readonly: true, fileMustExist: true }).close();
  }
}
