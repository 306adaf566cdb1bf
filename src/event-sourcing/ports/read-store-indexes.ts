import { checkField } from './read-store-names.js';
import type { IndexSpec } from './read-store.port.js';

/** One key of an index: a field and its direction. */
export interface IndexKey {
  readonly field: string;
  readonly direction: 1 | -1;
}

/**
 * An index spec's keys in order, validated the same way by every adapter: field names checked,
 * directions 1 or -1, a field named twice kept at its first place (the second adds nothing).
 */
export function indexKeys(collection: string, spec: IndexSpec): IndexKey[] {
  if (spec.length === 0) throw new Error(`An index of ${collection} needs at least one field`);
  const keys: IndexKey[] = [];
  // Checked at run time: a caller without types may pass anything.
  for (const entry of spec as readonly unknown[]) {
    const [field, direction] = typeof entry === 'string' ? [entry, 1] : pair(collection, entry);
    if (typeof field !== 'string') {
      throw new TypeError(`An index of ${collection} names a field that is not a string`);
    }
    checkField(field);
    if (direction !== 1 && direction !== -1) {
      throw new RangeError(`An index direction is 1 or -1, got ${String(direction)} for ${field}`);
    }
    if (!keys.some((key) => key.field === field)) keys.push({ field, direction });
  }
  return keys;
}

/**
 * The index's name, from its keys: the fields in order, a descending one marked `:-1`. Field
 * names hold no `,` or `:`, so distinct key lists get distinct names, and an index declared
 * before directions existed keeps its name.
 */
export function indexName(keys: readonly IndexKey[]): string {
  return keys.map(({ field, direction }) => (direction === 1 ? field : `${field}:-1`)).join(',');
}

function pair(collection: string, entry: unknown): readonly [unknown, unknown] {
  if (!Array.isArray(entry) || entry.length !== 2) {
    throw new TypeError(
      `An index of ${collection} lists a field as a name or a [name, direction] pair`,
    );
  }
  return [entry[0], entry[1]];
}
