import type { ReadStore } from '../ports/read-store.port.js';
import { activeEntry } from '../projection/projection-catalog.js';

/** Where each projection's active generation lives, looked up through the catalog (cached briefly). */
export class ReadModelCollections {
  private readonly cache = new Map<string, { at: number; collection: string; rollups: string }>();

  constructor(
    private readonly store: ReadStore,
    // No caching by default: a generation swapped in by a rebuild must be read at once, and the
    // lookup is one indexed read.
    private readonly ttlMs = 0,
  ) {}

  async of(name: string): Promise<{ collection: string; rollups: string } | undefined> {
    const cached = this.cache.get(name);
    if (cached && this.ttlMs > 0 && Date.now() - cached.at < this.ttlMs) return cached;
    const entry = await activeEntry(this.store, name);
    if (!entry) return undefined;
    const fresh = { at: Date.now(), collection: entry.collection, rollups: entry.rollupCollection };
    this.cache.set(name, fresh);
    return fresh;
  }
}
