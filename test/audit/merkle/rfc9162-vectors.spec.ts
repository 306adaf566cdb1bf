/**
 * RFC 6962 / 9162 Merkle tree behaviour against the published Certificate Transparency test
 * vectors: the eight reference leaves and the roots, inclusion paths and consistency proofs of
 * google/trillian merkle/log_verifier_test.go (the same values as certificate-transparency's
 * merkle_test.py and Chromium's ct_log_verifier_unittest.cc). The vectors are facts; the code
 * under test is ours. Indices there are 1-based; here 0-based.
 */
import {
  EMPTY_TREE_ROOT,
  eventLeafHash,
  leafDataOf,
  leafHash,
  nodeHash,
} from '../../../src/audit/merkle/hashing.js';
import { MemoryTree } from '../../../src/audit/merkle/memory-tree.js';
import {
  consistencyProof,
  inclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/audit/merkle/proofs.js';

const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => Buffer.from(hex, 'hex'));

/** MTH(D[n]) for n = 1..8. */
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const INCLUSION: ReadonlyArray<{ index: number; size: number; path: string[] }> = [
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    index: 2,
    size: 3,
    path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'],
  },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const CONSISTENCY: ReadonlyArray<{ first: number; second: number; path: string[] }> = [
  {
    first: 1,
    second: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    path: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    path: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const tree = MemoryTree.of(LEAVES.map((leaf) => leafHash(leaf)));
const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));
const bytes = (hexes: readonly string[]): Buffer[] => hexes.map((h) => Buffer.from(h, 'hex'));
const root = (size: number): Buffer => Buffer.from(ROOTS[size - 1] ?? '', 'hex');

describe('RFC 9162 hashing against the CT reference vectors', () => {
  it('hashes the empty tree to the SHA-256 of nothing', () => {
    expect(EMPTY_TREE_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(tree.root(0)).toEqual(EMPTY_TREE_ROOT);
  });

  it('domain-separates leaves (0x00) and nodes (0x01)', () => {
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(ROOTS[0]);
    expect(leafHash(Buffer.from([0])).toString('hex')).toBe(
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    );
    expect(nodeHash(leafHash(LEAVES[0] ?? Buffer.alloc(0)), leafHash(Buffer.from([0])))).toEqual(
      root(2),
    );
  });

  it.each(ROOTS.map((_, i) => i + 1))('computes MTH of the first %i leaves', (size) => {
    expect(tree.root(size).toString('hex')).toBe(ROOTS[size - 1]);
  });
});

describe('RFC 9162 inclusion proofs against the CT reference vectors', () => {
  it.each(INCLUSION)('leaf $index of $size', ({ index, size, path }) => {
    expect(hex(inclusionProof(tree.nodes, index, size))).toEqual(path);
    const leaf = leafHash(LEAVES[index] ?? Buffer.alloc(0));
    expect(verifyInclusion(index, size, leaf, bytes(path), root(size))).toBe(true);
  });

  it.each(INCLUSION)('refuses leaf $index of $size altered in any way', ({ index, size, path }) => {
    const leaf = leafHash(LEAVES[index] ?? Buffer.alloc(0));
    const proof = bytes(path);
    expect(verifyInclusion(index + 1, size, leaf, proof, root(size))).toBe(false);
    expect(verifyInclusion(index, size * 2, leaf, proof, root(size))).toBe(false);
    expect(verifyInclusion(index, size, leafHash(Buffer.from('x')), proof, root(size))).toBe(false);
    expect(verifyInclusion(index, size, leaf, proof, EMPTY_TREE_ROOT)).toBe(false);
    expect(verifyInclusion(index, size, leaf, [...proof, root(size)], root(size))).toBe(false);
    expect(verifyInclusion(index, size, leaf, proof.slice(1), root(size))).toBe(false);
    for (let i = 0; i < proof.length; i += 1) {
      const altered = proof.map((h, j) => (j === i ? EMPTY_TREE_ROOT : h));
      expect(verifyInclusion(index, size, leaf, altered, root(size))).toBe(false);
    }
  });

  it('has no leaf at or past the size', () => {
    expect(() => inclusionProof(tree.nodes, 8, 8)).toThrow(RangeError);
    expect(verifyInclusion(0, 0, leafHash(Buffer.alloc(0)), [], EMPTY_TREE_ROOT)).toBe(false);
  });
});

describe('RFC 9162 consistency proofs against the CT reference vectors', () => {
  it.each(CONSISTENCY)('from $first to $second', ({ first, second, path }) => {
    expect(hex(consistencyProof(tree.nodes, first, second))).toEqual(path);
    expect(verifyConsistency(first, second, root(first), root(second), bytes(path))).toBe(true);
  });

  it.each(CONSISTENCY)('refuses $first to $second altered', ({ first, second, path }) => {
    const proof = bytes(path);
    expect(verifyConsistency(first, second, root(second), root(first), proof)).toBe(false);
    expect(verifyConsistency(first - 1 || 3, second, root(first), root(second), proof)).toBe(false);
    expect(verifyConsistency(first, second, root(first), root(second), proof.slice(1))).toBe(false);
    expect(verifyConsistency(first, second, root(first), root(second), [])).toBe(false);
    for (let i = 0; i < proof.length; i += 1) {
      const altered = proof.map((h, j) => (j === i ? EMPTY_TREE_ROOT : h));
      expect(verifyConsistency(first, second, root(first), root(second), altered)).toBe(false);
    }
  });

  it('takes an empty proof from the empty tree and between equal sizes', () => {
    expect(consistencyProof(tree.nodes, 0, 8)).toEqual([]);
    expect(consistencyProof(tree.nodes, 8, 8)).toEqual([]);
    expect(verifyConsistency(0, 8, EMPTY_TREE_ROOT, root(8), [])).toBe(true);
    expect(verifyConsistency(8, 8, root(8), root(8), [])).toBe(true);
    expect(verifyConsistency(8, 8, root(7), root(8), [])).toBe(false);
    expect(verifyConsistency(8, 8, root(8), root(8), [root(8)])).toBe(false);
    expect(verifyConsistency(2, 1, root(2), root(1), [])).toBe(false);
  });
});

describe("an event's leaf", () => {
  it('is the 32 bytes of its chain hash, hex-decoded', () => {
    const hash = 'ab'.repeat(32);
    expect(leafDataOf({ hash })).toEqual(Buffer.from(hash, 'hex'));
    expect(eventLeafHash({ hash })).toEqual(leafHash(Buffer.from(hash, 'hex')));
  });

  it('is 32 zero bytes for an event without a well-formed chain hash', () => {
    expect(leafDataOf({})).toEqual(Buffer.alloc(32));
    expect(leafDataOf({ hash: 'not hex' })).toEqual(Buffer.alloc(32));
  });
});
