import type Database from 'better-sqlite3';
import { DATA_FILES, openDataFile } from './data-file.js';
import {
  CHECKPOINTS,
  LEASES,
  checkCollection,
  checkField,
  collectionNameProblem,
} from '../../event-sourcing/ports/read-store-names.js';
import {
  indexKeys,
  indexName,
  type IndexKey,
} from '../../event-sourcing/ports/read-store-indexes.js';
import {
  checkHolder,
  LeaseLostError,
  type LeaseFence,
} from '../../event-sourcing/ports/lease-fence.js';
import type {
  CollectionOptions,
  Condition,
  Document,
  Filter,
  IndexSpec,
  Query,
  ReadStore,
  UnitOfWork,
} from '../../event-sourcing/ports/read-store.port.js';
import {
  type Position,
  positionFromJson,
  positionToJson,
} from '../../event-sourcing/ports/event-store.port.js';

export interface SqliteReadStoreOptions {
  /**
   * FULL (default) fsyncs the WAL on every commit, so a committed unit and its checkpoint
   * survive a power loss together. NORMAL only fsyncs at WAL checkpoints: never corrupting, but
   * a power loss may roll back the last commits (the projections then replay them).
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /**
   * What a filter or sort on a field that is not a column of the collection does: `document`
   * (default) reads it from each document's JSON, the slow path (a scan, no index); `refuse`
   * throws, so that tests prove every query of the routes runs on declared fields.
   */
  readonly undeclaredFields?: 'document' | 'refuse';
}

/** Writers on other connections (the CLI, the server) wait this long for the write lock. */
const BUSY_TIMEOUT_MS = 5000;
/** Ids per `IN (...)` list of getMany. */
const GET_MANY_CHUNK = 500;
/** Queries vary with their filters, so prepared statements are kept per SQL text, the most recent. */
const STATEMENT_CACHE_SIZE = 256;
/** Counts remembered per SQL text and values, the most recent, until the data changes. */
const COUNT_CACHE_SIZE = 256;

/**
 * The document's own last applied position, kept as a column of every table for the guards of
 * puts and deletes (see UnitOfWork).
 */
const POSITION_FIELD = '_position';

const CHECKPOINTS_TABLE = CHECKPOINTS;
const LEASES_TABLE = LEASES;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${CHECKPOINTS_TABLE} (
  name     TEXT    PRIMARY KEY,
  position INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS ${LEASES_TABLE} (
  name       TEXT    PRIMARY KEY,
  holder     TEXT    NOT NULL,
  expires_at INTEGER NOT NULL,
  generation INTEGER NOT NULL DEFAULT 0
) STRICT;
`;

/** A released lease keeps its row (and generation) under no holder. */
const NO_HOLDER = '';

type SqlValue = string | number | null;

interface Sql {
  readonly text: string;
  readonly params: readonly SqlValue[];
}

interface DocRow {
  readonly id: string;
  readonly doc: string;
}

const RANGE_OPERATORS = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;

/**
 * A collection's table as queries see it: the fields it holds as columns, and what to do
 * about any other field.
 */
interface Shape {
  readonly collection: string;
  readonly columns: ReadonlySet<string>;
  readonly undeclared: 'document' | 'refuse';
}

/** The JSON types a range or text operator compares with. */
type ValueType = 'text' | 'number' | 'boolean';

/** One collection's upsert within a commit: the statement and the columns it fills. */
interface Writer {
  readonly upsert: Database.Statement<SqlValue[]>;
  readonly fields: readonly string[];
}

/**
 * The read store in one SQLite file: a table per collection holding each document as JSON
 * under its id, beside it each declared field (see CollectionOptions) as a typed column that
 * filters, sorts and indexes use, and a checkpoints table written in the same transaction as
 * the documents. Nothing parses the JSON but `get`, `find` and the slow path of a filter on
 * an undeclared field.
 */
export class SqliteReadStore implements ReadStore {
  private readonly statements = new Map<string, Database.Statement<SqlValue[]>>();
  /**
   * Counts by SQL text and values, valid for the data version they were counted at. A count must
   * visit every match (a city-wide search reads all 73,599 names, ~10 ms), while the pages that
   * ask for it read twenty rows; the read models change far less often than they are read.
   */
  private readonly counts = new Map<string, number>();
  private countsVersion = '';
  /** Commits of this connection: `PRAGMA data_version` only moves for other connections' commits. */
  private ownWrites = 0;
  private readonly commitTransaction: (unit: UnitOfWork) => void;
  private readonly snapshot: (work: () => unknown) => unknown;
  /** Columns of each table (null: no table), valid for the schema version they were read at. */
  private readonly shapes = new Map<string, ReadonlySet<string> | null>();
  private shapesVersion = -1;

  private constructor(
    private readonly db: Database.Database,
    private readonly undeclared: 'document' | 'refuse',
  ) {
    const commit = db.transaction((unit: UnitOfWork) => {
      this.commitLocked(unit);
    });
    // IMMEDIATE takes the write lock up front: a deferred transaction that read first could
    // fail with SQLITE_BUSY on its first write instead of waiting for the busy timeout.
    this.commitTransaction = (unit) => {
      commit.immediate(unit);
    };
    // Reads that take several statements (does the table exist, then query it) see one
    // snapshot, so a collection dropped by another connection in between cannot fail them.
    this.snapshot = db.transaction((work: () => unknown) => work());
  }

  static open(file: string, options: SqliteReadStoreOptions = {}): SqliteReadStore {
    // Checked at run time too: it is spliced into a pragma.
    const synchronous: string = options.synchronous ?? 'FULL';
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      throw new RangeError(`synchronous must be FULL or NORMAL, got ${synchronous}`);
    }
    const undeclared: string = options.undeclaredFields ?? 'document';
    if (undeclared !== 'document' && undeclared !== 'refuse') {
      throw new RangeError(`undeclaredFields must be document or refuse, got ${undeclared}`);
    }
    const db = openDataFile(file, DATA_FILES.readModels, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      db.exec(SCHEMA);
      addLeaseGenerations(db);
      optimize(db, 0x10002);
      return new SqliteReadStore(db, undeclared);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  ensureCollection(
    collection: string,
    indexes: readonly IndexSpec[],
    options: CollectionOptions = {},
  ): Promise<void> {
    return settle(() => {
      // Everything is validated before anything is created.
      checkCollection(collection);
      const keys = indexes.map((spec) => indexKeys(collection, spec));
      const fields = declaredFields(keys, options.fields ?? []);
      const sparse = new Set(declaredFields([], options.sparse ?? []));
      const wanted = keys.map((index) => ({
        name: `${collection}:${indexName(index)}`,
        sql: createIndexSql(collection, index, sparse),
      }));
      try {
        this.db
          .transaction(() => {
            this.tableFor(collection, fields);
            this.dropExpressionIndexes(collection);
            for (const index of wanted) this.createIndex(index);
          })
          .immediate();
      } catch (error) {
        // What it created or altered is rolled back: the columns seen inside are forgotten.
        this.shapes.clear();
        throw error;
      }
      this.ownWrites++;
      // An index created on a table that already holds documents has no statistics yet.
      optimize(this.db);
    });
  }

  get(collection: string, id: string): Promise<Document | undefined> {
    return settle(() => {
      const sql = `SELECT id, doc FROM ${quote(checkCollection(collection))} WHERE id = ?`;
      return this.read(collection, undefined, () => {
        const row = this.statement(sql).get(id) as DocRow | undefined;
        return row && parseDocument(row);
      });
    });
  }

  getMany(collection: string, ids: readonly string[]): Promise<Map<string, Document>> {
    return settle(() => {
      const table = quote(checkCollection(collection));
      const found = new Map<string, Document>();
      const unique = [...new Set(ids)];
      return this.read(collection, found, () => {
        for (let start = 0; start < unique.length; start += GET_MANY_CHUNK) {
          const chunk = padChunk(unique.slice(start, start + GET_MANY_CHUNK));
          const sql = `SELECT id, doc FROM ${table} WHERE id IN (${placeholders(chunk.length)})`;
          for (const row of this.statement(sql).all(...chunk) as DocRow[]) {
            found.set(row.id, parseDocument(row));
          }
        }
        return found;
      });
    });
  }

  find(collection: string, query: Query = {}): Promise<Document[]> {
    return settle(() => {
      return this.query(
        collection,
        [],
        (shape) => selectSql(shape, query),
        (sql) => (this.statement(sql.text).all(...sql.params) as DocRow[]).map(parseDocument),
      );
    });
  }

  count(collection: string, filter?: Filter): Promise<number> {
    return settle(() => {
      return this.query(
        collection,
        0,
        (shape) => countSql(shape, filter),
        ({ text, params }) => {
          const key = `${text}\u0000${JSON.stringify(params)}`;
          const cached = this.cachedCount(key);
          if (cached !== undefined) return cached;
          const row = this.statement(text).get(...params) as { n: number };
          this.counts.set(key, row.n);
          if (this.counts.size > COUNT_CACHE_SIZE) {
            const oldest = this.counts.keys().next();
            if (oldest.done !== true) this.counts.delete(oldest.value);
          }
          return row.n;
        },
      );
    });
  }

  commit(unit: UnitOfWork): Promise<void> {
    return settle(() => {
      // Cheap checks first, so a malformed unit does not even take the write lock. Serializing
      // the documents happens inside the transaction: a failure there rolls everything back.
      for (const { collection, document } of unit.puts ?? []) {
        checkCollection(collection);
        const id: unknown = document.id;
        if (typeof id !== 'string') {
          throw new TypeError(`A document put into ${collection} has no string id`);
        }
      }
      for (const { collection } of unit.deletes ?? []) checkCollection(collection);
      for (const [name, checkpoint] of Object.entries(unit.checkpoints ?? {})) {
        const position = positionToJson(checkpoint);
        if (!Number.isSafeInteger(position) || position < 0) {
          throw new RangeError(
            `Checkpoint ${name} must be a non-negative integer, got ${String(position)}`,
          );
        }
      }
      this.ownWrites++;
      try {
        this.commitTransaction(unit);
      } catch (error) {
        // Tables it created or altered are rolled back with it.
        this.shapes.clear();
        throw error;
      }
    });
  }

  checkpoint(name: string): Promise<Position> {
    return settle(() => {
      const row = this.statement(`SELECT position FROM ${CHECKPOINTS_TABLE} WHERE name = ?`).get(
        name,
      ) as { position: number } | undefined;
      return positionFromJson(row?.position ?? 0);
    });
  }

  deleteCheckpoint(name: string): Promise<void> {
    return settle(() => {
      this.statement(`DELETE FROM ${CHECKPOINTS_TABLE} WHERE name = ?`).run(name);
    });
  }

  dropCollection(collection: string): Promise<void> {
    return settle(() => {
      // Its indexes go with the table.
      this.ownWrites++;
      this.db.exec(`DROP TABLE IF EXISTS ${quote(checkCollection(collection))}`);
    });
  }

  /**
   * One statement: the upsert only overwrites a lease that expired, was released or is the
   * holder's own, and increments the generation unless it is the holder's own. The single file
   * is the arbiter, so the caller's clock is fine for expiry; what fences is the generation.
   */
  acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    nowMs: number,
  ): Promise<number | undefined> {
    return settle(() => {
      checkHolder(holder);
      const row = this.statement(
        `INSERT INTO ${LEASES_TABLE} (name, holder, expires_at, generation) VALUES (?, ?, ?, 1) ` +
          'ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, ' +
          'expires_at = excluded.expires_at, ' +
          'generation = CASE WHEN leases.holder = excluded.holder ' +
          'THEN leases.generation ELSE leases.generation + 1 END ' +
          'WHERE leases.holder = excluded.holder OR leases.expires_at <= ? ' +
          'RETURNING generation',
      ).get(name, holder, nowMs + ttlMs, nowMs) as { generation: number } | undefined;
      return row?.generation;
    });
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return settle(() => {
      // The row stays, so the next holder's generation is greater than every one before.
      this.statement(
        `UPDATE ${LEASES_TABLE} SET holder = ?, expires_at = 0 WHERE name = ? AND holder = ?`,
      ).run(NO_HOLDER, name, holder);
    });
  }

  listCollections(): Promise<string[]> {
    return settle(() => {
      const rows = this.statement(
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
      ).all() as { name: string }[];
      return rows
        .map((row) => row.name)
        .filter((name) => collectionNameProblem(name) === undefined);
    });
  }

  /** The query plan `find` would run, for diagnostics such as checking that an index serves it. */
  explainFind(collection: string, query: Query = {}): Promise<string[]> {
    return settle(() => {
      return this.query(
        collection,
        [],
        (shape) => selectSql(shape, query),
        (sql) => {
          const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params);
          return (rows as { detail: string }[]).map((row) => row.detail);
        },
      );
    });
  }

  /** The query plan `count` would run: whether an index answers it alone (covering), say. */
  explainCount(collection: string, filter?: Filter): Promise<string[]> {
    return settle(() => {
      return this.query(
        collection,
        [],
        (shape) => countSql(shape, filter),
        (sql) => {
          const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params);
          return (rows as { detail: string }[]).map((row) => row.detail);
        },
      );
    });
  }

  ping(): Promise<void> {
    return settle(() => {
      this.db.prepare(`SELECT 1 FROM ${CHECKPOINTS_TABLE} LIMIT 1`).get();
    });
  }

  close(): Promise<void> {
    return settle(() => {
      this.statements.clear();
      if (this.db.open) this.db.close();
    });
  }

  /**
   * Runs inside the write transaction. The fence first (a holder whose lease was taken over
   * writes nothing), then puts, deletes and checkpoints.
   */
  private commitLocked(unit: UnitOfWork): void {
    if (unit.fence) this.checkFence(unit.fence);
    // One upsert statement per collection of the unit, looked up once (units run to many
    // thousands of documents during a rebuild).
    const writers = new Map<string, Writer>();
    for (const { collection, document } of unit.puts ?? []) {
      let writer = writers.get(collection);
      if (!writer) {
        // A projection may write to a collection it never ensured: it gets no indexes.
        writer = this.writerFor(collection);
        writers.set(collection, writer);
      }
      const json = toJson(collection, document);
      const values: SqlValue[] = [document.id, json];
      for (const field of writer.fields) values.push(columnValue(collection, document, field));
      writer.upsert.run(...values);
    }
    const position = column(POSITION_FIELD);
    for (const { collection, id, position: at } of unit.deletes ?? []) {
      if (!writers.has(collection) && this.shapeOf(collection) === undefined) continue;
      if (at === undefined) {
        this.statement(`DELETE FROM ${quote(collection)} WHERE id = ?`).run(id);
      } else {
        // Like a put: only a version older than the delete goes.
        this.tableFor(collection, []);
        this.statement(
          `DELETE FROM ${quote(collection)} WHERE id = ? AND ` +
            `(${position} IS NULL OR ${position} < ?)`,
        ).run(id, positionToJson(at));
      }
    }
    for (const [name, position] of Object.entries(unit.checkpoints ?? {})) {
      // Only forward: a late or replaying writer never moves a checkpoint back.
      this.statement(
        `INSERT INTO ${CHECKPOINTS_TABLE} (name, position) VALUES (?, ?) ` +
          'ON CONFLICT (name) DO UPDATE SET position = excluded.position ' +
          `WHERE excluded.position > ${CHECKPOINTS_TABLE}.position`,
      ).run(name, positionToJson(position));
    }
  }

  /** Throws LeaseLostError unless the fence's holder still holds its lease's generation. */
  private checkFence(fence: LeaseFence): void {
    const row = this.statement(`SELECT holder, generation FROM ${LEASES_TABLE} WHERE name = ?`).get(
      fence.lease,
    ) as { holder: string; generation: number } | undefined;
    if (row?.holder !== fence.holder || row.generation !== fence.generation) {
      throw new LeaseLostError(fence);
    }
  }

  /**
   * The remembered count for `key`, if nothing was committed since it was counted. Called inside
   * the read snapshot, so the version read is the one the count is answered from.
   */
  private cachedCount(key: string): number | undefined {
    const dataVersion = this.statement('PRAGMA data_version').pluck().get() as number;
    const version = `${String(dataVersion)}:${String(this.ownWrites)}`;
    if (version !== this.countsVersion) {
      this.counts.clear();
      this.countsVersion = version;
    }
    const cached = this.counts.get(key);
    if (cached !== undefined) {
      // Most recently used last, so the oldest is evicted first.
      this.counts.delete(key);
      this.counts.set(key, cached);
    }
    return cached;
  }

  /** Answers `empty` for a collection that does not exist rather than failing. */
  private read<T>(collection: string, empty: T, query: () => T): T {
    return this.snapshot(() => (this.shapeOf(collection) === undefined ? empty : query())) as T;
  }

  /**
   * Builds a query's SQL for the collection's table and runs it. A collection that does not
   * exist answers `empty`, once the query is known to be valid (it fails the same either way).
   */
  private query<T>(
    collection: string,
    empty: T,
    build: (shape: Shape) => Sql,
    run: (sql: Sql) => T,
  ): T {
    checkCollection(collection);
    return this.snapshot(() => {
      const columns = this.shapeOf(collection);
      if (columns === undefined) {
        build({ collection, columns: new Set(), undeclared: 'document' });
        return empty;
      }
      return run(build({ collection, columns, undeclared: this.undeclared }));
    }) as T;
  }

  /**
   * The declared fields the collection's table holds as columns, undefined when there is no
   * table. Remembered until the schema changes (here or on another connection).
   */
  private shapeOf(collection: string): ReadonlySet<string> | undefined {
    const version = this.statement('PRAGMA schema_version').pluck().get() as number;
    if (version !== this.shapesVersion) {
      this.shapes.clear();
      this.shapesVersion = version;
    }
    let shape = this.shapes.get(collection);
    if (shape === undefined) {
      const columns = this.db.pragma(`table_info(${quote(collection)})`) as { name: string }[];
      shape =
        columns.length === 0
          ? null
          : new Set(
              columns
                .map((c) => c.name)
                .filter((name) => name.startsWith(COLUMN_PREFIX))
                .map((name) => name.slice(COLUMN_PREFIX.length)),
            );
      this.shapes.set(collection, shape);
    }
    return shape ?? undefined;
  }

  /**
   * Creates the collection's table with a column for `_position` and each field, or adds the
   * columns it lacks (a table of an older shape, or fields declared since), copying their values
   * from the documents once. Runs inside a write transaction.
   */
  private tableFor(collection: string, fields: readonly string[]): ReadonlySet<string> {
    const wanted = [...new Set([POSITION_FIELD, ...fields])];
    const shape = this.shapeOf(collection);
    if (shape === undefined) {
      this.db.exec(createTableSql(collection, wanted));
    } else {
      const missing = wanted.filter((field) => !shape.has(field));
      if (missing.length === 0) return shape;
      const table = quote(collection);
      for (const field of missing)
        this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column(field)} ANY`);
      // The one place JSON is read for a column: documents written before it was declared.
      const copies = missing.map((field) => `${column(field)} = ${jsonSql(field)}`).join(', ');
      this.db.exec(`UPDATE ${table} SET ${copies}`);
    }
    return this.shapeOf(collection) ?? new Set(wanted);
  }

  /**
   * Creates an index unless one of that name and definition exists; one of that name defined
   * otherwise (an index made partial since, say) is replaced.
   */
  private createIndex(index: { readonly name: string; readonly sql: string }): void {
    const existing = this.db
      .prepare<[string], string>("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?")
      .pluck()
      .get(index.name);
    if (existing === index.sql) return;
    if (existing !== undefined) this.db.exec(`DROP INDEX ${quote(index.name)}`);
    this.db.exec(index.sql);
  }

  /** The upsert of a collection's documents with every column the table has. */
  private writerFor(collection: string): Writer {
    const fields = [...this.tableFor(collection, [])].sort();
    const columns = fields.map(column);
    const position = column(POSITION_FIELD);
    const table = quote(collection);
    // Like the MongoDB adapter: a document that remembers the position applied to it is never
    // replaced by an older one, so two writers racing cannot move a model backwards.
    const upsert = this.statement(
      `INSERT INTO ${table} (id, doc, ${columns.join(', ')}) ` +
        `VALUES (${placeholders(2 + columns.length)}) ` +
        `ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, ` +
        columns.map((c) => `${c} = excluded.${c}`).join(', ') +
        ` WHERE excluded.${position} IS NULL OR ${table}.${position} IS NULL ` +
        `OR excluded.${position} >= ${table}.${position}`,
    );
    return { upsert, fields };
  }

  /**
   * Indexes of the JSON-document shape (on `json_extract` expressions) left in a file written
   * before declared fields were columns: no query uses them any more, and their names are the
   * ones the column indexes take.
   */
  private dropExpressionIndexes(collection: string): void {
    const legacy = this.db
      .prepare<[string], { name: string }>(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? " +
          "AND sql LIKE '%json_extract(%'",
      )
      .all(collection);
    for (const { name } of legacy) this.db.exec(`DROP INDEX ${quote(name)}`);
  }

  /**
   * The cached statement for this SQL text, least recently used evicted. A statement outlives
   * schema changes: SQLite prepares it again when the table it reads was dropped and recreated.
   */
  private statement(sql: string): Database.Statement<SqlValue[]> {
    const cached = this.statements.get(sql);
    const statement = cached ?? this.db.prepare<SqlValue[]>(sql);
    this.statements.delete(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.statements.keys().next();
      if (oldest.done !== true) this.statements.delete(oldest.value);
    }
    return statement;
  }
}

/** Runs synchronous work as a promise that rejects with whatever the work throws. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}

/** Identifiers are validated before they get here; quoting them is a second line of defence. */
function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/**
 * Columns of declared fields are named with a prefix no field name has (`:`), so they never
 * collide with `id`, `doc`, or each other.
 */
const COLUMN_PREFIX = 'f:';

function column(field: string): string {
  return quote(`${COLUMN_PREFIX}${field}`);
}

/** The slow path: a field read from the document's JSON. */
function jsonSql(field: string): string {
  return `json_extract(doc, '$.${checkField(field)}')`;
}

/**
 * The SQL of a field: the id is its own column (the primary key), a declared field its column;
 * any other is read from the JSON (a scan), or refused.
 */
function fieldSql(shape: Shape, field: string): string {
  if (checkField(field) === 'id') return 'id';
  if (shape.columns.has(field)) return column(field);
  if (shape.undeclared === 'refuse') {
    throw new Error(
      `${field} is not a declared field of ${shape.collection}: declare it (in an index or the ` +
        "collection's fields) to filter or sort on it",
    );
  }
  return jsonSql(field);
}

/**
 * True where the field holds a value of `type`. A column holds what JSON held, booleans as 1
 * and 0 (a declared field holds one type, so they meet no other number); its type is tested on
 * the column, so an index on it still answers a count alone. The slow path asks the JSON.
 */
function typeSql(shape: Shape, field: string, type: ValueType): string {
  if (field === 'id') return type === 'text' ? 'TRUE' : 'FALSE';
  if (shape.columns.has(field)) {
    const value = column(field);
    if (type === 'text') return `typeof(${value}) = 'text'`;
    if (type === 'number') return `typeof(${value}) IN ('integer', 'real')`;
    return `typeof(${value}) = 'integer'`;
  }
  const json = `json_type(doc, '$.${field}')`;
  if (type === 'text') return `${json} = 'text'`;
  if (type === 'number') return `${json} IN ('integer', 'real')`;
  return `${json} IN ('true', 'false')`;
}

// A rowid table rather than WITHOUT ROWID: documents are often larger than the few hundred
// bytes for which SQLite recommends WITHOUT ROWID. ANY columns keep each value's type; they come
// before the document, so reading them (an index build, say) never follows a long document's
// overflow pages.
function createTableSql(collection: string, fields: readonly string[]): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${quote(checkCollection(collection))} ` +
    `(id TEXT PRIMARY KEY, ${fields.map((f) => `${column(f)} ANY, `).join('')}doc TEXT NOT NULL) STRICT`
  );
}

/** The fields of the indexes and the extra ones, validated, without the id (its own column). */
function declaredFields(
  indexes: ReadonlyArray<readonly IndexKey[]>,
  extra: readonly string[],
): string[] {
  // Checked at run time: a caller without types may pass anything.
  const given: unknown = extra;
  if (!Array.isArray(given)) throw new TypeError('The declared fields are a list of names');
  const fields = new Set<string>();
  for (const field of [...indexes.flat().map((key) => key.field), ...(given as unknown[])]) {
    if (typeof field !== 'string') throw new TypeError('A declared field is a name');
    if (checkField(field) !== 'id') fields.add(field);
  }
  return [...fields];
}

/**
 * An index on the columns the queries name, which is what lets SQLite pick it; rows without a
 * sparse field it names are left out (a query's comparison on the field implies it is not null,
 * so SQLite still picks the partial index). The name cannot collide: neither collection nor
 * field names contain `:` or `,`. Written as SQLite keeps it in its schema, for comparison.
 */
function createIndexSql(
  collection: string,
  keys: readonly IndexKey[],
  sparse: ReadonlySet<string>,
): string {
  const columns = keys
    .map(
      ({ field, direction }) =>
        `${field === 'id' ? 'id' : column(field)} ${sortDirection(direction)}`,
    )
    .join(', ');
  const name = `${collection}:${indexName(keys)}`;
  const present = keys
    .filter(({ field }) => sparse.has(field))
    .map(({ field }) => `${column(field)} IS NOT NULL`);
  const where = present.length === 0 ? '' : ` WHERE ${present.join(' AND ')}`;
  return `CREATE INDEX ${quote(name)} ON ${quote(collection)} (${columns})${where}`;
}

/**
 * A declared field's column value: what JSON holds, booleans as 1 and 0 (as json_extract
 * answers them), missing and non-finite numbers (JSON null) as NULL.
 */
function columnValue(collection: string, document: Document, field: string): SqlValue {
  const value = document[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new TypeError(
    `Field ${field} of document ${document.id} in ${collection} is declared, so it holds a ` +
      `string, number, boolean or null, not ${describeValue(value)}`,
  );
}

function selectSql(shape: Shape, query: Query): Sql {
  const params: SqlValue[] = [];
  const table = quote(shape.collection);
  const where = whereSql(shape, query.filter, params);
  // Without a sort everything ties, so documents come in id order: paging stays stable.
  const order = [
    ...(query.sort ?? []).map(
      ([field, direction]) => `${fieldSql(shape, field)} ${sortDirection(direction)}`,
    ),
    'id ASC',
  ].join(', ');
  let page = '';
  if (query.skip !== undefined || query.limit !== undefined) {
    page = ' LIMIT ? OFFSET ?';
    params.push(nonNegative('limit', query.limit) ?? -1, nonNegative('skip', query.skip) ?? 0);
  }
  return { text: `SELECT id, doc FROM ${table}${where} ORDER BY ${order}${page}`, params };
}

function countSql(shape: Shape, filter: Filter | undefined): Sql {
  const params: SqlValue[] = [];
  const table = quote(shape.collection);
  return { text: `SELECT COUNT(*) AS n FROM ${table}${whereSql(shape, filter, params)}`, params };
}

function sortDirection(direction: number): string {
  if (direction === 1) return 'ASC';
  if (direction === -1) return 'DESC';
  throw new RangeError(`A sort direction is 1 or -1, got ${String(direction)}`);
}

function nonNegative(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** Appends the bound values to `params` in the order of the placeholders. */
function whereSql(shape: Shape, filter: Filter | undefined, params: SqlValue[]): string {
  const clauses = Object.entries(filter ?? {}).flatMap(([field, condition]) =>
    conditionSql(shape, field, condition, params),
  );
  return clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`;
}

function conditionSql(
  shape: Shape,
  field: string,
  condition: Condition,
  params: SqlValue[],
): string[] {
  const column = fieldSql(shape, field);
  const value: unknown = condition;
  if (value === undefined) throw new TypeError(`The condition on ${field} is undefined`);
  if (value === null || typeof value !== 'object') {
    // Equality with null also matches a missing field: both are NULL.
    const bound = scalar(field, value);
    if (bound === null) return [`${column} IS NULL`];
    params.push(bound);
    return [`${column} = ?`];
  }
  if (Array.isArray(value)) {
    throw new TypeError(`The condition on ${field} is an array: use { $in: [...] }`);
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    // A Date, say, has no own keys: read as operators it would match everything.
    throw new TypeError(
      `A filter on ${field} cannot compare with ${describeValue(value)}: filters take strings, ` +
        'finite numbers, booleans and null (dates as ISO strings)',
    );
  }

  const clauses: string[] = [];
  // An operator given as undefined is absent, as optional bounds of a range often are.
  for (const [operator, operand] of Object.entries(value as Record<string, unknown>)) {
    if (operand === undefined) continue;
    if (operator === '$in') {
      clauses.push(inSql(column, field, operand, params));
    } else if (operator === '$ne') {
      // IS NOT is null-safe: a missing or null field differs from any value. Null is written
      // out, so that SQLite sees the condition implies a partial index's (see createIndexSql).
      const bound = scalar(field, operand);
      if (bound === null) {
        clauses.push(`${column} IS NOT NULL`);
      } else {
        params.push(bound);
        clauses.push(`${column} IS NOT ?`);
      }
    } else if (isRangeOperator(operator)) {
      clauses.push(rangeSql(shape, field, operator, operand, params));
    } else if (operator === '$contains') {
      // instr() rather than LIKE, so that % and _ in the operand are plain characters.
      params.push(text(field, operator, operand));
      clauses.push(`instr(${column}, ?) > 0 AND ${typeSql(shape, field, 'text')}`);
    } else if (operator === '$prefix') {
      // length() and substr() both count characters, not bytes or UTF-16 units.
      const prefix = text(field, operator, operand);
      params.push(prefix, prefix);
      clauses.push(`substr(${column}, 1, length(?)) = ? AND ${typeSql(shape, field, 'text')}`);
    } else {
      throw new Error(`Unknown operator ${operator} in the condition on ${field}`);
    }
  }
  return clauses;
}

function inSql(column: string, field: string, operand: unknown, params: SqlValue[]): string {
  if (!Array.isArray(operand)) throw new TypeError(`$in on ${field} needs an array`);
  const values = (operand as unknown[]).map((item) => scalar(field, item));
  const present = values.filter((item) => item !== null);
  const tests: string[] = [];
  if (present.length > 0) {
    params.push(...present);
    tests.push(`${column} IN (${placeholders(present.length)})`);
  }
  // NULL never matches inside IN (...): null (or missing) needs its own test.
  if (present.length < values.length) tests.push(`${column} IS NULL`);
  if (tests.length === 0) return 'FALSE';
  return tests.length === 1 ? (tests[0] ?? 'FALSE') : `(${tests.join(' OR ')})`;
}

function isRangeOperator(operator: string): operator is keyof typeof RANGE_OPERATORS {
  return Object.hasOwn(RANGE_OPERATORS, operator);
}

/**
 * Compares only values of the operand's JSON type, as MongoDB does: SQLite alone would rank
 * every string above every number, so `{ $gt: 5 }` would match all strings.
 */
function rangeSql(
  shape: Shape,
  field: string,
  operator: keyof typeof RANGE_OPERATORS,
  operand: unknown,
  params: SqlValue[],
): string {
  const bound = scalar(field, operand);
  if (bound === null) {
    throw new RangeError(
      `${operator} on ${field} needs a string, number or boolean: null has no order`,
    );
  }
  const type: ValueType =
    typeof operand === 'string' ? 'text' : typeof operand === 'boolean' ? 'boolean' : 'number';
  params.push(bound);
  return `${fieldSql(shape, field)} ${RANGE_OPERATORS[operator]} ? AND ${typeSql(shape, field, type)}`;
}

/** A filter value as bound: columns (and json_extract) hold 1 and 0 for true and false. */
function scalar(field: string, value: unknown): SqlValue {
  if (value === null || typeof value === 'string') return value;
  if (field === 'id') {
    throw new TypeError(
      `id is a string, so a filter cannot compare it with ${describeValue(value)}`,
    );
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(
    `A filter on ${field} cannot compare with ${describeValue(value)}: filters take strings, ` +
      'finite numbers, booleans and null (dates as ISO strings)',
  );
}

function text(field: string, operator: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new TypeError(`${operator} on ${field} needs a string, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Gathers the statistics the query planner needs to choose between the indexes of a filter on
 * two fields (without them it may read every document of the less selective one). Only tables
 * without statistics, or grown much since, are analyzed, a sample of each index (SQLite 3.46+).
 * Being busy (another process writing) only leaves the plans as they were.
 */
/**
 * Files written before leases had generations get the column: existing leases start at 0, so
 * the next takeover hands out 1 and the generations still only grow.
 */
function addLeaseGenerations(db: Database.Database): void {
  const columns = db.pragma(`table_info(${LEASES_TABLE})`) as { name: string }[];
  if (columns.some((column) => column.name === 'generation')) return;
  db.exec(`ALTER TABLE ${LEASES_TABLE} ADD COLUMN generation INTEGER NOT NULL DEFAULT 0`);
}

function optimize(db: Database.Database, mask?: number): void {
  try {
    db.pragma(mask === undefined ? 'optimize' : `optimize = ${String(mask)}`);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
  }
}

function describeValue(value: unknown): string {
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'number') return String(value);
  return typeof value;
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * Pads a chunk of ids to the next power of two (or the chunk size) by repeating its last id,
 * so that getMany needs a handful of statement texts instead of one per list length.
 */
function padChunk(ids: readonly string[]): string[] {
  const last = ids.at(-1);
  if (last === undefined) return [];
  const size = Math.min(GET_MANY_CHUNK, 2 ** Math.ceil(Math.log2(ids.length)));
  return [...ids, ...Array.from({ length: size - ids.length }, () => last)];
}

function toJson(collection: string, document: Document): string {
  const problem = `Document ${document.id} of ${collection} cannot be stored as JSON`;
  try {
    // Undefined for a value JSON skips, such as what a toJSON method may answer.
    const json = JSON.stringify(document) as string | undefined;
    if (json !== undefined) return json;
  } catch (error) {
    throw new TypeError(problem, { cause: error });
  }
  throw new TypeError(problem);
}

function parseDocument(row: DocRow): Document {
  const document: unknown = JSON.parse(row.doc);
  return document as Document;
}
