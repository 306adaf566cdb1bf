/**
 * A projection is data, not a service (DESIGN §3): which events it handles, which documents an
 * event touches, and a pure evolve. The runner owns positions, batching, storage and rollups.
 */

import type { IndexSpec } from '../ports/read-store.port.js';
import type { Position } from '../ports/event-store.port.js';

/** What a projection sees of a stored event: no actor metadata, only when it was recorded. */
export interface ProjectedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly streamId: string;
  readonly revision: number;
  readonly position: Position;
  readonly recordedAt: string;
  /** The schema version the event was stored with; projections lift older ones (upcasting.ts). */
  readonly schemaVersion: number;
}

export interface ProjectionDocument {
  readonly id: string;
}

/** A counter a document adds to: rollup document `id`, key `key`, by `amount`. */
export interface Contribution {
  readonly id: string;
  readonly key: string;
  readonly amount: number;
}

/** A rollup document: counters kept up to date from the contributions of the documents. */
export interface RollupDocument {
  readonly id: string;
  readonly counts: Readonly<Record<string, number>>;
}

export interface EvolveContext<Doc> {
  /** The id of the document being evolved. */
  readonly id: string;
  /** Another document of this projection as it stands after the events before this one. */
  get(id: string): Doc | null;
}

export interface Projection<Doc extends ProjectionDocument = ProjectionDocument> {
  readonly name: string;
  /** Bumped when the documents' shape or meaning changes: a new version is rebuilt from 0. */
  readonly version: number;
  readonly handles: readonly string[];
  /**
   * The indexes its queries are served by: equality fields, then the sort with its directions,
   * then `id` (see IndexSpec). Every field named holds a scalar or is missing.
   */
  readonly indexes: readonly IndexSpec[];
  /**
   * Fields its queries filter or sort on that no index names (a residual filter): with the
   * indexes' fields, the declared fields a read store keeps apart from the document (SQLite:
   * typed columns). Each holds a scalar of one type, or null, or is missing.
   */
  readonly fields?: readonly string[];
  /**
   * Declared fields null or missing in most documents, that every query on an index naming
   * them compares with a range or `$ne: null` (see CollectionOptions.sparse).
   */
  readonly sparse?: readonly string[];
  /** Ids of the documents the event touches, in the order they are evolved. */
  ids(event: ProjectedEvent): readonly string[];
  /** Ids of other documents `evolve` reads through `context.get` (loaded, not evolved). */
  reads?(event: ProjectedEvent): readonly string[];
  /** The document after the event; null deletes it (or keeps it absent). */
  evolve(doc: Doc | null, event: ProjectedEvent, context: EvolveContext<Doc>): Doc | null;
  /** Counters the document contributes to; the runner applies the differences. */
  rollup?(doc: Doc): readonly Contribution[];
}
