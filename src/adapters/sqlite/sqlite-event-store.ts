import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import { CommitGroup } from './commit-group.js';
import { settle } from './settle.js';
import { WalSync } from './wal-sync.js';
import { DATA_FILES, openDataFile } from './data-file.js';
import { logTreeOf } from './sqlite-merkle-tree.js';
import { SqliteStridedTree } from './sqlite-strided-tree.js';
import type { LogTree } from '../../event-sourcing/ports/log-tree.port.js';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeToAllOptions,
  type Subscription,
  LOG_START,
  type Position,
  positionFromJson,
  positionToJson,
} from '../../event-sourcing/ports/event-store.port.js';

export interface SqliteEventStoreOptions {
  /**
   * FULL (default) fsyncs the WAL on every commit, so an acknowledged append survives a process
   * kill and a power loss. NORMAL only fsyncs at checkpoints: still safe against a process
   * crash and never corrupting, but a power loss or OS crash may roll back the last appends
   * that were already acknowledged.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How often subscriptions look for appends made through other connections or processes. */
  readonly pollIntervalMs?: number;
  /**
   * Page cache of the connection in MiB (SQLite's default is 2 MiB). A bulk writer (the seed)
   * wants the indexes' pages to stay in memory while it inserts at random places in them.
   */
  readonly cacheSizeMiB?: number;
  /**
   * Group commit (default: on for a file, off for `:memory:`): appends made while a commit is
   * pending share its transaction and its fsync, each still in a savepoint of its own with its own
   * checks, and every append is answered only once its group committed. Reads then go through a
   * second connection that only sees committed appends. Off: one transaction per append.
   */
  readonly groupCommit?: boolean;
}

const PAGE_SIZE = 500;
const DEFAULT_POLL_INTERVAL_MS = 200;
/** Writers on other connections wait this long for the write lock instead of failing. */
const BUSY_TIMEOUT_MS = 5000;

// AUTOINCREMENT so a position is never reused, even after the last rows were deleted. The
// (stream_id, revision) unique index serves stream reads in both directions.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  id        TEXT    NOT NULL UNIQUE,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
) STRICT;
`;

const COLUMNS = 'position, id, stream_id, revision, type, data, metadata';

interface EventRow {
  readonly position: number;
  readonly id: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

interface StoredPlace {
  readonly stream_id: string;
  readonly revision: number;
  readonly position: number;
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare<[string, string, number, string, string, string]>(
      'INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    streamHead: db.prepare<[string], { revision: number; position: number }>(
      'SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    findId: db.prepare<[string], StoredPlace>(
      'SELECT stream_id, revision, position FROM events WHERE id = ?',
    ),
    readForwards: db.prepare<[string, number, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    ),
    readBackwards: db.prepare<[string, number, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    readAll: db.prepare<[number, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`,
    ),
    readAllBackwards: db.prepare<[number, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position < ? ORDER BY position DESC LIMIT ?`,
    ),
    eventAt: db.prepare<[number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE position = ?`),
    countBetween: db
      .prepare<[number, number], number>(
        'SELECT COUNT(*) FROM events WHERE position > ? AND position <= ?',
      )
      .pluck(),
    head: db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };
}

interface AppendOutcome {
  readonly result: AppendResult;
  readonly written: boolean;
}

export class SqliteEventStore implements EventStore {
  private readonly subscriptions = new Set<SqliteSubscription>();
  /** Between beginBatch and its commit or rollback. */
  private batching = false;
  /** Counts batches, so that a read begun in one batch does not vouch for the next. */
  private batchNumber = 0;
  /**
   * Revision of the last event of streams this connection read to their end or appended to
   * during batches (-1: no event). While a batch holds the write lock no other connection can
   * move a stream, so these stay true: reads past them return nothing without a query, and
   * appends check the expected revision against them. Kept from one batch to the next only when
   * no other connection committed in between (PRAGMA data_version), nor this one outside a batch.
   */
  private readonly knownHeads = new Map<string, number>();
  /** data_version at the start of the last batch, or undefined once the heads may be stale. */
  private headsVersion: number | undefined;
  private readonly appendTransaction: (
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ) => AppendOutcome;
  private readonly appendManyTransaction: (appends: readonly StreamAppend[]) => AppendOutcome[];

  /** Group commit of the appends made outside batches, when on. */
  private readonly group: CommitGroup | undefined;
  /** With a WalSync: the head as of the last commit known durable (what subscriptions may see). */
  private durableHead: number;

  /** The Merkle tree over the log, appended to in the transaction of each append. */
  private readonly tree: SqliteStridedTree;
  /** The same tree read through the connection reads go through (committed appends only). */
  private readonly treeReader: SqliteStridedTree;

  private constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
    private readonly pollIntervalMs: number,
    /**
     * With group commit: a connection of its own for reads outside batches, which sees committed
     * appends only. Nothing is read, answered or delivered to subscriptions before it is durable,
     * and a read never waits for the group to commit.
     */
    private readonly reader: { db: Database.Database; statements: Statements } | undefined,
    /** With group commit at synchronous=FULL: each group's fsync, off the thread. */
    private readonly walSync: WalSync | undefined,
  ) {
    this.tree = new SqliteStridedTree(db);
    this.treeReader = reader ? new SqliteStridedTree(reader.db) : this.tree;
    this.durableHead = walSync ? (statements.head.get() ?? 0) : 0;
    this.group =
      reader &&
      new CommitGroup(
        db,
        BUSY_TIMEOUT_MS,
        () => {
          this.notifySubscriptions();
        },
        walSync &&
          (() => {
            // Right after the COMMIT: the head it made, durable once the sync resolved.
            const head = statements.head.get() ?? 0;
            return walSync.sync().then(() => {
              this.durableHead = Math.max(this.durableHead, head);
            });
          }),
      );
    const transaction = db.transaction(
      (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision) =>
        this.appendLocked(streamId, events, expected),
    );
    // IMMEDIATE takes the write lock before reading the stream's revision, so two connections
    // cannot both pass the expected-revision check.
    this.appendTransaction = (streamId, events, expected) =>
      transaction.immediate(streamId, events, expected);
    // One savepoint (or transaction) around all the parts: a part that throws undoes the others.
    const many = db.transaction((appends: readonly StreamAppend[]) =>
      appends.map((part) => this.appendLocked(part.streamId, part.events, part.expectedRevision)),
    );
    this.appendManyTransaction = (appends) => many.immediate(appends);
  }

  static open(filePath: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    // Checked at run time too: it is spliced into a pragma.
    const synchronous: string = options.synchronous ?? 'FULL';
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      throw new RangeError(`synchronous must be FULL or NORMAL, got ${synchronous}`);
    }
    const cacheSizeMiB = options.cacheSizeMiB;
    if (cacheSizeMiB !== undefined && !(Number.isInteger(cacheSizeMiB) && cacheSizeMiB > 0)) {
      throw new RangeError(`cacheSizeMiB must be a positive integer, got ${String(cacheSizeMiB)}`);
    }
    const db = openDataFile(filePath, DATA_FILES.events, { timeout: BUSY_TIMEOUT_MS });
    let reader: Database.Database | undefined;
    try {
      db.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      // Negative: a size in KiB rather than in pages.
      if (cacheSizeMiB !== undefined) db.pragma(`cache_size = ${String(-cacheSizeMiB * 1024)}`);
      db.exec(SCHEMA);
      SqliteStridedTree.createTables(db);
      SqliteStridedTree.completeStrides(db, PAGE_SIZE * 10);
      // A second connection to an in-memory database would be another, empty database.
      if ((options.groupCommit ?? true) && !db.memory) {
        reader = new Database(filePath, { timeout: BUSY_TIMEOUT_MS });
        reader.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
        reader.pragma('query_only = ON');
        if (cacheSizeMiB !== undefined)
          reader.pragma(`cache_size = ${String(-cacheSizeMiB * 1024)}`);
      }
      return new SqliteEventStore(
        db,
        prepareStatements(db),
        options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        reader && { db: reader, statements: prepareStatements(reader) },
        // FULL's fsync per group, run in the thread pool rather than inside the COMMIT.
        reader && synchronous === 'FULL' ? WalSync.take(db) : undefined,
      );
    } catch (error) {
      reader?.close();
      db.close();
      throw error;
    }
  }

  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    return settle(() => {
      validateAppend(events, expectedRevision);
      return this.write(() => {
        const outcome = this.appendTransaction(streamId, events, expectedRevision);
        this.noteHead(streamId, outcome);
        return outcome.result;
      });
    });
  }

  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    return settle(() => {
      for (const part of appends) validateAppend(part.events, part.expectedRevision);
      if (new Set(appends.map((part) => part.streamId)).size !== appends.length)
        throw new Error('The parts of one append must be to distinct streams');
      validateAppend(
        appends.flatMap((part) => part.events),
        'any',
      );
      return this.write(() => {
        const outcomes = this.appendManyTransaction(appends);
        outcomes.forEach((outcome, index) => {
          this.noteHead(appends[index]?.streamId ?? '', outcome);
        });
        return outcomes.map((outcome) => outcome.result);
      });
    });
  }

  /** Runs a write: in the open batch, in a commit group, or on its own and then told. */
  private write<T>(append: () => T): T | Promise<T> {
    // A batch holds the connection's transaction: its appends join it, not a group.
    if (this.group && !this.batching) return this.group.run(append);
    const result = append();
    // No subscription is open during a batch: nothing to notify before its commit.
    if (!this.batching) this.notifySubscriptions();
    return result;
  }

  private noteHead(streamId: string, { result, written }: AppendOutcome): void {
    if (written && this.batching) this.knownHeads.set(streamId, result.nextExpectedRevision);
    else if (written) this.headsVersion = undefined;
  }

  /**
   * Opens one write transaction that every append joins until commitBatch, for a bulk writer
   * that can redo what it loses (the seed): one commit per batch instead of one per append is
   * most of a bulk load's cost. Each append still runs in its own savepoint with the same checks
   * (revision, retried ids), so a refused append writes nothing and the batch goes on. Reads
   * through this store see the batch; other connections only once committed; a crash or
   * rollbackBatch drops all of it. Holds the write lock throughout: not for a serving store,
   * hence refused while subscriptions are open (they would read appends not committed yet).
   */
  beginBatch(): void {
    if (this.batching) throw new Error('A batch is already open');
    if (this.subscriptions.size > 0) throw new Error('No batch while subscriptions are open');
    // Appends already made are answered before the batch takes the transaction over.
    this.group?.flush();
    // A batch commits by itself, not through the group: its COMMIT fsyncs, as shipped.
    if (this.walSync) this.db.pragma('synchronous = FULL');
    this.statements.begin.run();
    const version = this.statements.dataVersion.get();
    if (version === undefined || version !== this.headsVersion) this.knownHeads.clear();
    this.headsVersion = version;
    this.batching = true;
    this.batchNumber += 1;
  }

  commitBatch(): void {
    this.endBatch();
    try {
      this.statements.commit.run();
    } catch (error) {
      this.forgetHeads();
      // Never leave a transaction open that later appends would silently join.
      if (this.db.inTransaction) this.statements.rollback.run();
      throw error;
    } finally {
      this.afterBatch();
    }
  }

  rollbackBatch(): void {
    this.endBatch();
    this.forgetHeads();
    // SQLite may already have rolled back by itself (e.g. after a failed write).
    try {
      if (this.db.inTransaction) this.statements.rollback.run();
    } finally {
      this.afterBatch();
    }
  }

  /**
   * The Merkle tree over the log (RFC 9162): every event is the leaf at its ordinal in the log,
   * written with it. Read like the log, through the connection that sees committed appends only
   * (or, in a batch, the batch's own).
   */
  get logTree(): LogTree {
    // Read once durable, like the log itself: a checkpoint is never signed over appends a crash
    // could still take back.
    return logTreeOf(
      () => (this.batching ? this.tree : this.treeReader),
      (read) => this.readDurable(read),
    );
  }

  /** Whether a batch is open (beginBatch without its commit or rollback yet). */
  get batchOpen(): boolean {
    return this.batching;
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent, void, undefined> {
    if (this.group?.syncPending && !this.batching) await this.group.durable();
    const backwards = options.direction === 'backwards';
    const statements = this.readStatements();
    const statement = backwards ? statements.readBackwards : statements.readForwards;
    let next = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const batch = this.batching && !backwards ? this.batchNumber : undefined;
    if (batch !== undefined && next > (this.knownHeads.get(streamId) ?? Infinity)) return;
    // The last revision read, or -1 when reading from the start: the head once the end is reached.
    let seen = next === 0 ? -1 : undefined;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = statement.all(streamId, next, limit);
      for (const row of rows) yield toRecordedEvent(row);
      const last = rows.at(-1);
      seen = last?.revision ?? seen;
      if (rows.length < limit || last === undefined) {
        if (seen !== undefined && batch !== undefined && this.inBatch(batch))
          this.knownHeads.set(streamId, seen);
        return;
      }
      remaining -= rows.length;
      next = backwards ? last.revision - 1 : last.revision + 1;
      // Queries are synchronous: let other work run between the pages of a long stream.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    if (options.direction === 'backwards') {
      const before =
        options.fromPosition === undefined
          ? Number.MAX_SAFE_INTEGER
          : positionToJson(options.fromPosition);
      return this.readDurable(() =>
        this.readStatements().readAllBackwards.all(before, options.maxCount).map(toRecordedEvent),
      );
    }
    return this.readDurable(() =>
      this.readAllSync(positionToJson(options.fromPosition ?? LOG_START), options.maxCount),
    );
  }

  headPosition(): Promise<Position> {
    return this.readDurable(() => positionFromJson(this.readStatements().head.get() ?? 0));
  }

  eventAt(position: Position): Promise<RecordedEvent | undefined> {
    return this.readDurable(() => {
      const row = this.readStatements().eventAt.get(positionToJson(position));
      return row && toRecordedEvent(row);
    });
  }

  /** Rows are counted over the primary key's range: cheap for the lags and progress it serves. */
  countBetween(after: Position, upTo: Position): Promise<number | null> {
    return this.readDurable(
      () =>
        this.readStatements().countBetween.get(positionToJson(after), positionToJson(upTo)) ?? 0,
    );
  }

  ping(): Promise<void> {
    // The writer's connection: the one whose file a write needs.
    return settle(() => {
      this.db.prepare('SELECT 1 FROM events LIMIT 1').get();
    });
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    if (!this.db.open) throw new Error('The event store is closed');
    if (this.batching) throw new Error('No subscription while a batch is open');
    const subscription = new SqliteSubscription(
      options,
      (after) => this.subscriptionPage(after),
      this.pollIntervalMs,
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    // A batch still open is dropped, as a crash would drop it; a group is committed and
    // answered, as it would have been a moment later.
    if (this.batching && this.db.open) this.rollbackBatch();
    if (this.db.open) this.group?.flush();
    await this.group?.durable();
    this.walSync?.close();
    if (this.reader?.db.open) this.reader.db.close();
    if (this.db.open) this.db.close();
  }

  /**
   * Outside batches with group commit, the reader: committed appends only. In a batch, the
   * batch's own connection, so that its commands read what the batch appended.
   */
  private readStatements(): Statements {
    return this.reader && !this.batching ? this.reader.statements : this.statements;
  }

  private notifySubscriptions(): void {
    for (const subscription of this.subscriptions) subscription.notify();
  }

  /** Groups commit at NORMAL again, their fsync off the thread (see beginBatch). */
  private afterBatch(): void {
    if (this.walSync && !this.db.inTransaction) this.db.pragma('synchronous = NORMAL');
  }

  /**
   * Runs a read of the reader once the groups committed so far are durable: a commit is visible
   * to the reader from its COMMIT on, but nothing is read or answered before it is durable.
   */
  private readDurable<T>(read: () => T): Promise<T> {
    const group = this.group;
    if (group?.syncPending && !this.batching) return group.durable().then(() => settle(read));
    return settle(read);
  }

  /** A subscription's page: up to the last durable commit while a group's sync is in flight. */
  private subscriptionPage(after: number): RecordedEvent[] {
    const page = this.readAllSync(after, PAGE_SIZE);
    if (!this.group?.syncPending || this.batching) return page;
    const head = this.durableHead;
    return page.filter((event) => positionToJson(event.position) <= head);
  }

  private endBatch(): void {
    if (!this.batching) throw new Error('No batch is open');
    this.batching = false;
  }

  /** Whether the batch numbered `batch` is still the open one (a method: not narrowed away). */
  private inBatch(batch: number): boolean {
    return this.batching && this.batchNumber === batch;
  }

  /** What a rolled-back batch wrote is gone: heads it moved are no longer known. */
  private forgetHeads(): void {
    this.knownHeads.clear();
    this.headsVersion = undefined;
  }

  private readAllSync(fromPosition: number, maxCount: number): RecordedEvent[] {
    if (maxCount <= 0) return [];
    return this.readStatements().readAll.all(fromPosition, maxCount).map(toRecordedEvent);
  }

  /** Runs inside the write transaction. */
  private appendLocked(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): AppendOutcome {
    // A retry of an append that succeeded must not fail on the revision it moved on itself.
    const previous = this.findPreviousAppend(streamId, events);
    if (previous !== undefined) return { result: previous, written: false };

    // An empty append answers with the head's position: it queries the head in any case.
    const known = this.batching && events.length > 0 ? this.knownHeads.get(streamId) : undefined;
    const head = known === undefined ? this.statements.streamHead.get(streamId) : undefined;
    const current = known === undefined ? head?.revision : known < 0 ? undefined : known;
    checkExpectedRevision(streamId, expected, current);
    if (events.length === 0) {
      const result = head
        ? { nextExpectedRevision: head.revision, position: positionFromJson(head.position) }
        : { nextExpectedRevision: -1, position: positionFromJson(this.statements.head.get() ?? 0) };
      return { result, written: false };
    }

    let revision = current ?? -1;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const { lastInsertRowid } = this.statements.insert.run(
        event.id,
        streamId,
        revision,
        event.type,
        toJson(event.data, 'data', event.id),
        toJson(event.metadata, 'metadata', event.id),
      );
      position = Number(lastInsertRowid);
      // In the same transaction (or savepoint) as the event: the tree never disagrees with the log.
      this.tree.appendEvent(position, event.metadata);
    }
    return {
      result: { nextExpectedRevision: revision, position: positionFromJson(position) },
      written: true,
    };
  }

  private findPreviousAppend(
    streamId: string,
    events: readonly NewEvent[],
  ): AppendResult | undefined {
    const stored = events.map((event) => this.statements.findId.get(event.id));
    const found = stored.filter((place) => place !== undefined);
    if (found.length === 0) return undefined;

    const first = stored[0];
    const isRetry =
      first !== undefined &&
      stored.every(
        (place, index) =>
          place !== undefined &&
          place.stream_id === streamId &&
          place.revision === first.revision + index,
      );
    const last = found.at(-1);
    if (isRetry && last !== undefined) {
      return { nextExpectedRevision: last.revision, position: positionFromJson(last.position) };
    }
    const collisions = events.flatMap((event, index) => {
      const place = stored[index];
      return place === undefined
        ? []
        : [`${event.id} (stream ${place.stream_id}, revision ${String(place.revision)})`];
    });
    throw new Error(
      `Cannot append to stream ${streamId}: event ids already stored: ${collisions.join(', ')}. ` +
        'Only a retry whose ids are all stored consecutively in the same stream and order is a no-op.',
    );
  }
}

/**
 * Follows the log: pages through what is stored after the checkpoint, then sleeps until an
 * append through the same store wakes it or the poll interval elapses (appends made by other
 * connections have no other way to be noticed).
 */
class SqliteSubscription implements Subscription {
  private static readonly delivering = new AsyncLocalStorage<SqliteSubscription>();
  private closed = false;
  private notified = false;
  private wake: (() => void) | undefined;
  private readonly finished: Promise<void>;

  constructor(
    private readonly options: SubscribeToAllOptions,
    private readonly readPage: (afterPosition: number) => RecordedEvent[],
    private readonly pollIntervalMs: number,
    private readonly onFinished: (subscription: SqliteSubscription) => void,
  ) {
    this.finished = this.run();
  }

  notify(): void {
    this.notified = true;
    this.wake?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    // Called from inside onEvent: the loop is waiting for that very call, so waiting for the
    // loop would deadlock. It stops as soon as onEvent settles.
    if (SqliteSubscription.delivering.getStore() === this) return;
    await this.finished;
  }

  private async run(): Promise<void> {
    // Let subscribeToAll return the subscription before the first event is delivered.
    await Promise.resolve();
    let checkpoint = positionToJson(this.options.fromPosition ?? LOG_START);
    try {
      while (!this.closed) {
        this.notified = false;
        const page = this.readPage(checkpoint);
        for (const event of page) {
          if (this.isClosed()) return;
          await SqliteSubscription.delivering.run(this, () => this.options.onEvent(event));
          checkpoint = positionToJson(event.position);
        }
        if (page.length < PAGE_SIZE) await this.sleep();
      }
    } catch (error) {
      // The failed event is not skipped: the subscription stops on it.
      this.closed = true;
      try {
        this.options.onError?.(error);
      } catch {
        // A failing error handler has nowhere left to report to.
      }
    } finally {
      this.onFinished(this);
    }
  }

  /** A method, not the field, so that the checks after an await are not narrowed away. */
  private isClosed(): boolean {
    return this.closed;
  }

  private sleep(): Promise<void> {
    if (this.notified || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wakeUp = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(wakeUp, this.pollIntervalMs);
      this.wake = wakeUp;
    });
  }
}

function validateAppend(events: readonly NewEvent[], expected: ExpectedRevision): void {
  if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < -1)) {
    throw new RangeError(`Expected revision must be an integer >= -1, got ${String(expected)}`);
  }
  const ids = new Set(events.map((event) => event.id));
  if (ids.size !== events.length) {
    throw new Error('The events of one append must have distinct ids');
  }
}

/** A number matches the revision of the stream's last event; -1 means the stream has none. */
function checkExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  current: number | undefined,
): void {
  const matches =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    expected === (current ?? -1);
  if (!matches) throw new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream');
}

function toJson(value: unknown, field: string, eventId: string): string {
  const json = JSON.stringify(value ?? null) as string | undefined;
  if (json === undefined) throw new TypeError(`The ${field} of event ${eventId} is not JSON`);
  return json;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  const data: unknown = JSON.parse(row.data);
  const metadata: unknown = JSON.parse(row.metadata);
  return {
    id: row.id,
    streamId: row.stream_id,
    revision: row.revision,
    position: positionFromJson(row.position),
    type: row.type,
    data,
    metadata: metadata as EventMetadata,
  };
}
