import type Database from 'better-sqlite3';
import { StorageUnavailable } from '../../event-sourcing/storage/storage-unavailable.js';

/** How one member's work ended inside the group, told to it once the group is settled. */
type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** A member waiting for the write lock another connection holds. */
interface Waiting {
  readonly start: () => void;
  readonly fail: (error: unknown) => void;
}

/**
 * Turns of the event loop a group stays open while members keep joining it. Each flush blocks
 * the thread for a few ms: with ten requests in flight, waiting for the ones a turn or two
 * behind fills a group about twice as well (measured: ~5 to ~9 appends per commit).
 */
const MAX_TURNS = 8;

/** Between two tries for the write lock another connection holds. */
const LOCK_RETRY_MS = 2;

interface Group {
  /** Each member's settle: `failure` is set when the group as a whole did not commit. */
  readonly members: Array<(failure: { readonly error: unknown } | undefined) => void>;
}

/**
 * Group commit on one SQLite connection: writes asked for while a group is open join its write
 * transaction, and the group commits (one fsync at synchronous=FULL) once a turn of the event
 * loop added no member (see MAX_TURNS). better-sqlite3 is synchronous, so a COMMIT that fsyncs
 * blocks the thread; sharing it is what lets many writes through per flush. Given a `sync`
 * (WalSync), the COMMIT only writes the log and the fsync runs in the thread pool while the
 * next group fills.
 *
 * Each member's work runs at once in a savepoint of its own (the caller passes a
 * `db.transaction` function, which nests as a savepoint), so its checks see the members before
 * it and a member that throws undoes only itself. Every member learns its outcome only after the
 * COMMIT returned (and the sync after it resolved): an answer never vouches for a write that could still be lost, and a refusal
 * caused by a member before it is only given once that member is durable. If the COMMIT fails, or
 * SQLite rolls the whole transaction back under a member, every member of the group fails; so
 * do they if the sync fails (the group is committed then, but nobody was told it is durable).
 */
export class CommitGroup {
  private group: Group | undefined;
  /** Members waiting for the write lock, in order, while another connection holds it. */
  private waiting: Waiting[] | undefined;
  /** The latest sync in flight (see `sync`), until it settled. */
  private syncing: Promise<void> | undefined;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    /** How long to wait for a write lock another connection holds before failing. */
    private readonly busyTimeoutMs: number,
    /** Called after each successful commit, once it is durable (e.g. to wake subscriptions). */
    private readonly onCommitted: () => void = () => undefined,
    /**
     * Makes the commits made so far durable, off the thread (WalSync: the connection then
     * commits at synchronous=NORMAL). Without it the COMMIT itself is durable. With it, the
     * next group opens while the previous one's sync runs, and each member still learns its
     * outcome only once its group is durable.
     */
    private readonly sync?: () => Promise<void>,
  ) {
    // IMMEDIATE takes the write lock before any member reads, so another connection cannot
    // move a stream between a member's check and the commit.
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** Whether a group is open and not yet committed. */
  get pending(): boolean {
    return this.group !== undefined;
  }

  /** Whether a group committed but is not durable yet. */
  get syncPending(): boolean {
    return this.syncing !== undefined;
  }

  /**
   * Resolves once every group committed so far is durable, or its sync failed (its members
   * were told): what other connections may then read of them is what this process vouches for.
   */
  durable(): Promise<void> {
    return this.syncing ?? Promise.resolve();
  }

  /** Runs `work` in the open group (opening one if needed); settles once the group committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.enter(work, resolve, reject);
    });
  }

  /** Joins the open group, opens one, or queues for the write lock another connection holds. */
  private enter<T>(
    work: () => T,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ): void {
    try {
      if (this.waiting) {
        this.waiting.push({
          start: () => {
            this.enter(work, resolve, reject);
          },
          fail: reject,
        });
        return;
      }
      if (!this.group && !this.tryOpen()) {
        this.waiting = [
          {
            start: () => {
              this.enter(work, resolve, reject);
            },
            fail: reject,
          },
        ];
        this.retryOpen(Date.now() + this.busyTimeoutMs);
        return;
      }
    } catch (error) {
      // Opening failed for another reason than a busy lock: only this member fails.
      reject(error);
      return;
    }
    const group = this.group;
    if (group === undefined) throw new Error('A group was just opened');
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: work() };
    } catch (error) {
      if (!this.db.inTransaction) {
        // SQLite rolled the whole transaction back (e.g. an I/O error): the members before
        // this one lost their writes too.
        this.settle(group, { error });
        reject(error);
        return;
      }
      outcome = { ok: false, error };
    }
    group.members.push((failure) => {
      if (failure) reject(failure.error);
      else if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
  }

  /**
   * Commits the open group now, if any (before a batch takes the connection, or on close);
   * with a sync, `durable()` tells when it is durable.
   */
  flush(): void {
    const group = this.group;
    if (group === undefined) return;
    let failure: { readonly error: unknown } | undefined;
    try {
      this.commit.run();
    } catch (error) {
      failure = { error };
      // Never leave a transaction open that later writes would silently join.
      if (this.db.inTransaction) this.rollback.run();
    }
    if (failure !== undefined || this.sync === undefined) {
      this.settle(group, failure);
      if (failure === undefined) this.onCommitted();
      return;
    }
    // Committed: the next group may open and run while this one is being made durable. A
    // sync started after this COMMIT covers it and every commit before it.
    this.group = undefined;
    const synced = this.sync().then(
      () => {
        this.settle(group, undefined);
        this.onCommitted();
      },
      (error: unknown) => {
        this.settle(group, { error });
      },
    );
    this.syncing = synced;
    void synced.finally(() => {
      if (this.syncing === synced) this.syncing = undefined;
    });
  }

  /**
   * Opens a group if the write lock is free. Another connection holding it (another process,
   * or another store on the same file in this one) is not waited for here: a busy wait would
   * block the thread, and with it the commit of a group of this process that holds the lock.
   */
  private tryOpen(): boolean {
    this.db.pragma('busy_timeout = 0');
    try {
      this.begin.run();
    } catch (error) {
      // By its code, not its class: the class may come from another copy of the module.
      if (isBusy(error)) return false;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${String(this.busyTimeoutMs)}`);
    }
    this.opened();
    return true;
  }

  /** Tries for the lock again until `deadline`, then fails the members waiting for it. */
  private retryOpen(deadline: number): void {
    setTimeout(() => {
      const waiting = this.waiting ?? [];
      let opened: boolean;
      try {
        opened = this.tryOpen();
      } catch (error) {
        this.waiting = undefined;
        for (const member of waiting) member.fail(error);
        return;
      }
      if (opened) {
        this.waiting = undefined;
        for (const member of waiting) member.start();
      } else if (Date.now() >= deadline) {
        this.waiting = undefined;
        // Typed like SQLite's own SQLITE_BUSY: a 503 with Retry-After, not a 500.
        const error = new StorageUnavailable(
          'busy',
          `The write lock stayed busy for ${String(this.busyTimeoutMs)} ms (another connection)`,
        );
        for (const member of waiting) member.fail(error);
      } else {
        this.retryOpen(deadline);
      }
    }, LOCK_RETRY_MS);
  }

  private opened(): void {
    const group: Group = { members: [] };
    this.group = group;
    // Commit once a turn of the event loop went by without a new member (the requests then
    // being served have all had their turn), or after MAX_TURNS turns under a steady stream.
    let members = -1;
    let turns = 0;
    const tick = (): void => {
      // A group already settled (flushed early, or aborted) has nothing left to commit.
      if (this.group !== group) return;
      if (group.members.length !== members && turns < MAX_TURNS) {
        members = group.members.length;
        turns += 1;
        setImmediate(tick);
        return;
      }
      this.flush();
    };
    setImmediate(tick);
  }

  private settle(group: Group, failure: { readonly error: unknown } | undefined): void {
    if (this.group === group) this.group = undefined;
    for (const member of group.members) member(failure);
  }
}

function isBusy(error: unknown): boolean {
  // Not `instanceof Error` either: under a VM context (jest) the addon's errors are of another realm.
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
