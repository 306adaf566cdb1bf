import { createHash, hash } from 'node:crypto';

/** A node of the tree: 32 bytes of SHA-256. */
export type Hash = Buffer;

export const HASH_SIZE = 32;

/** MTH of the empty tree (RFC 9162 §2.1.1): the SHA-256 of nothing. */
export const EMPTY_TREE_ROOT: Hash = createHash('sha256').digest();

/** A leaf (RFC 9162 §2.1.1): SHA-256(0x00 ‖ data); the prefix keeps a leaf from passing for a node. */
export function leafHash(data: Uint8Array): Hash {
  // One-shot hashing: a Hash object per node costs more than the hashing itself.
  return hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

/** An interior node (RFC 9162 §2.1.1): SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE)
    return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
  // Hashes are appended at every event: one input buffer reused, not three allocated.
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_SIZE);
  return hash('sha256', NODE_INPUT, 'buffer');
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
/** Reused input of nodeHash and eventLeafHash (synchronous: never shared by two calls). */
const NODE_INPUT = Buffer.concat([NODE_PREFIX, Buffer.alloc(2 * HASH_SIZE)]);
const LEAF_INPUT = Buffer.concat([LEAF_PREFIX, Buffer.alloc(HASH_SIZE)]);

const CHAIN_HASH = /^[0-9a-f]{64}$/i;

/**
 * A stored event's leaf data: the 32 bytes of its chain hash (`metadata.hash`), which commits to
 * its type, data, metadata, revision and predecessor. The log so holds no event content, and
 * crypto-shredding (which leaves the stored ciphertext as it was) does not move it. An event
 * without a well-formed chain hash (none the application writes; the chain check reports it
 * broken) is a leaf of 32 zero bytes.
 */
export function leafDataOf(metadata: Readonly<Record<string, unknown>>): Buffer {
  const hash = metadata['hash'];
  return typeof hash === 'string' && CHAIN_HASH.test(hash)
    ? Buffer.from(hash, 'hex')
    : Buffer.alloc(HASH_SIZE);
}

/** The leaf hash of a stored event (see leafDataOf). */
export function eventLeafHash(metadata: Readonly<Record<string, unknown>>): Hash {
  const hash = metadata['hash'];
  if (!(typeof hash === 'string' && CHAIN_HASH.test(hash))) return leafHash(leafDataOf(metadata));
  // The hex written straight after the prefix: no intermediate buffers at each append.
  LEAF_INPUT.write(hash, 1, 'hex');
  return sha256(LEAF_INPUT);
}

const sha256 = (data: Buffer): Hash => hash('sha256', data, 'buffer');
