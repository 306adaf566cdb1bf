import type { Projection } from './projection.js';
import type { Document, ReadStore } from '../ports/read-store.port.js';
import type { ProjectionTarget } from './projection-target.js';

/** Which generation of each projection serves queries (blue-green rebuilds swap this pointer). */
export const CATALOG_COLLECTION = 'projection_catalog';

export interface CatalogEntry extends Document {
  /** The projection's name. */
  readonly id: string;
  readonly version: number;
  readonly generation: number;
  readonly collection: string;
  readonly rollupCollection: string;
  readonly activatedAt: string;
}

export function targetFor(projection: Projection, generation: number): ProjectionTarget {
  const collection = `${projection.name}_v${projection.version}_g${generation}`;
  return { projection, collection, rollupCollection: `${collection}_rollup` };
}

export async function activeEntry(
  store: ReadStore,
  name: string,
): Promise<CatalogEntry | undefined> {
  return (await store.get(CATALOG_COLLECTION, name)) as CatalogEntry | undefined;
}

/** The generation after every one this projection ever had, so a rebuild never reuses storage. */
export async function nextGeneration(store: ReadStore, projection: Projection): Promise<number> {
  const prefix = `${projection.name}_v`;
  const generations = (await store.listCollections())
    .filter((name) => name.startsWith(prefix) && !name.endsWith('_rollup'))
    .map((name) => Number(/_g(\d+)$/.exec(name)?.[1] ?? 0));
  return Math.max(0, ...generations) + 1;
}

export function catalogEntry(
  target: ProjectionTarget,
  generation: number,
  now: Date,
): CatalogEntry {
  return {
    id: target.projection.name,
    version: target.projection.version,
    generation,
    collection: target.collection,
    rollupCollection: target.rollupCollection,
    activatedAt: now.toISOString(),
  };
}

/**
 * Creates a generation's storage. A rebuild passes `indexes: false` and ensures again once
 * loaded: building an index over the loaded rows once is much cheaper than keeping it up to
 * date through every insert.
 */
export async function ensureTarget(
  store: ReadStore,
  target: ProjectionTarget,
  options: { indexes?: boolean } = {},
): Promise<void> {
  // The declared fields come first even without the indexes: the loaded rows must hold them.
  await store.ensureCollection(
    target.collection,
    options.indexes === false ? [] : [...target.projection.indexes],
    { fields: declaredFields(target.projection), sparse: target.projection.sparse ?? [] },
  );
  await store.ensureCollection(target.rollupCollection, []);
}

/** Every field the projection's queries name: those of its indexes, then its residual ones. */
export function declaredFields(projection: Projection): string[] {
  const fields = projection.indexes.flatMap((spec) =>
    spec.map((key) => (typeof key === 'string' ? key : key[0])),
  );
  return [...new Set([...fields, ...(projection.fields ?? [])])].filter((f) => f !== 'id');
}

/** Drops a generation's storage and checkpoint. */
export async function dropTarget(store: ReadStore, collection: string): Promise<void> {
  await store.dropCollection(collection);
  await store.dropCollection(`${collection}_rollup`);
  await store.deleteCheckpoint(collection);
}
