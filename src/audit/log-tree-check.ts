import {
  positionToJson,
  type EventStore,
  type Position,
} from '../event-sourcing/ports/event-store.port.js';
import type { LogTree } from '../event-sourcing/ports/log-tree.port.js';
import { eventLeafHash } from './merkle/hashing.js';
import { Frontier } from './merkle/frontier.js';
import type { StoredNode } from './merkle/subtrees.js';

/** A stored node that is not what the log gives. */
export interface TreeDifference {
  readonly level: number;
  readonly index: number;
  /** The event whose leaf completed it (for level 0: the event of the leaf). */
  readonly position: number;
  readonly detail: string;
}

export interface TreeCheck {
  readonly ok: boolean;
  /** Events read from the log (each a leaf). */
  readonly events: number;
  /** Leaves the stored tree had when the check ended. */
  readonly treeSize: number;
  /** Nodes compared (leaves and the complete subtrees above them). */
  readonly nodesChecked: number;
  /** The first differences found, at most `maxDifferences`. */
  readonly differences: readonly TreeDifference[];
  readonly differenceCount: number;
}

const PAGE = 1000;

/**
 * Rebuilds the tree from the events of the log and compares every node the store kept with it:
 * a leaf that is not its event's chain hash, or a subtree that is not the hash of its children,
 * is a difference. The tree may have grown past the events read (appends meanwhile); a tree
 * smaller than the log is a difference too (the log has events the tree lacks).
 */
export async function checkLogTree(
  store: EventStore,
  tree: LogTree,
  onProgress: (events: number) => void = () => undefined,
  maxDifferences = 20,
): Promise<TreeCheck> {
  const frontier = new Frontier();
  const differences: TreeDifference[] = [];
  let differenceCount = 0;
  let nodesChecked = 0;
  let after: Position | undefined;
  let treeSize = 0;
  for (;;) {
    const events = await store.readAll({ ...(after && { fromPosition: after }), maxCount: PAGE });
    if (events.length === 0) break;
    const pending: Array<{ node: StoredNode; position: number }> = [];
    for (const event of events) {
      const position = positionToJson(event.position);
      for (const node of frontier.append(eventLeafHash(event.metadata)))
        pending.push({ node, position });
    }
    const found = await tree.read((nodes, size) => {
      treeSize = size;
      return pending.map(({ node, position }) => {
        const leaves = 2 ** node.level;
        if ((node.index + 1) * leaves > size)
          return { node, position, detail: 'missing: the tree has fewer leaves than the log' };
        const stored = nodes(node.level, node.index);
        return stored.equals(node.hash)
          ? undefined
          : {
              node,
              position,
              detail: `stored ${stored.toString('hex')}, log gives ${node.hash.toString('hex')}`,
            };
      });
    });
    for (const difference of found) {
      nodesChecked += 1;
      if (difference === undefined) continue;
      differenceCount += 1;
      if (differences.length < maxDifferences)
        differences.push({
          level: difference.node.level,
          index: difference.node.index,
          position: difference.position,
          detail: difference.detail,
        });
    }
    after = events.at(-1)?.position;
    onProgress(frontier.size);
  }
  if (after === undefined) treeSize = await tree.size();
  return {
    ok: differenceCount === 0,
    events: frontier.size,
    treeSize,
    nodesChecked,
    differences,
    differenceCount,
  };
}
