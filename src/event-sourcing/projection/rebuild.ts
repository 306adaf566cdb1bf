import { canonicalJson } from '../canonical-json.js';
import type { Projection } from './projection.js';
import {
  isAfter,
  isAtOrAfter,
  LOG_START,
  positionFromJson,
  type EventStore,
  type Position,
} from '../ports/event-store.port.js';
import type { Document, ReadStore } from '../ports/read-store.port.js';
import { catchUp } from './catch-up.js';
import { POSITION_FIELD, type ProjectionTarget } from './projection-target.js';
import {
  activeEntry,
  CATALOG_COLLECTION,
  catalogEntry,
  dropTarget,
  ensureTarget,
  nextGeneration,
  targetFor,
} from './projection-catalog.js';

/**
 * How rebuild and verify fold the log: large reads; units of many events, so a hot document is
 * written once per unit rather than per event; documents kept in memory between units so they
 * are not read back and parsed again (a bounded number per projection, least recently touched
 * dropped first: 100,000 holds every organization's hot document of a city). Measured with
 * `npm run bench`.
 */
export const REBUILD_CATCH_UP = {
  batchSize: 20_000,
  commitEvery: 200_000,
  maxCached: 100_000,
} as const;

/**
 * Events folded so far, of how many (null where the store cannot count them cheaply): progress
 * is counted in events, never read off positions.
 */
export type Progress = (projection: string, events: number, total: number | null) => void;

export interface Rebuilt {
  readonly projection: string;
  readonly collection: string;
  readonly position: Position;
}

/** Blue-green rebuild of one projection (see `rebuildAll`). */
export async function rebuild(
  events: EventStore,
  store: ReadStore,
  projection: Projection,
  now: () => Date,
  progress?: Progress,
): Promise<Rebuilt> {
  const [rebuilt] = await rebuildAll(events, store, [projection], now, progress);
  if (!rebuilt) throw new Error(`rebuilding ${projection.name} answered nothing`);
  return rebuilt;
}

/**
 * Blue-green rebuild: fresh generations are built from position 0, all in one pass over the
 * log, while the active ones keep serving; caught up to the head, they are swapped in through
 * the catalog in one commit. The generation before the previous one is dropped; the previous
 * one stays for in-flight queries and rollback.
 */
export async function rebuildAll(
  events: EventStore,
  store: ReadStore,
  projections: readonly Projection[],
  now: () => Date,
  progress?: Progress,
): Promise<Rebuilt[]> {
  const built: Array<{ target: ProjectionTarget; generation: number }> = [];
  for (const projection of projections) {
    const generation = await nextGeneration(store, projection);
    const target = targetFor(projection, generation);
    // A checkpoint left behind under this name would make the first pass skip the log's start.
    await dropTarget(store, target.collection);
    await ensureTarget(store, target, { indexes: false });
    built.push({ target, generation });
  }
  const targets = built.map((b) => b.target);
  const label = projections.map((p) => p.name).join(', ');
  let position = LOG_START;
  // Appends keep arriving while we build: catch up until a pass finds nothing new. Only the
  // first pass starts on empty collections.
  for (let pass = 0; ; pass++) {
    const total = await events.countBetween(position, await events.headPosition());
    position = await catchUp(events, store, targets, {
      ...REBUILD_CATCH_UP,
      fresh: pass === 0,
      onFolded: (_reached, folded) =>
        progress?.(label, folded, total === null ? null : Math.max(total, folded)),
    });
    if (isAtOrAfter(position, await events.headPosition())) break;
    // Appends arrived while building: index now, so the last rounds are small anyway.
    for (const target of targets) await ensureTarget(store, target);
  }
  for (const target of targets) await ensureTarget(store, target);
  const previous = new Map<string, string | undefined>();
  for (const { target } of built) {
    const name = target.projection.name;
    previous.set(name, (await activeEntry(store, name))?.collection);
  }
  await store.commit({
    puts: built.map(({ target, generation }) => ({
      collection: CATALOG_COLLECTION,
      document: catalogEntry(target, generation, now()),
    })),
  });
  const collections = await store.listCollections();
  for (const { target } of built) {
    const name = target.projection.name;
    for (const collection of collections) {
      if (!/_g\d+$/.test(collection) || !collection.startsWith(`${name}_v`)) continue;
      if (collection !== target.collection && collection !== previous.get(name))
        await dropTarget(store, collection);
    }
  }
  return built.map(({ target }) => ({
    projection: target.projection.name,
    collection: target.collection,
    position,
  }));
}

export interface Difference {
  readonly projection: string;
  readonly collection: 'documents' | 'rollups';
  readonly id: string;
  readonly live: unknown;
  readonly rebuilt: unknown;
}

/**
 * Rebuilds each projection into scratch storage exactly up to the live checkpoint and compares
 * every document. Documents the live side changed after that checkpoint (a running server) are
 * left out of the comparison rather than reported.
 */
export async function verify(
  events: EventStore,
  live: ReadStore,
  scratch: ReadStore,
  projections: ReadonlyArray<Projection>,
  progress?: Progress,
): Promise<{ differences: Difference[]; compared: number; skipped: number }> {
  const differences: Difference[] = [];
  let compared = 0;
  let skipped = 0;
  for (const projection of projections) {
    const entry = await activeEntry(live, projection.name);
    if (!entry) {
      differences.push({
        projection: projection.name,
        collection: 'documents',
        id: '(none)',
        live: 'no active generation',
        rebuilt: 'built',
      });
      continue;
    }
    const liveTarget: ProjectionTarget = {
      projection,
      collection: entry.collection,
      rollupCollection: entry.rollupCollection,
    };
    const until = await live.checkpoint(entry.collection);
    const total = await events.countBetween(LOG_START, until);
    const target = targetFor(projection, 1);
    // From empty, whatever the scratch store held before.
    await dropTarget(scratch, target.collection);
    await ensureTarget(scratch, target, { indexes: false });
    await catchUp(events, scratch, [target], {
      ...REBUILD_CATCH_UP,
      fresh: true,
      until,
      onFolded: (_reached, folded) => progress?.(projection.name, folded, total),
    });
    for (const [kind, liveCollection, scratchCollection] of [
      ['documents', liveTarget.collection, target.collection],
      ['rollups', liveTarget.rollupCollection, target.rollupCollection],
    ] as const) {
      const result = await compareCollections(
        live,
        liveCollection,
        scratch,
        scratchCollection,
        until,
      );
      compared += result.compared;
      skipped += result.skipped;
      for (const d of result.differences)
        differences.push({ projection: projection.name, collection: kind, ...d });
    }
  }
  return { differences, compared, skipped };
}

const PAGE = 1000;

async function compareCollections(
  live: ReadStore,
  liveCollection: string,
  scratch: ReadStore,
  scratchCollection: string,
  until: Position,
): Promise<{
  differences: Array<{ id: string; live: unknown; rebuilt: unknown }>;
  compared: number;
  skipped: number;
}> {
  const differences: Array<{ id: string; live: unknown; rebuilt: unknown }> = [];
  const seen = new Set<string>();
  let compared = 0;
  let skipped = 0;
  for (let skip = 0; ; skip += PAGE) {
    const page = await live.find(liveCollection, { sort: [['id', 1]], skip, limit: PAGE });
    const rebuilt = await scratch.getMany(
      scratchCollection,
      page.map((d) => d.id),
    );
    for (const doc of page) {
      seen.add(doc.id);
      if (isAfter(positionOf(doc), until)) {
        skipped++;
        continue;
      }
      compared++;
      const other = rebuilt.get(doc.id);
      if (!other || !sameContent(doc, other))
        differences.push({ id: doc.id, live: strip(doc), rebuilt: other ? strip(other) : null });
    }
    if (page.length < PAGE) break;
  }
  for (let skip = 0; ; skip += PAGE) {
    const page = await scratch.find(scratchCollection, { sort: [['id', 1]], skip, limit: PAGE });
    for (const doc of page) {
      if (!seen.has(doc.id)) differences.push({ id: doc.id, live: null, rebuilt: strip(doc) });
    }
    if (page.length < PAGE) break;
  }
  return { differences, compared, skipped };
}

const positionOf = (doc: Document): Position => {
  const value = doc[POSITION_FIELD];
  return typeof value === 'number' ? positionFromJson(value) : LOG_START;
};

function strip(doc: Document): Record<string, unknown> {
  const { [POSITION_FIELD]: _position, ...rest } = doc;
  return rest;
}

function sameContent(a: Document, b: Document): boolean {
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}
