import type { Filter, Query, ReadStore } from '../../src/event-sourcing/ports/read-store.port.js';

export interface RecordedFind {
  readonly collection: string;
  readonly query: Query;
}

export interface RecordedCount {
  readonly collection: string;
  readonly filter: Filter | undefined;
}

/** A read store that delegates everything and remembers every paged `find` and every `count`. */
export function recordingReadStore(store: ReadStore): {
  readonly store: ReadStore;
  readonly finds: RecordedFind[];
  readonly counts: RecordedCount[];
} {
  const finds: RecordedFind[] = [];
  const counts: RecordedCount[] = [];
  const recording = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'find') {
        return (collection: string, query: Query = {}) => {
          if (query.limit !== undefined) finds.push({ collection, query });
          return target.find(collection, query);
        };
      }
      if (property === 'count') {
        return (collection: string, filter?: Filter) => {
          counts.push({ collection, filter });
          return target.count(collection, filter);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { store: recording, finds, counts };
}
