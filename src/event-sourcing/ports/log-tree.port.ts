import type { SubtreeHashes } from '../../audit/merkle/subtrees.js';

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
}

/** Injection token of the log tree. */
export const LOG_TREE = Symbol('LOG_TREE');
