import type { SubtreeHashes } from '../../audit/merkle/subtrees.js';
import type { Position } from './event-store.port.js';

/**
 * The Merkle tree over the log (RFC 9162), as a store keeps it: every event, in log order, is
 * the leaf at its ordinal. Readers get a consistent view of the stored complete-subtree hashes,
 * from which src/audit/merkle computes any root or proof up to the size of the view.
 */
export interface LogTree {
  /** Leaves in the tree now (events appended to it so far). */
  size(): Promise<number>;
  /**
   * Runs `read` over one consistent view of the tree (no append lands in the middle), `size`
   * being the leaves in that view. `read` is synchronous: it must not hold the view open.
   */
  read<T>(read: (nodes: SubtreeHashes, size: number) => T): Promise<T>;
  /** The leaf index of the event at `position` (its ordinal in the log), when the tree has it. */
  leafIndexOf(position: Position): Promise<number | undefined>;
  /** The leaf index of the event with this id, when the tree has it. */
  leafIndexOfEvent(eventId: string): Promise<number | undefined>;
}

/** Injection token of the log tree. */
export const LOG_TREE = Symbol('LOG_TREE');

/** A checkpoint the log signed: its tree head and the signed note stating it. */
export interface SignedCheckpoint {
  readonly size: number;
  readonly root: Buffer;
  /** The C2SP signed note (tlog-checkpoint text and the log's signature line). */
  readonly note: string;
  /** When it was signed (ISO 8601). */
  readonly signedAt: string;
}

/** The checkpoints the log signed, kept: the latest, and the history by tree size. */
export interface CheckpointStore {
  latest(): Promise<SignedCheckpoint | undefined>;
  /** Checkpoints of size `fromSize` or more, smallest first, at most `limit`. */
  list(fromSize: number, limit: number): Promise<SignedCheckpoint[]>;
  /** Keeps a checkpoint; one of the same size already kept is left as it was. */
  add(checkpoint: SignedCheckpoint): Promise<void>;
}
