import { createHash } from 'node:crypto';
import { comparePositions, positionFromJson } from '../event-sourcing/ports/event-store.port.js';

/**
 * A digest over the whole log: the head (last event) of every stream, taken in the order of the
 * heads' global positions and chained with sha256. Recomputed up to the same position later, it
 * proves no event at or before that position was altered or removed since: any change moves some
 * stream's head hash.
 */
export function logDigest(
  heads: ReadonlyArray<{ streamId: string; revision: number; position: number; hash: string }>,
): string {
  const ordered = [...heads].sort((a, b) =>
    comparePositions(positionFromJson(a.position), positionFromJson(b.position)),
  );
  let digest = '0'.repeat(64);
  for (const head of ordered) {
    digest = createHash('sha256')
      .update(`${digest}\n${head.streamId}\n${head.revision}\n${head.position}\n${head.hash}`)
      .digest('hex');
  }
  return digest;
}
