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
  /** The rollup contributions of `doc`, once computed. */
  contributions?: readonly Contribution[];
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
  const handles = handledTypes(projection);
  const handled = events.filter((event) => handles.has(event.type));
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
  const rollup = (doc: ProjectionDocument | null): readonly Contribution[] =>
    doc === null ? [] : (projection.rollup?.(doc) ?? []);
  const deltas = new Map<string, Delta[]>();
  for (const event of handled) {
    for (const id of projection.ids(event)) {
      const current = working.get(id);
      if (!current || current.position >= event.position) continue;
      const next = projection.evolve(current.doc, event, { id, get });
      // Unchanged by this event: nothing to write, no counter moves.
      if (next === current.doc) continue;
      if (projection.rollup) {
        const before = current.contributions ?? rollup(current.doc);
        current.contributions = rollup(next);
        addDeltas(deltas, before, current.contributions, event.position);
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
  // Rollups first: a store without transactions writes in this order (see the MongoDB adapter).
  const rollups: Array<{ collection: string; document: Document }> = [];
  await applyRollups(store, target.rollupCollection, deltas, rollups);
  return { puts: [...rollups, ...puts], deletes };
}

function withoutPosition(stored: Stored): ProjectionDocument {
  const { [POSITION_FIELD]: _position, ...doc } = stored;
  return doc;
}

/** The difference of two documents' contributions, as deltas at the event's position. */
function addDeltas(
  deltas: Map<string, Delta[]>,
  before: readonly Contribution[],
  after: readonly Contribution[],
  position: number,
): void {
  const sums = new Map<string, Map<string, number>>();
  const add = (contributions: readonly Contribution[], sign: number): void => {
    for (const c of contributions) {
      let keys = sums.get(c.id);
      if (!keys) sums.set(c.id, (keys = new Map<string, number>()));
      keys.set(c.key, (keys.get(c.key) ?? 0) + sign * c.amount);
    }
  };
  add(before, -1);
  add(after, 1);
  for (const [id, keys] of sums) {
    for (const [key, amount] of keys) {
      if (amount === 0) continue;
      let list = deltas.get(id);
      if (!list) deltas.set(id, (list = []));
      list.push({ key, amount, position });
    }
  }
}

const HANDLED = new WeakMap<Projection, ReadonlySet<string>>();

function handledTypes(projection: Projection): ReadonlySet<string> {
  let types = HANDLED.get(projection);
  if (!types) HANDLED.set(projection, (types = new Set(projection.handles)));
  return types;
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
