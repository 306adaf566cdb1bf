import { nodeHash, type Hash } from './hashing.js';
import { isPowerOfTwo, rangeHash, splitPoint, type SubtreeHashes } from './subtrees.js';

/**
 * The inclusion proof of leaf `index` in the tree of the first `size` leaves: PATH(m, D[n]) of
 * RFC 9162 §2.1.3.1, the sibling hashes from the leaf up to the root.
 */
export function inclusionProof(nodes: SubtreeHashes, index: number, size: number): Hash[] {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size))
    throw new RangeError(`No leaf ${String(index)} in a tree of ${String(size)}`);
  const path: Hash[] = [];
  // Iterative form of the recursion over D[start:end], collected top-down, returned bottom-up.
  let start = 0;
  let end = size;
  let m = index;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m < k) {
      path.push(rangeHash(nodes, start + k, end));
      end = start + k;
    } else {
      path.push(rangeHash(nodes, start, start + k));
      start += k;
      m -= k;
    }
  }
  return path.reverse();
}

/**
 * The consistency proof from the tree of `first` leaves to that of `second`: PROOF(m, D[n]) of
 * RFC 9162 §2.1.4.1. Empty when first is 0 or equals second (nothing to prove).
 */
export function consistencyProof(nodes: SubtreeHashes, first: number, second: number): Hash[] {
  if (!(Number.isSafeInteger(first) && Number.isSafeInteger(second) && first >= 0))
    throw new RangeError('Tree sizes are whole numbers');
  if (first > second)
    throw new RangeError(`No consistency from ${String(first)} down to ${String(second)}`);
  if (first === 0 || first === second) return [];
  const path: Hash[] = [];
  // SUBPROOF(m, D[start:end], b), iterated: each step adds one hash, collected top-down.
  let start = 0;
  let end = second;
  let m = first;
  let whole = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      path.push(rangeHash(nodes, start + k, end));
      end = start + k;
    } else {
      path.push(rangeHash(nodes, start, start + k));
      start += k;
      m -= k;
      whole = false;
    }
  }
  // m = n: the subtree D[start:end] is itself in the old tree; named unless it is the old root.
  if (!whole) path.push(rangeHash(nodes, start, end));
  return path.reverse();
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or undefined when the proof has the
 * wrong length for this index and size.
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
): Hash | undefined {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size))
    return undefined;
  let fn = index;
  let sn = size - 1;
  let r: Hash = Buffer.from(leaf);
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) [fn, sn] = climbRightBorder(fn, sn);
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** Whether `path` proves leaf `index` of the tree of `size` leaves whose root is `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, path);
  return computed !== undefined && computed.equals(root);
}

/**
 * Whether `path` proves that the tree of `first` leaves with root `firstRoot` is a prefix of the
 * tree of `second` leaves with root `secondRoot` (RFC 9162 §2.1.4.2). Sizes 0 and equal sizes,
 * which the RFC's procedure leaves out, take an empty proof (and, equal, the same root).
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  path: readonly Uint8Array[],
): boolean {
  if (!(Number.isSafeInteger(first) && Number.isSafeInteger(second) && first >= 0)) return false;
  if (first > second) return false;
  if (first === 0) return path.length === 0;
  if (first === second) return path.length === 0 && Buffer.from(firstRoot).equals(secondRoot);
  if (path.length === 0) return false;
  const hashes = isPowerOfTwo(first) ? [firstRoot, ...path] : [...path];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const [seed, ...rest] = hashes;
  if (seed === undefined) return false;
  let fr: Hash = Buffer.from(seed);
  let sr: Hash = Buffer.from(seed);
  for (const c of rest) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) [fn, sn] = climbRightBorder(fn, sn);
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

/**
 * The step both verifications of RFC 9162 (§2.1.3.2, §2.1.4.2) take on the tree's right
 * border: shift `fn` and `sn` right until `fn`'s lowest bit is set or `fn` is 0.
 */
function climbRightBorder(fn: number, sn: number): [number, number] {
  while (fn % 2 === 0 && fn !== 0) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return [fn, sn];
}
