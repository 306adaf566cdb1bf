import type {
  Contribution,
  ProjectedEvent,
  Projection,
  ProjectionDocument,
} from '../core/projection.js';
import type { Document, ReadStore, UnitOfWork } from '../ports/read-store.port.js';
import type { RecordedEvent } from '../ports/event-store.port.js';

/** Where one generation of a projection lives. */
export interface ProjectionTarget {
  readonly projection: Projection;
  /** Collection of its documents, e.g. `registry_v1_g2`; also the checkpoint's name. */
  readonly collection: string;
  /** Collection of its rollups (counters). */
  readonly rollupCollection: string;
}

/** Stored documents remember the last position applied to them, so a replay never double-counts. */
export const POSITION_FIELD = '_position';

type Stored = Document & { readonly [POSITION_FIELD]?: number };

interface Working {
  doc: ProjectionDocument | null;
  position: number;
  existed: boolean;
  dirty: boolean;
}

interface Delta {
  readonly key: string;
  readonly amount: number;
  readonly position: number;
}

export function toProjectedEvent(event: RecordedEvent): ProjectedEvent {
  const recordedAt = event.metadata['recordedAt'];
  return {
    type: event.type,
    data: event.data,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    recordedAt: typeof recordedAt === 'string' ? recordedAt : '',
  };
}

/**
 * Folds a batch of events (all above the target's checkpoint) through one projection and
 * answers the writes: touched documents, rollups moved by the documents' changed contributions.
 * Documents and rollups skip events at or below the position they already applied.
 */
export async function projectBatch(
  store: ReadStore,
  target: ProjectionTarget,
  events: readonly ProjectedEvent[],
): Promise<Required<Pick<UnitOfWork, 'puts' | 'deletes'>>> {
  const { projection } = target;
  const handled = events.filter((event) => projection.handles.includes(event.type));
  const wanted = new Set<string>();
  for (const event of handled) {
    for (const id of projection.ids(event)) wanted.add(id);
    for (const id of projection.reads?.(event) ?? []) wanted.add(id);
  }
  const loaded = (await store.getMany(target.collection, [...wanted])) as Map<string, Stored>;
  const working = new Map<string, Working>();
  for (const id of wanted) {
    const stored = loaded.get(id);
    working.set(id, {
      doc: stored ? withoutPosition(stored) : null,
      position: stored?.[POSITION_FIELD] ?? 0,
      existed: stored !== undefined,
      dirty: false,
    });
  }
  const get = (id: string): ProjectionDocument | null => working.get(id)?.doc ?? null;
  const deltas = new Map<string, Delta[]>();
  for (const event of handled) {
    for (const id of projection.ids(event)) {
      const current = working.get(id);
      if (!current || current.position >= event.position) continue;
      const next = projection.evolve(current.doc, event, { id, get });
      if (projection.rollup) {
        const rollup = (doc: ProjectionDocument): readonly Contribution[] =>
          projection.rollup?.(doc) ?? [];
        addDeltas(deltas, rollup, current.doc, next, event.position);
      }
      current.doc = next;
      current.position = event.position;
      current.dirty = true;
    }
  }
  const puts: Array<{ collection: string; document: Document }> = [];
  const deletes: Array<{ collection: string; id: string }> = [];
  for (const [id, entry] of working) {
    if (!entry.dirty) continue;
    if (entry.doc)
      puts.push({
        collection: target.collection,
        document: { ...entry.doc, [POSITION_FIELD]: entry.position },
      });
    else if (entry.existed) deletes.push({ collection: target.collection, id });
  }
  await applyRollups(store, target.rollupCollection, deltas, puts);
  return { puts, deletes };
}

function withoutPosition(stored: Stored): ProjectionDocument {
  const { [POSITION_FIELD]: _position, ...doc } = stored;
  return doc;
}

function addDeltas(
  deltas: Map<string, Delta[]>,
  rollup: (doc: ProjectionDocument) => readonly Contribution[],
  before: ProjectionDocument | null,
  after: ProjectionDocument | null,
  position: number,
): void {
  const sums = new Map<string, { id: string; key: string; amount: number }>();
  const add = (contributions: readonly Contribution[], sign: number): void => {
    for (const c of contributions) {
      const slot = `${c.id}\u0000${c.key}`;
      const entry = sums.get(slot) ?? { id: c.id, key: c.key, amount: 0 };
      entry.amount += sign * c.amount;
      sums.set(slot, entry);
    }
  };
  if (before) add(rollup(before), -1);
  if (after) add(rollup(after), 1);
  for (const { id, key, amount } of sums.values()) {
    if (amount === 0) continue;
    const list = deltas.get(id) ?? [];
    list.push({ key, amount, position });
    deltas.set(id, list);
  }
}

async function applyRollups(
  store: ReadStore,
  collection: string,
  deltas: ReadonlyMap<string, readonly Delta[]>,
  puts: Array<{ collection: string; document: Document }>,
): Promise<void> {
  if (deltas.size === 0) return;
  const stored = (await store.getMany(collection, [...deltas.keys()])) as Map<
    string,
    Stored & { counts?: Record<string, number> }
  >;
  for (const [id, list] of deltas) {
    const previous = stored.get(id);
    const applied = previous?.[POSITION_FIELD] ?? 0;
    const counts = new Map(Object.entries(previous?.counts ?? {}));
    let position = applied;
    for (const delta of list) {
      if (delta.position <= applied) continue;
      const value = (counts.get(delta.key) ?? 0) + delta.amount;
      if (value === 0) counts.delete(delta.key);
      else counts.set(delta.key, value);
      position = Math.max(position, delta.position);
    }
    if (position === applied) continue;
    // Kept even when every counter is back to zero: its position still guards against replays.
    puts.push({
      collection,
      document: { id, counts: sortKeys(counts), [POSITION_FIELD]: position },
    });
  }
}

function sortKeys(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
