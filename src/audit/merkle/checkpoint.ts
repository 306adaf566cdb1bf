import type { Hash } from './hashing.js';
import { HASH_SIZE } from './hashing.js';

/** A tree head: the log's origin, its size and the root of the tree of that size. */
export interface TreeHead {
  readonly origin: string;
  readonly size: number;
  readonly root: Hash;
}

/**
 * The C2SP tlog-checkpoint note text (https://c2sp.org/tlog-checkpoint): the origin line, the
 * tree size in decimal, the root hash in base64, each ending in a newline; no extension lines.
 */
export function checkpointText(head: TreeHead): string {
  if (!/^[^\s+]+$/u.test(head.origin)) throw new RangeError('An origin has no spaces nor +');
  if (!Number.isSafeInteger(head.size) || head.size < 0)
    throw new RangeError('A tree size is a whole number');
  if (head.root.length !== HASH_SIZE) throw new RangeError('A root hash is 32 bytes');
  return `${head.origin}\n${String(head.size)}\n${head.root.toString('base64')}\n`;
}

/** The tree head a checkpoint text states, or undefined when it is not one. */
export function parseCheckpointText(text: string): TreeHead | undefined {
  const lines = text.split('\n');
  const [origin, size, root] = lines;
  if (origin === undefined || size === undefined || root === undefined || origin === '')
    return undefined;
  if (lines.at(-1) !== '' || lines.slice(3, -1).some((line) => line === '')) return undefined;
  if (!/^(0|[1-9]\d*)$/.test(size) || !Number.isSafeInteger(Number(size))) return undefined;
  const hash = Buffer.from(root, 'base64');
  if (hash.length !== HASH_SIZE || hash.toString('base64') !== root) return undefined;
  return { origin, size: Number(size), root: hash };
}
