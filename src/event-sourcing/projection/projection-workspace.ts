import type { Contribution, ProjectedEvent, Projection, ProjectionDocument } from './projection.js';
import type { Document, ReadStore, UnitOfWork } from '../ports/read-store.port.js';
import { POSITION_FIELD, type ProjectionTarget } from './projection-target.js';
import {
  isAfter,
  isAtOrAfter,
  LOG_START,
  positionFromJson,
  positionToJson,
  type Position,
} from '../ports/event-store.port.js';

type Stored = Document & { readonly [POSITION_FIELD]?: number };

interface WorkingDocument {
  doc: ProjectionDocument | null;
  /** The last position applied to `doc`: events at or below it are skipped. */
  position: Position;
  /** Whether the store holds it (so a null `doc` must be deleted there). */
  stored: boolean;
  dirty: boolean;
  /** The fold that last touched it: eviction drops the documents idle the longest. */
  touched: number;
  /** The rollup contributions of `doc`, once computed. */
  contributions?: readonly Contribution[];
}

interface WorkingRollup {
  readonly counts: Map<string, number>;
  /** The position the store had applied when loaded: deltas at or below it are replays. */
  readonly guard: Position;
  position: Position;
  dirty: boolean;
}

interface Delta {
  readonly key: string;
  readonly amount: number;
  readonly position: Position;
}

export interface WorkspaceOptions {
  /**
   * The target's collections were created empty for this run and nobody else writes them (a
   * rebuild, a verify): a document the workspace never held cannot be in the store, so it is
   * not looked up until something has been evicted.
   */
  readonly fresh?: boolean;
  /**
   * Clean documents kept between flushes (default: none). Hot documents then stay in memory
   * across batches instead of being read back and parsed every batch; the least recently
   * touched go first when there are more.
   */
  readonly maxCached?: number;
}

export type Writes = Required<Pick<UnitOfWork, 'puts' | 'deletes'>>;

/**
 * One projection's documents and rollups in memory while a batch (or, with a cache, a run of
 * batches) is folded: loads what the events touch, evolves, moves counters by each document's
 * changed contributions, and hands out what changed since the last flush.
 */
export class ProjectionWorkspace {
  private readonly docs = new Map<string, WorkingDocument>();
  private readonly rollups = new Map<string, WorkingRollup>();
  private readonly handles: ReadonlySet<string>;
  private evicted = false;
  /** Counts folds, to date each document's last use. */
  private folds = 0;

  constructor(
    private readonly store: ReadStore,
    readonly target: ProjectionTarget,
    private readonly options: WorkspaceOptions = {},
  ) {
    this.handles = new Set(target.projection.handles);
  }

  /** Folds events above the target's checkpoint, in position order. */
  async fold(events: readonly ProjectedEvent[]): Promise<void> {
    const projection: Projection = this.target.projection;
    this.folds++;
    // Each handled event's ids, asked once: a rebuild folds every event through every projection.
    const handled: ProjectedEvent[] = [];
    const touched: Array<readonly string[]> = [];
    const missing = new Set<string>();
    for (const event of events) {
      if (!this.handles.has(event.type)) continue;
      const ids = projection.ids(event);
      handled.push(event);
      touched.push(ids);
      for (const id of ids) this.want(id, missing);
      const reads = projection.reads?.(event);
      if (reads !== undefined) for (const id of reads) this.want(id, missing);
    }
    await this.loadDocuments(missing);
    const get = (id: string): ProjectionDocument | null => this.docs.get(id)?.doc ?? null;
    // One context for every evolve of the fold, its id set before each (evolve is synchronous).
    const context = { id: '', get };
    const deltas = new Map<string, Delta[]>();
    for (let i = 0; i < handled.length; i++) {
      const event = handled[i] as ProjectedEvent;
      for (const id of touched[i] ?? []) {
        const current = this.docs.get(id);
        if (!current || isAtOrAfter(current.position, event.position)) continue;
        context.id = id;
        const next = projection.evolve(current.doc, event, context);
        // Unchanged by this event: nothing to write, no counter moves.
        if (next === current.doc) continue;
        if (projection.rollup) {
          const before = current.contributions ?? this.contributionsOf(current.doc);
          current.contributions = this.contributionsOf(next);
          addDeltas(deltas, before, current.contributions, event.position);
        }
        current.doc = next;
        current.position = event.position;
        current.dirty = true;
      }
    }
    await this.applyRollups(deltas);
  }

  /**
   * What changed since the last flush, rollups first (a store without transactions writes in
   * this order, see the MongoDB adapter); everything held counts as stored and clean after.
   */
  flush(): Writes {
    const { collection, rollupCollection } = this.target;
    const puts: Array<{ collection: string; document: Document }> = [];
    const deletes: Array<{ collection: string; id: string; position: Position }> = [];
    for (const [id, rollup] of this.rollups) {
      if (!rollup.dirty) continue;
      // Kept even when every counter is back to zero: its position still guards against replays.
      puts.push({
        collection: rollupCollection,
        document: {
          id,
          counts: sortedCounts(rollup.counts),
          [POSITION_FIELD]: positionToJson(rollup.position),
        },
      });
      rollup.dirty = false;
    }
    for (const [id, entry] of this.docs) {
      if (!entry.dirty) continue;
      if (entry.doc) {
        puts.push({
          collection,
          document: { ...entry.doc, [POSITION_FIELD]: positionToJson(entry.position) },
        });
      } else if (entry.stored) {
        // Position-guarded like the puts: a late delete cannot remove a newer version.
        deletes.push({ collection, id, position: entry.position });
      }
      entry.stored = entry.doc !== null;
      entry.dirty = false;
    }
    this.evictBeyond(this.options.maxCached ?? 0);
    return { puts, deletes };
  }

  /** Forgets everything held, changes included (the unit was not committed). */
  discard(): void {
    this.docs.clear();
    this.rollups.clear();
    this.evicted = true;
  }

  private want(id: string, missing: Set<string>): void {
    const held = this.docs.get(id);
    if (held === undefined) missing.add(id);
    else held.touched = this.folds;
  }

  private async loadDocuments(ids: ReadonlySet<string>): Promise<void> {
    if (ids.size === 0) return;
    const stored = this.mayBeStored()
      ? ((await this.store.getMany(this.target.collection, [...ids])) as Map<string, Stored>)
      : new Map<string, Stored>();
    for (const id of ids) {
      const found = stored.get(id);
      this.docs.set(id, {
        doc: found ? withoutPosition(found) : null,
        position: storedPosition(found),
        stored: found !== undefined,
        dirty: false,
        touched: this.folds,
      });
    }
  }

  private mayBeStored(): boolean {
    return this.options.fresh !== true || this.evicted;
  }

  private contributionsOf(doc: ProjectionDocument | null): readonly Contribution[] {
    return doc === null ? [] : (this.target.projection.rollup?.(doc) ?? []);
  }

  private async applyRollups(deltas: ReadonlyMap<string, readonly Delta[]>): Promise<void> {
    if (deltas.size === 0) return;
    const missing = [...deltas.keys()].filter((id) => !this.rollups.has(id));
    if (missing.length > 0) {
      const stored = this.mayBeStored()
        ? ((await this.store.getMany(this.target.rollupCollection, missing)) as Map<
            string,
            Stored & { counts?: Record<string, number> }
          >)
        : new Map<string, Stored & { counts?: Record<string, number> }>();
      for (const id of missing) {
        const found = stored.get(id);
        const guard = storedPosition(found);
        this.rollups.set(id, {
          counts: new Map(Object.entries(found?.counts ?? {})),
          guard,
          position: guard,
          dirty: false,
        });
      }
    }
    for (const [id, list] of deltas) {
      const rollup = this.rollups.get(id);
      if (!rollup) continue;
      for (const delta of list) {
        if (!isAfter(delta.position, rollup.guard)) continue;
        const value = (rollup.counts.get(delta.key) ?? 0) + delta.amount;
        if (value === 0) rollup.counts.delete(delta.key);
        else rollup.counts.set(delta.key, value);
        if (isAfter(delta.position, rollup.position)) rollup.position = delta.position;
        rollup.dirty = true;
      }
    }
  }

  /** Drops the clean documents touched the longest ago, down to three quarters of `max`. */
  private evictBeyond(max: number): void {
    if (this.docs.size <= max) return;
    const keep = Math.floor(max * 0.75);
    // The fold number at or below which documents go, found by counting documents per fold.
    const perFold = new Map<number, number>();
    for (const entry of this.docs.values())
      perFold.set(entry.touched, (perFold.get(entry.touched) ?? 0) + 1);
    let kept = 0;
    let cutoff = this.folds;
    for (const fold of [...perFold.keys()].sort((a, b) => b - a)) {
      kept += perFold.get(fold) ?? 0;
      if (kept > keep) break;
      cutoff = fold - 1;
    }
    for (const [id, entry] of this.docs) {
      if (entry.dirty || entry.touched > cutoff) continue;
      this.docs.delete(id);
      this.evicted = true;
    }
    // Rollups are few (one per place) but would be read back every batch: kept unless the
    // cache is off altogether.
    if (max === 0) this.rollups.clear();
  }
}

/** The position a stored document applied last (its `_position`, on the wire as a number). */
function storedPosition(stored: Stored | undefined): Position {
  const value = stored?.[POSITION_FIELD];
  return value === undefined ? LOG_START : positionFromJson(value);
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
  position: Position,
): void {
  if (sameContributions(before, after)) return;
  // Lists are short (a few places times a few keys): pairwise netting beats building maps.
  const net: Array<Contribution | undefined> = [
    ...before.map((c) => ({ ...c, amount: -c.amount })),
    ...after,
  ];
  for (let i = 0; i < net.length; i++) {
    const c = net[i];
    if (c === undefined) continue;
    let amount = c.amount;
    for (let j = i + 1; j < net.length; j++) {
      const d = net[j];
      if (d !== undefined && d.id === c.id && d.key === c.key) {
        amount += d.amount;
        net[j] = undefined;
      }
    }
    if (amount === 0) continue;
    let list = deltas.get(c.id);
    if (!list) deltas.set(c.id, (list = []));
    list.push({ key: c.key, amount, position });
  }
}

/** Most changes (a new report counted, a contact updated) leave the counters alone. */
function sameContributions(a: readonly Contribution[], b: readonly Contribution[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x?.id !== y?.id || x?.key !== y?.key || x?.amount !== y?.amount) return false;
  }
  return true;
}

function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
