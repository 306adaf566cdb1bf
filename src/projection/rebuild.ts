import { canonicalJson } from '../core/canonical-json.js';
import type { Projection } from '../core/projection.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Document, ReadStore } from '../ports/read-store.port.js';
import { catchUp } from './catch-up.js';
import { POSITION_FIELD, type ProjectionTarget } from './projection-batch.js';
import {
  activeEntry,
  CATALOG_COLLECTION,
  catalogEntry,
  dropTarget,
  ensureTarget,
  nextGeneration,
  targetFor,
} from './projection-catalog.js';

/** Large batches: a rebuild reads and writes each hot document once per batch, not per event. */
export const REBUILD_BATCH = 20_000;

export type Progress = (projection: string, position: number, head: number) => void;

/**
 * Blue-green rebuild: a fresh generation is built from position 0 while the active one keeps
 * serving, caught up to the head, then swapped in through the catalog. The generation before
 * the previous one is dropped; the previous one stays for in-flight queries and rollback.
 */
export async function rebuild(
  events: EventStore,
  store: ReadStore,
  projection: Projection,
  now: () => Date,
  progress?: Progress,
): Promise<{ collection: string; position: number }> {
  const generation = await nextGeneration(store, projection);
  const target = targetFor(projection, generation);
  await ensureTarget(store, target, { indexes: false });
  let position: number;
  // Appends keep arriving while we build: catch up until a pass finds nothing new.
  for (;;) {
    const head = await events.headPosition();
    position = await catchUp(events, store, [target], {
      batchSize: REBUILD_BATCH,
      onBatch: (reached) => progress?.(projection.name, reached, head),
    });
    if (position >= (await events.headPosition())) break;
    // Appends arrived while building: index now, so the last rounds are small anyway.
    await ensureTarget(store, target);
  }
  await ensureTarget(store, target);
  const previous = await activeEntry(store, projection.name);
  await store.commit({
    puts: [{ collection: CATALOG_COLLECTION, document: catalogEntry(target, generation, now()) }],
  });
  for (const name of await store.listCollections()) {
    const old = /^(.*)_g(\d+)$/.exec(name);
    if (!old || !name.startsWith(`${projection.name}_v`)) continue;
    if (name !== target.collection && name !== previous?.collection) await dropTarget(store, name);
  }
  return { collection: target.collection, position };
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
    const target = targetFor(projection, 1);
    await ensureTarget(scratch, target, { indexes: false });
    await catchUp(events, scratch, [target], {
      batchSize: REBUILD_BATCH,
      until,
      onBatch: (reached) => progress?.(projection.name, reached, until),
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
  until: number,
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
      if (positionOf(doc) > until) {
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

const positionOf = (doc: Document): number => {
  const value = doc[POSITION_FIELD];
  return typeof value === 'number' ? value : 0;
};

function strip(doc: Document): Record<string, unknown> {
  const { [POSITION_FIELD]: _position, ...rest } = doc;
  return rest;
}

function sameContent(a: Document, b: Document): boolean {
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}
