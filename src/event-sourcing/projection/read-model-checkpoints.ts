import type { Projection } from './projection.js';
import type { ReadStore } from '../ports/read-store.port.js';
import { REBUILD_HINT, type CheckedCheckpoint } from '../positions/checkpoint-check.js';
import { activeEntry } from './projection-catalog.js';

/** The checkpoints of the generations serving now, checked at start (a rebuild is the way out). */
export async function readModelCheckpoints(
  store: ReadStore,
  projections: readonly Projection[],
): Promise<CheckedCheckpoint[]> {
  const checked: CheckedCheckpoint[] = [];
  for (const projection of projections) {
    const entry = await activeEntry(store, projection.name);
    if (entry) checked.push({ name: entry.collection, wayOut: REBUILD_HINT });
  }
  return checked;
}
