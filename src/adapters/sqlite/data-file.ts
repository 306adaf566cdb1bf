import Database from 'better-sqlite3';

/** Written into the header of every file this registry creates ("CORG"), to know them again. */
export const APPLICATION_ID = 0x434f5247;

/** A data file the registry must not use: its message is one line an operator can act on. */
export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

const BACKUPS = 'see Backups in docs/operators.md';

/** The embedded stores' files, by what they hold. */
export const DATA_FILES = {
  events: {
    file: 'events.sqlite',
    what: 'the event log',
    table: 'events',
    advice: `Restore it from a backup (${BACKUPS}), or point DATA_DIR at the right folder`,
  },
  readModels: {
    file: 'read-models.sqlite',
    what: 'the read models',
    table: 'checkpoints',
    advice: 'The read models are rebuilt from the event log: move this file away and start again',
  },
  keys: {
    file: 'personal-data-keys.sqlite',
    what: 'the personal-data keys',
    table: 'organization_keys',
    advice: `Restore it from a backup (${BACKUPS}), or point DATA_DIR at the right folder`,
  },
  logTree: {
    file: 'log-tree.sqlite',
    what: 'the Merkle tree over the EventStoreDB log',
    table: 'merkle_tree',
    advice: 'The tree is rebuilt from the event log: move this file away and start again',
  },
  accessLog: {
    file: 'personal-data-access.sqlite',
    what: 'the personal-data access log',
    table: 'personal_data_access',
    advice: `Restore it from a backup (${BACKUPS}), or point DATA_DIR at the right folder`,
  },
} as const satisfies Record<string, DataFileKind & { readonly file: string }>;

/** SQLite's answers for a file that is not a SQLite database, or a damaged one. */
const UNREADABLE = ['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CANTOPEN'];

/** What to do about each kind of file, for the message. */
export interface DataFileKind {
  /** e.g. `the event log`. */
  readonly what: string;
  /** A table every file of this kind has. */
  readonly table: string;
  /** What the operator may do, e.g. restore it from a backup. */
  readonly advice: string;
}

/**
 * Opens `file` as a file of `kind`: a clear DataFileError, not a driver's stack, when it cannot
 * be opened, is damaged or is not one of ours (see claimDataFile).
 */
export function openDataFile(
  file: string,
  kind: DataFileKind,
  options: Database.Options = {},
): Database.Database {
  const refuse = refusal(file, kind);
  let db: Database.Database;
  try {
    db = new Database(file, options);
  } catch (error) {
    throw unreadable(error, refuse) ?? error;
  }
  try {
    claimDataFile(db, file, kind);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const refusal =
  (file: string, kind: DataFileKind) =>
  (why: string): DataFileError =>
    new DataFileError(`Cannot use ${file} as ${kind.what}: ${why}. ${kind.advice}`);

/**
 * Refuses a file that is not one of ours before anything is written to it: unreadable or
 * damaged, another application's SQLite database (another application id, or tables without
 * ours), and marks a file of ours (a new one, or one written before the mark) as ours.
 */
export function claimDataFile(db: Database.Database, file: string, kind: DataFileKind): void {
  const refuse = refusal(file, kind);
  let applicationId: number;
  let tables: string[];
  try {
    applicationId = Number(db.pragma('application_id', { simple: true }));
    tables = db
      .prepare<[], string>(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      )
      .pluck()
      .all();
  } catch (error) {
    throw unreadable(error, refuse) ?? error;
  }
  if (applicationId !== 0 && applicationId !== APPLICATION_ID)
    throw refuse(`it belongs to another application (application id ${String(applicationId)})`);
  if (tables.length > 0 && !tables.includes(kind.table))
    throw refuse(
      `it is another application's SQLite database (tables ${tables.slice(0, 5).join(', ')})`,
    );
  if (applicationId === 0 && !db.readonly) db.pragma(`application_id = ${String(APPLICATION_ID)}`);
}

/** The DataFileError for an error met while opening, when the file itself is the cause. */
export function unreadable(
  error: unknown,
  refuse: (why: string) => DataFileError,
): DataFileError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !UNREADABLE.some((c) => code.startsWith(c))) return undefined;
  const message = error instanceof Error ? error.message : code;
  if (code.startsWith('SQLITE_CANTOPEN')) return refuse(`${message} (${code})`);
  return refuse(`${message} (${code}): it is not a SQLite database, or it is damaged`);
}
