import type { Position } from './event-store.port.js';

/**
 * The read-store port: JSON documents by collection and id, a small query language, and
 * projection checkpoints written in the same unit of work as the documents they cover.
 * Shaped so that both SQLite (embedded) and MongoDB (production, without transactions) fit.
 */
import type { LeaseFence } from './lease-fence.js';

export interface Document {
  readonly id: string;
  readonly [field: string]: unknown;
}

/** Scalars a filter compares with; dates are ISO strings, so string order is time order. */
export type Scalar = string | number | boolean | null;

/**
 * A condition on one top-level field: equality with a scalar, or an operator object.
 * `$contains` is a case-sensitive substring match (Chinese names have no case);
 * `$prefix` a prefix match.
 */
export type Condition =
  | Scalar
  | {
      readonly $in?: readonly Scalar[];
      readonly $gt?: Scalar;
      readonly $gte?: Scalar;
      readonly $lt?: Scalar;
      readonly $lte?: Scalar;
      readonly $ne?: Scalar;
      readonly $contains?: string;
      readonly $prefix?: string;
    };

/** All conditions must hold (AND). Field names are top-level and never contain `.` or `$`. */
export type Filter = Readonly<Record<string, Condition>>;

export interface Query {
  readonly filter?: Filter;
  /** Fields with 1 (ascending) or -1 (descending); ties are broken by id ascending. */
  readonly sort?: ReadonlyArray<readonly [string, 1 | -1]>;
  readonly skip?: number;
  readonly limit?: number;
}

/** A field of an index: ascending by default, or with its direction (1 ascending, -1 descending). */
export type IndexField = string | readonly [field: string, direction: 1 | -1];

/**
 * The fields of one index of a collection, in key order. A paged query is read off an index in
 * page order when the index holds some of its equality fields, then its sort fields in the
 * sort's directions (or all of them reversed), then `id`: the tie-break every sort ends with.
 *
 * A field named in an index holds a scalar (string, number, boolean, null) or is missing, in
 * every document of the collection, the non-null ones all of one type: projections promise it,
 * and adapters rely on it (MongoDB then counts matches from the index alone, without checking
 * each document for an array; SQLite stores the field as a column, booleans as 1 and 0).
 */
export type IndexSpec = readonly IndexField[];

/** How a collection is queried, beyond its indexes. */
export interface CollectionOptions {
  /**
   * Fields queries filter or sort on that no index names (a residual filter of a few values):
   * with the fields of the indexes, the collection's declared fields. Like an index's fields,
   * each holds a scalar of one type (string, number or boolean), null, or is missing. An adapter
   * may keep declared fields apart from the document (SQLite: typed columns), and read any other
   * field the slow way (from the document) or refuse to filter on it.
   */
  readonly fields?: readonly string[];
  /**
   * Declared fields null or missing in most documents (a worklist's date, say) that every query
   * read off an index naming them compares (a range, or `$ne: null`): an adapter may leave the
   * documents without them out of those indexes, which are then as small as the list.
   */
  readonly sparse?: readonly string[];
}

export interface UnitOfWork {
  /**
   * Documents written whole. One carrying a numeric `_position` (the last event applied to it)
   * never replaces a stored version with a greater `_position`: a late or replaying writer
   * cannot move a document backwards. (Versions at the same position are the same version.)
   */
  readonly puts?: ReadonlyArray<{ readonly collection: string; readonly document: Document }>;
  /**
   * Documents removed. With a `position` (of the event that removed it), only a stored version
   * whose `_position` is below it (or that has none) is removed: a late delete cannot remove a
   * document a newer event wrote again.
   */
  readonly deletes?: ReadonlyArray<{
    readonly collection: string;
    readonly id: string;
    readonly position?: Position;
  }>;
  /**
   * Checkpoint positions by name, moved with the documents they cover. A checkpoint only moves
   * forward: a position not greater than the stored one leaves it as it is.
   */
  readonly checkpoints?: Readonly<Record<string, Position>>;
  /**
   * The lease generation the unit is conditional on (a leased worker's writes): when the holder
   * no longer holds it, the unit is refused with a `LeaseLostError` and nothing is written.
   */
  readonly fence?: LeaseFence;
}

export interface ReadStore {
  /**
   * Creates the collection and its indexes if missing (idempotent). The fields the indexes and
   * `options.fields` name are declared: queries on them never read the documents. Ensured
   * without indexes first, a collection can be bulk-loaded and indexed after.
   */
  ensureCollection(
    collection: string,
    indexes: readonly IndexSpec[],
    options?: CollectionOptions,
  ): Promise<void>;
  get(collection: string, id: string): Promise<Document | undefined>;
  getMany(collection: string, ids: readonly string[]): Promise<Map<string, Document>>;
  find(collection: string, query?: Query): Promise<Document[]>;
  count(collection: string, filter?: Filter): Promise<number>;
  /** Writes documents, deletions and checkpoints; on SQLite atomically. */
  commit(unit: UnitOfWork): Promise<void>;
  /** The checkpoint's position, `LOG_START` when never written. */
  checkpoint(name: string): Promise<Position>;
  deleteCheckpoint(name: string): Promise<void>;
  dropCollection(collection: string): Promise<void>;
  /**
   * Takes or renews a lease, atomically, for `ttlMs`: answers the generation `holder` now holds
   * it under (it was free, released, expired, or already its own), undefined when another holds
   * it. Lets one replica at a time run a projection runner or the Kafka gateway; the generation
   * fences its writes (`UnitOfWork.fence`). It only grows: a renewal by the holder keeps it,
   * taking the lease from another holder or after a release increments it.
   *
   * Expiry is judged by one clock for all replicas: SQLite (one file, one machine) by `nowMs`;
   * MongoDB by the server's clock, ignoring `nowMs`.
   */
  acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    nowMs: number,
  ): Promise<number | undefined>;
  /** Gives a lease up early if `holder` holds it; its generation stays (and grows on the next). */
  releaseLease(name: string, holder: string): Promise<void>;
  listCollections(): Promise<string[]>;
  /**
   * A cheap round trip to where the data lives (the server, or the file), for /health: resolves
   * once it answered, rejects as the other operations do.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const READ_STORE = Symbol('ReadStore');
