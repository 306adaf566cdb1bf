/**
 * Properties over every small tree: each inclusion proof verifies for every (index, size) and
 * each consistency proof for every pair of sizes up to 64 leaves, against roots computed
 * independently by the RFC's recursive definition over the leaves themselves; and a proof for
 * one tree never verifies against a neighbour's.
 */
import { createHash } from 'node:crypto';
import { leafHash, nodeHash, type Hash } from '../../../src/audit/merkle/hashing.js';
import { MemoryTree } from '../../../src/audit/merkle/memory-tree.js';
import {
  consistencyProof,
  inclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/audit/merkle/proofs.js';

const MAX = 64;
const leaves = Array.from({ length: MAX }, (_, i) =>
  leafHash(
    createHash('sha256')
      .update(`event ${String(i)}`)
      .digest(),
  ),
);
const tree = MemoryTree.of(leaves);

/** MTH(D[n]) straight from RFC 9162 §2.1.1, by recursion over the leaf hashes. */
function mth(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return createHash('sha256').digest();
  if (hashes.length === 1) return hashes[0] as Hash;
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}
const roots = Array.from({ length: MAX + 1 }, (_, n) => mth(leaves.slice(0, n)));

describe('the Merkle tree over every size up to 64', () => {
  it('has the root of the RFC definition at every size', () => {
    for (let n = 0; n <= MAX; n += 1) expect(tree.root(n)).toEqual(roots[n]);
  });

  it('grows one leaf at a time into the same nodes', () => {
    const grown = new MemoryTree();
    for (const leaf of leaves) {
      grown.append(leaf);
      expect(grown.root()).toEqual(roots[grown.size]);
    }
  });

  it('proves every leaf of every tree, and nothing else', () => {
    for (let size = 1; size <= MAX; size += 1) {
      for (let index = 0; index < size; index += 1) {
        const path = inclusionProof(tree.nodes, index, size);
        const leaf = leaves[index] as Hash;
        expect(verifyInclusion(index, size, leaf, path, roots[size] as Hash)).toBe(true);
        if (size > 1)
          expect(verifyInclusion((index + 1) % size, size, leaf, path, roots[size] as Hash)).toBe(
            false,
          );
        if (size < MAX)
          expect(verifyInclusion(index, size, leaf, path, roots[size + 1] as Hash)).toBe(false);
      }
    }
  });

  it('proves every smaller tree a prefix of every larger one, and no other root', () => {
    for (let second = 1; second <= MAX; second += 1) {
      for (let first = 1; first <= second; first += 1) {
        const path = consistencyProof(tree.nodes, first, second);
        const [r1, r2] = [roots[first] as Hash, roots[second] as Hash];
        expect(verifyConsistency(first, second, r1, r2, path)).toBe(true);
        if (first < second) {
          const other = leafHash(Buffer.from('rewritten'));
          expect(verifyConsistency(first, second, other, r2, path)).toBe(false);
          expect(verifyConsistency(first, second, r1, other, path)).toBe(false);
        }
      }
    }
  });
});
