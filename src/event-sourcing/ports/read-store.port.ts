import type { Position } from './event-store.port.js';

/**
 * The read-store port: JSON documents by collection and id, a small query language, and
 * projection checkpoints written in the same unit of work as the documents they cover.
 * Shaped so that both SQLite (embedded) and MongoDB (production, without transactions) fit.
 */

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

/** A field (or several) to index for a collection's queries. */
export type IndexSpec = readonly string[];

export interface UnitOfWork {
  readonly puts?: ReadonlyArray<{ readonly collection: string; readonly document: Document }>;
  readonly deletes?: ReadonlyArray<{ readonly collection: string; readonly id: string }>;
  /** Checkpoint positions by name, moved with the documents they cover. */
  readonly checkpoints?: Readonly<Record<string, Position>>;
}

export interface ReadStore {
  /** Creates the collection and its indexes if missing (idempotent). */
  ensureCollection(collection: string, indexes: readonly IndexSpec[]): Promise<void>;
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
   * Takes or renews a lease, atomically: true when `holder` now holds `name` until
   * `nowMs + ttlMs` (it was free, expired, or already its own), false when another holds it.
   * Lets one replica at a time run a projection runner or the Kafka gateway.
   */
  acquireLease(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean>;
  /** Gives a lease up early if `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  listCollections(): Promise<string[]>;
  close(): Promise<void>;
}

export const READ_STORE = Symbol('ReadStore');
