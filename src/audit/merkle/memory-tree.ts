import type { Hash } from './hashing.js';
import { nodesCompletedBy, treeRoot, type SubtreeHashes } from './subtrees.js';

/**
 * The whole tree in memory: every complete subtree's hash, level by level. For tests, for a
 * rebuild from the log to compare with what a store kept, and for small logs.
 */
export class MemoryTree {
  private readonly levels: Hash[][] = [];

  /** Hashes of complete subtrees, as the stores answer them. */
  readonly nodes: SubtreeHashes = (level, index) => {
    const hash = this.levels[level]?.[index];
    if (hash === undefined)
      throw new RangeError(`No complete subtree ${String(index)} at level ${String(level)}`);
    return hash;
  };

  static of(leaves: Iterable<Hash>): MemoryTree {
    const tree = new MemoryTree();
    for (const leaf of leaves) tree.append(leaf);
    return tree;
  }

  get size(): number {
    return this.levels[0]?.length ?? 0;
  }

  /** Appends a leaf hash; answers the nodes it completed (the leaf first). */
  append(leaf: Hash): ReturnType<typeof nodesCompletedBy> {
    const completed = nodesCompletedBy(this.size, leaf, this.nodes);
    for (const node of completed) (this.levels[node.level] ??= []).push(node.hash);
    return completed;
  }

  /** The root of the first `size` leaves (default: all). */
  root(size = this.size): Hash {
    if (size > this.size) throw new RangeError(`The tree has ${String(this.size)} leaves`);
    return treeRoot(this.nodes, size);
  }
}
