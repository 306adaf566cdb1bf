/**
 * Names every read-store adapter accepts, so that a read store can move between them: collection
 * names are spliced into SQL as table and index names, field names into JSON paths (SQLite) or
 * query paths (MongoDB: no `.`, a path, and no `$`, an operator).
 */
const COLLECTION_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where the adapters keep their own bookkeeping: never a read model's collection. */
export const CHECKPOINTS = 'checkpoints';
export const LEASES = 'leases';
/** One document per generation of a lease, where a server cannot compare-and-set (MongoDB). */
export const LEASE_GENERATIONS = 'lease_generations';

export function collectionNameProblem(collection: string): string | undefined {
  if (!COLLECTION_NAME.test(collection)) {
    return 'must be 1 to 63 lowercase letters, digits or underscores, starting with a letter';
  }
  if (
    collection === CHECKPOINTS ||
    collection === LEASES ||
    collection === LEASE_GENERATIONS ||
    collection.startsWith('sqlite_')
  ) {
    return 'is reserved';
  }
  return undefined;
}

export function checkCollection(collection: string): string {
  const problem = collectionNameProblem(collection);
  if (problem !== undefined) {
    throw new Error(`Invalid collection name ${JSON.stringify(collection)}: it ${problem}`);
  }
  return collection;
}

export function checkField(field: string): string {
  if (!FIELD_NAME.test(field)) {
    throw new Error(
      `Invalid field name ${JSON.stringify(field)}: fields are top-level names of letters, ` +
        'digits and underscores, not starting with a digit',
    );
  }
  return field;
}
