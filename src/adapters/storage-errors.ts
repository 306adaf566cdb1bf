import {
  StorageUnavailable,
  type StorageProblem,
} from '../event-sourcing/storage/storage-unavailable.js';

/** SQLite result codes (extended ones start with these) and errno names from the file system. */
const BY_CODE: ReadonlyArray<readonly [prefix: string, problem: StorageProblem]> = [
  ['SQLITE_FULL', 'full'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_IOERR', 'io'],
  ['SQLITE_READONLY', 'io'],
  ['ENOSPC', 'full'],
  ['EDQUOT', 'full'],
  ['EIO', 'io'],
  ['EROFS', 'io'],
];

/** MongoDB server error codes: OutOfDiskSpace, and WriteConflict-free busy answers. */
const MONGO_CODES: ReadonlyMap<number, StorageProblem> = new Map([
  [14031, 'full'], // OutOfDiskSpace
  [91, 'unreachable'], // ShutdownInProgress
  [189, 'unreachable'], // PrimarySteppedDown
]);

/** Driver errors that say the database server could not be reached, by class name. */
const UNREACHABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
]);

/** EventStoreDB client error types (ErrorType of @eventstore/db-client). */
const ESDB_TYPES: ReadonlyMap<string, StorageProblem> = new Map([
  ['unavailable', 'unreachable'],
  ['deadline-exceeded', 'unreachable'],
]);

/**
 * The storage failure an error of a store driver stands for, or undefined when it is anything
 * else (a bug, a refused append): one table for every adapter, read by code, never by message.
 * Reads fields rather than classes: under jest's VM contexts the drivers' errors come from
 * another realm.
 */
export function storageFailure(error: unknown): StorageUnavailable | undefined {
  if (error instanceof StorageUnavailable) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name, type, message } = error as {
    code?: unknown;
    name?: unknown;
    type?: unknown;
    message?: unknown;
  };
  const reason = typeof message === 'string' ? message : String(code ?? name);
  const make = (problem: StorageProblem): StorageUnavailable =>
    new StorageUnavailable(problem, reason, { cause: error });
  if (typeof code === 'string') {
    const match = BY_CODE.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`));
    if (match) return make(match[1]);
  }
  if (typeof code === 'number') {
    const problem = MONGO_CODES.get(code);
    if (problem) return make(problem);
  }
  if (typeof name === 'string' && UNREACHABLE_NAMES.has(name)) return make('unreachable');
  if (typeof type === 'string') {
    const problem = ESDB_TYPES.get(type);
    if (problem) return make(problem);
  }
  return undefined;
}
