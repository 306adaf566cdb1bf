import type { Hash } from './hashing.js';
import { nodesCompletedBy, type StoredNode, type SubtreeHashes } from './subtrees.js';

/**
 * The right edge of a growing tree: the last complete subtree at each level, all an append
 * needs (O(log n) hashes, whatever the size). Rebuilding the tree from the log with it checks
 * every stored node without holding the tree in memory.
 */
export class Frontier {
  private readonly last: Array<{ index: number; hash: Hash } | undefined> = [];
  private leaves = 0;

  /** The frontier of the tree of `size` leaves, from its complete subtrees (O(log n) asked). */
  static of(size: number, nodes: SubtreeHashes): Frontier {
    const frontier = new Frontier();
    for (let level = 0; 2 ** level <= size; level += 1) {
      const index = Math.floor(size / 2 ** level) - 1;
      frontier.last[level] = { index, hash: nodes(level, index) };
    }
    frontier.leaves = size;
    return frontier;
  }

  get size(): number {
    return this.leaves;
  }

  /** Appends a leaf hash; answers the nodes it completed (the leaf first). */
  append(leaf: Hash): StoredNode[] {
    const completed = nodesCompletedBy(this.leaves, leaf, (level, index) => {
      const node = this.last[level];
      if (node?.index !== index) throw new Error('The frontier lost a left sibling');
      return node.hash;
    });
    for (const node of completed) this.last[node.level] = { index: node.index, hash: node.hash };
    this.leaves += 1;
    return completed;
  }
}
