import { EMPTY_TREE_ROOT, nodeHash, type Hash } from './hashing.js';

/**
 * The hash of a complete subtree: the 2^level leaves from `index * 2^level` on. Whatever keeps
 * the tree (the SQLite table, the side store for EventStoreDB, an array in memory) answers these;
 * every root and proof is computed from them, so the algorithms below exist once. Asked only for
 * subtrees that are complete in the tree the caller asked about.
 */
export type SubtreeHashes = (level: number, index: number) => Hash;

/** One node to store after an append: the complete subtree `index` at `level`. */
export interface StoredNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Hash;
}

/**
 * The nodes the leaf `leafIndex` completes: the leaf itself (level 0), then, while the subtree
 * just completed is a right child, its parent. `stored` gives the left siblings, all stored
 * before. On average two nodes per leaf: the whole tree costs about twice the leaves.
 */
export function nodesCompletedBy(
  leafIndex: number,
  leaf: Hash,
  stored: SubtreeHashes,
): StoredNode[] {
  const nodes: StoredNode[] = [{ level: 0, index: leafIndex, hash: leaf }];
  let index = leafIndex;
  let hash = leaf;
  let level = 0;
  while (index % 2 === 1) {
    hash = nodeHash(stored(level, index - 1), hash);
    index = (index - 1) / 2;
    level += 1;
    nodes.push({ level, index, hash });
  }
  return nodes;
}

/** The largest power of two strictly smaller than n (n ≥ 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether n is 2^k for some k ≥ 0 (not with `&`: bitwise operators truncate to 32 bits). */
export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && 2 ** Math.round(Math.log2(n)) === n;
}

/**
 * MTH(D[start:end]) (RFC 9162 §2.1.1) for the ranges its recursion visits: `start` a multiple of
 * a power of two at least end - start, so the left part is always a complete stored subtree.
 */
export function rangeHash(nodes: SubtreeHashes, start: number, end: number): Hash {
  const size = end - start;
  if (size <= 0) return EMPTY_TREE_ROOT;
  if (isPowerOfTwo(size)) return nodes(Math.log2(size), start / size);
  const k = splitPoint(size);
  return nodeHash(nodes(Math.log2(k), start / k), rangeHash(nodes, start + k, end));
}

/** The root of the tree of the first `size` leaves. */
export function treeRoot(nodes: SubtreeHashes, size: number): Hash {
  return rangeHash(nodes, 0, size);
}
