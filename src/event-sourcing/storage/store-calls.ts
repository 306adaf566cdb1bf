/** How a call to a store's port method ended. */
export type StoreCallOutcome = 'ok' | 'error' | 'conflict';

/**
 * Told of every asynchronous call to a store's port method (through the storage guard): which
 * store, which operation, how long it took and how it ended. `conflict` is an append refused for
 * a stale expected revision: the store worked, the writer raced another.
 */
export interface StoreCallObserver {
  called(store: string, operation: string, seconds: number, outcome: StoreCallOutcome): void;
}
