import { performance } from 'node:perf_hooks';
import { WrongExpectedRevisionError } from '../event-sourcing/ports/event-store.port.js';
import type { StorageHealth } from '../event-sourcing/storage/storage-health.js';
import type { StoreCallObserver, StoreCallOutcome } from '../event-sourcing/storage/store-calls.js';
import { storageFailure } from './storage-errors.js';

const UNOBSERVED: StoreCallObserver = { called: () => undefined };

/**
 * The store as its port, with every asynchronous method's storage failures turned into
 * StorageUnavailable (507/503 upstream) and told to `health`, and each success clearing that
 * method's fault. A proxy rather than a class per port: it applies alike to the event store,
 * the read store and the vault, whatever adapter is behind them. `calls` is told how long each
 * call took and how it ended (for /metrics).
 */
export function guardStorage<T extends object>(
  target: T,
  store: string,
  health: StorageHealth,
  calls: StoreCallObserver = UNOBSERVED,
): T {
  const guarded = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key, object);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      const known = guarded.get(key);
      if (known) return known;
      const operation = key;
      const translate = (error: unknown): unknown => {
        const failure = storageFailure(error);
        if (!failure) return error;
        health.failed(store, operation, failure);
        return failure;
      };
      const wrapper = (...args: unknown[]): unknown => {
        const started = performance.now();
        const ended = (outcome: StoreCallOutcome): void => {
          calls.called(store, operation, (performance.now() - started) / 1000, outcome);
        };
        let result: unknown;
        try {
          result = Reflect.apply(value, object, args);
        } catch (error) {
          ended('error');
          throw translate(error);
        }
        // Only promises: generators and subscriptions report through their own callbacks.
        if (!(result instanceof Promise)) return result;
        return result.then(
          (resolved: unknown) => {
            ended('ok');
            health.succeeded(store, operation);
            return resolved;
          },
          (error: unknown) => {
            ended(error instanceof WrongExpectedRevisionError ? 'conflict' : 'error');
            throw translate(error);
          },
        );
      };
      guarded.set(key, wrapper);
      return wrapper;
    },
  });
}
