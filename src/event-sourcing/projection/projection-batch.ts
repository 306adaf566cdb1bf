import { storedVersion } from '../upcasting.js';
import type { ProjectedEvent } from './projection.js';
import type { ReadStore } from '../ports/read-store.port.js';
import type { RecordedEvent } from '../ports/event-store.port.js';
import type { ProjectionTarget } from './projection-target.js';
import { ProjectionWorkspace, type Writes } from './projection-workspace.js';

export function toProjectedEvent(event: RecordedEvent): ProjectedEvent {
  const recordedAt = event.metadata['recordedAt'];
  return {
    type: event.type,
    data: event.data,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    recordedAt: typeof recordedAt === 'string' ? recordedAt : '',
    schemaVersion: storedVersion(event),
  };
}

/**
 * Folds one batch of events (all above the target's checkpoint) through one projection with
 * nothing cached, and answers the writes: touched documents, rollups moved by the documents'
 * changed contributions. Documents and rollups skip events at or below the position they applied.
 */
export async function projectBatch(
  store: ReadStore,
  target: ProjectionTarget,
  events: readonly ProjectedEvent[],
): Promise<Writes> {
  const workspace = new ProjectionWorkspace(store, target);
  await workspace.fold(events);
  return workspace.flush();
}
