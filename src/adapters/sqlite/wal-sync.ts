import type Database from 'better-sqlite3';
import { closeSync, existsSync, fdatasync, openSync } from 'node:fs';

/**
 * Makes a WAL-mode connection's commits durable off the event loop. The connection commits at
 * synchronous=NORMAL, which writes the transaction's frames to the write-ahead log without an
 * fsync (and still syncs the log before every checkpoint copies frames into the database);
 * `sync()` then runs `fdatasync` on the log in libuv's thread pool. Once it resolved, every
 * commit made before the call is as durable as synchronous=FULL would have made it, and the
 * thread served other requests meanwhile instead of blocking in the fsync (4–7 ms on this
 * project's disk, each flush of a commit group).
 *
 * The descriptor is this process's own, on the file SQLite writes: the log is only removed
 * when the last connection to the database closes, and the connection this serves stays open
 * until `close()`.
 */
export class WalSync {
  /** Syncs in flight: the descriptor is closed once none is left. */
  private running = 0;
  private closing = false;
  private closed = false;

  private constructor(private readonly fd: number) {}

  /**
   * Switches `db` (in WAL mode, on a file) to synchronous=NORMAL and answers its sync, or
   * answers undefined and leaves `db` as it was when there is no log file to sync.
   */
  static take(db: Database.Database): WalSync | undefined {
    const log = `${db.name}-wal`;
    if (db.memory || !existsSync(log)) return undefined;
    const sync = new WalSync(openSync(log, 'r'));
    db.pragma('synchronous = NORMAL');
    return sync;
  }

  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void> {
    if (this.closing) return Promise.reject(new Error('The write-ahead log sync is closed'));
    this.running += 1;
    return new Promise((resolve, reject) => {
      fdatasync(this.fd, (error) => {
        this.running -= 1;
        if (this.closing) this.closeNow();
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Closes the descriptor, once the syncs in flight are done. */
  close(): void {
    this.closing = true;
    this.closeNow();
  }

  private closeNow(): void {
    if (this.running > 0 || this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
