import type { Collection, Document, IndexDescription } from 'mongodb';
import { hasCode, MAX_TIME_MS_EXPIRED, NAMESPACE_NOT_FOUND } from './server-errors.js';

/** An index with the name it is known by: an existing index is recognised by its name. */
export type NamedIndex = IndexDescription & { readonly name: string };

export interface IndexBuildOptions {
  /** The longest the server may spend on one index build before it stops it (maxTimeMS). */
  readonly timeoutMs?: number;
}

/** An index build the server stopped at the time limit: nothing of it is kept. */
export class IndexBuildTimedOut extends Error {
  constructor(
    readonly collection: string,
    readonly index: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(
      `Building the index ${index} of ${collection} took longer than ${String(timeoutMs)} ms and ` +
        'the server stopped it (nothing of it is kept): raise the index build timeout ' +
        '(MONGODB_INDEX_BUILD_TIMEOUT_MS) and start again',
      options,
    );
    this.name = 'IndexBuildTimedOut';
  }
}

/**
 * Creates the indexes a collection lacks, one at a time. Creating an index that exists changes
 * nothing on MongoDB, but FerretDB 1.24 drops the connection (a server-side panic) on a
 * `createIndexes` whose compound keys all exist already, so every start after the first would
 * fail there: only missing names are sent.
 */
export async function createMissingIndexes<T extends Document>(
  collection: Collection<T>,
  indexes: readonly NamedIndex[],
  options: IndexBuildOptions = {},
): Promise<void> {
  let listed: ReadonlyArray<{ name?: unknown }> = [];
  try {
    listed = (await collection.listIndexes().toArray()) as ReadonlyArray<{ name?: unknown }>;
  } catch (error) {
    // A collection not created yet has no index; the first createIndexes creates it.
    if (!hasCode(error, NAMESPACE_NOT_FOUND)) throw error;
  }
  const existing = new Set(listed.map((index) => index.name));
  const { timeoutMs } = options;
  for (const index of indexes) {
    if (existing.has(index.name)) continue;
    try {
      await collection.createIndexes(
        [index],
        timeoutMs === undefined ? {} : { maxTimeMS: timeoutMs },
      );
    } catch (error) {
      if (timeoutMs !== undefined && hasCode(error, MAX_TIME_MS_EXPIRED)) {
        throw new IndexBuildTimedOut(collection.collectionName, index.name, timeoutMs, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
