import type { Collection, Document, IndexDescription } from 'mongodb';
import { hasCode, NAMESPACE_NOT_FOUND } from './server-errors.js';

/** An index with the name it is known by: an existing index is recognised by its name. */
export type NamedIndex = IndexDescription & { readonly name: string };

/**
 * Creates the indexes a collection lacks, one at a time. Creating an index that exists changes
 * nothing on MongoDB, but FerretDB 1.24 drops the connection (a server-side panic) on a
 * `createIndexes` whose compound keys all exist already, so every start after the first would
 * fail there: only missing names are sent.
 */
export async function createMissingIndexes<T extends Document>(
  collection: Collection<T>,
  indexes: readonly NamedIndex[],
): Promise<void> {
  let listed: ReadonlyArray<{ name?: unknown }> = [];
  try {
    listed = (await collection.listIndexes().toArray()) as ReadonlyArray<{ name?: unknown }>;
  } catch (error) {
    // A collection not created yet has no index; the first createIndexes creates it.
    if (!hasCode(error, NAMESPACE_NOT_FOUND)) throw error;
  }
  const existing = new Set(listed.map((index) => index.name));
  for (const index of indexes) {
    if (!existing.has(index.name)) await collection.createIndexes([index]);
  }
}
