/**
 * Why a store could not do what was asked, whatever the store: `full` = no space left (disk,
 * quota, a size cap), `busy` = another writer holds the lock, `io` = the device failed or turned
 * read-only, `unreachable` = a database server did not answer.
 */
export type StorageProblem = 'full' | 'busy' | 'io' | 'unreachable';

/** HTTP status of each problem: 507 when space must be freed, 503 when it may pass by itself. */
const STATUS: Record<StorageProblem, 503 | 507> = {
  full: 507,
  busy: 503,
  io: 503,
  unreachable: 503,
};

/** How long a client should wait before retrying: an operator must act on a full disk. */
const RETRY_AFTER_SECONDS: Record<StorageProblem, number> = {
  full: 60,
  busy: 1,
  io: 30,
  unreachable: 5,
};

const DETAIL: Record<StorageProblem, string> = {
  full: 'The storage is full: nothing was written. Retry once an operator has freed space',
  busy: 'The database is busy (another writer holds it): nothing was written. Retry shortly',
  io: 'The storage failed to read or write: nothing was written. Retry later',
  unreachable: 'The database did not answer: nothing was written. Retry later',
};

/**
 * A store failed for a reason of its own, not of the request: answered 507 or 503 with
 * `Retry-After`, and shown on /health until the same operation succeeds again. Adapters turn
 * their drivers' codes into it (SQLITE_FULL, ENOSPC, …) so nothing above them matches strings.
 */
export class StorageUnavailable extends Error {
  readonly status: 503 | 507;
  readonly retryAfterSeconds: number;

  constructor(
    readonly problem: StorageProblem,
    /** What the driver said, for the log and /health (never the answer's detail). */
    readonly reason: string,
    options?: { readonly cause?: unknown },
  ) {
    super(DETAIL[problem], options);
    this.name = 'StorageUnavailable';
    this.status = STATUS[problem];
    this.retryAfterSeconds = RETRY_AFTER_SECONDS[problem];
  }
}
