import type Database from 'better-sqlite3';
import {
  accessCursor,
  pageSize,
  parseAccessCursor,
  type AccessPage,
  type AccessQuery,
  type PersonalDataAccess,
  type PersonalDataAccessLog,
  type PersonalDataField,
  type RecordedAccess,
} from '../../event-sourcing/ports/personal-data-access-log.port.js';
import { ensurePrivateDatabaseFile } from '../private-files.js';
import { CommitGroup } from './commit-group.js';
import { DATA_FILES, openDataFile } from './data-file.js';

/** Writers on other connections wait this long for the write lock instead of failing. */
const BUSY_TIMEOUT_MS = 5000;

interface Row {
  seq: number;
  at: string;
  actor_id: string;
  role: string;
  jurisdiction: string;
  organization_id: string;
  route: string;
  fields: string;
  correlation_id: string | null;
}

/** Ids are the row's sequence number in 24 hex digits, the shape of MongoDB's ObjectIds. */
const toId = (seq: number): string => seq.toString(16).padStart(24, '0');

/**
 * The schema, with triggers that refuse every UPDATE and DELETE: the log only grows, whatever
 * connection (this adapter, a sqlite3 shell) tries otherwise.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS personal_data_access (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  role TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  route TEXT NOT NULL,
  fields TEXT NOT NULL,
  correlation_id TEXT
);
CREATE INDEX IF NOT EXISTS personal_data_access_at ON personal_data_access (at, seq);
CREATE INDEX IF NOT EXISTS personal_data_access_organization
  ON personal_data_access (organization_id, at, seq);
CREATE TRIGGER IF NOT EXISTS personal_data_access_no_update
  BEFORE UPDATE ON personal_data_access
  BEGIN SELECT RAISE(ABORT, 'the personal-data access log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS personal_data_access_no_delete
  BEFORE DELETE ON personal_data_access
  BEGIN SELECT RAISE(ABORT, 'the personal-data access log is append-only'); END;
`;

/**
 * The access log of the embedded stores: its own private (0600) SQLite file beside the key
 * vault's, never the vault's file itself (erasing purges that one's write-ahead log, and the
 * log must outlive every erasure). Appends share a commit (CommitGroup) at synchronous=FULL:
 * an append resolves only once its record is on disk.
 */
export class SqlitePersonalDataAccessLog implements PersonalDataAccessLog {
  private readonly insert: (access: PersonalDataAccess) => number;
  private readonly group: CommitGroup;

  private constructor(private readonly db: Database.Database) {
    const statement = db.prepare<
      [string, string, string, string, string, string, string, string | null]
    >(
      `INSERT INTO personal_data_access
         (at, actor_id, role, jurisdiction, organization_id, route, fields, correlation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insert = db.transaction(
      (a: PersonalDataAccess) =>
        statement.run(
          a.at,
          a.actorId,
          a.role,
          a.jurisdiction,
          a.organizationId,
          a.route,
          JSON.stringify(a.fields),
          a.correlationId ?? null,
        ).lastInsertRowid as number,
    );
    this.group = new CommitGroup(db, BUSY_TIMEOUT_MS);
  }

  /** Opens (or creates, 0600) the log at `file`. */
  static open(
    file: string,
    options: { synchronous?: 'FULL' | 'NORMAL' } = {},
  ): SqlitePersonalDataAccessLog {
    ensurePrivateDatabaseFile(file);
    const db = openDataFile(file, DATA_FILES.accessLog, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
      db.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
      db.exec(SCHEMA);
      return new SqlitePersonalDataAccessLog(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async append(access: PersonalDataAccess): Promise<RecordedAccess> {
    const seq = await this.group.run(() => this.insert(access));
    return { ...access, fields: [...access.fields], id: toId(seq) };
  }

  query(query: AccessQuery): Promise<AccessPage> {
    // A refused cursor becomes a rejection, as from every adapter.
    return new Promise((resolve) => {
      resolve(this.page(query));
    });
  }

  ping(): Promise<void> {
    return new Promise((resolve) => {
      this.db.prepare('SELECT 1 FROM personal_data_access LIMIT 1').get();
      resolve();
    });
  }

  close(): Promise<void> {
    if (!this.db.open) return Promise.resolve();
    this.group.flush();
    this.db.close();
    return Promise.resolve();
  }

  private page(query: AccessQuery): AccessPage {
    const size = pageSize(query.limit);
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.organizationId !== undefined) {
      where.push('organization_id = ?');
      params.push(query.organizationId);
    }
    if (query.from !== undefined) {
      where.push('at >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      where.push('at <= ?');
      params.push(query.to);
    }
    if (query.after !== undefined) {
      const { at, id } = parseAccessCursor(query.after);
      where.push('(at > ? OR (at = ? AND seq > ?))');
      params.push(at, at, parseInt(id, 16));
    }
    const rows = this.db
      .prepare<typeof params, Row>(
        `SELECT * FROM personal_data_access
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY at, seq LIMIT ?`,
      )
      .all(...params, size + 1);
    const items = rows.slice(0, size).map(fromRow);
    const last = items.at(-1);
    return { items, next: rows.length > size && last ? accessCursor(last) : null };
  }
}

function fromRow(row: Row): RecordedAccess {
  return {
    id: toId(row.seq),
    at: row.at,
    actorId: row.actor_id,
    role: row.role,
    jurisdiction: row.jurisdiction,
    organizationId: row.organization_id,
    route: row.route,
    fields: JSON.parse(row.fields) as PersonalDataField[],
    ...(row.correlation_id !== null && { correlationId: row.correlation_id }),
  };
}
