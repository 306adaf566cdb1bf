import type { ReadStore } from '../ports/read-store.port.js';
import { activeEntry } from './projection-catalog.js';

/**
 * Where each projection's active generation lives, looked up through the catalog on every call:
 * a generation swapped in by a rebuild must be read at once, and the lookup is one indexed read.
 */
export class ReadModelCollections {
  constructor(private readonly store: ReadStore) {}

  async of(name: string): Promise<{ collection: string; rollups: string } | undefined> {
    const entry = await activeEntry(this.store, name);
    return entry && { collection: entry.collection, rollups: entry.rollupCollection };
  }
}
