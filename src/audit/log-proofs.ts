import type { LogTree } from '../event-sourcing/ports/log-tree.port.js';
import { DomainError } from '../event-sourcing/domain-error.js';
import { ValidationProblem } from '../http/problem.js';
import { consistencyProof, inclusionProof } from './merkle/proofs.js';

/** An event's inclusion proof (RFC 9162 §2.1.3), hashes in base64. */
export interface InclusionProofView {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly inclusionPath: readonly string[];
}

/** A consistency proof (RFC 9162 §2.1.4), hashes in base64. */
export interface ConsistencyProofView {
  readonly consistencyPath: readonly string[];
}

const base64 = (hash: Buffer): string => hash.toString('base64');

/** A size past the tree's leaves now: the request's mistake, named (checkpoints never are). */
function beyondTree(field: string, asked: number, size: number): ValidationProblem {
  return new ValidationProblem([
    {
      field: `query:${field}`,
      message: `must not exceed the tree size, now ${String(size)} (asked ${String(asked)})`,
    },
  ]);
}

/**
 * The proof that the event `eventId` is in the tree of `treeSize` leaves (a checkpoint's size):
 * 404 for an event the tree does not hold, 400 for a size past the tree or before the event.
 */
export async function inclusionOf(
  tree: LogTree,
  eventId: string,
  treeSize: number,
): Promise<InclusionProofView> {
  const leafIndex = await tree.leafIndexOfEvent(eventId);
  if (leafIndex === undefined)
    throw new DomainError('not-found', 'event-unknown', `The log tree has no event ${eventId}`);
  return tree.read((nodes, size) => {
    if (treeSize > size) throw beyondTree('treeSize', treeSize, size);
    if (leafIndex >= treeSize)
      throw new ValidationProblem([
        {
          field: 'query:treeSize',
          message: `the event is leaf ${String(leafIndex)}: not in a tree of ${String(treeSize)} leaves`,
        },
      ]);
    return {
      leafIndex,
      treeSize,
      leafHash: base64(nodes(0, leafIndex)),
      inclusionPath: inclusionProof(nodes, leafIndex, treeSize).map(base64),
    };
  });
}

/** The proof that the tree of `from` leaves is a prefix of that of `to` (400 for bad sizes). */
export async function consistencyOf(
  tree: LogTree,
  from: number,
  to: number,
): Promise<ConsistencyProofView> {
  if (from > to)
    throw new ValidationProblem([{ field: 'query:from', message: 'must not exceed to' }]);
  return tree.read((nodes, size) => {
    if (to > size) throw beyondTree('to', to, size);
    return { consistencyPath: consistencyProof(nodes, from, to).map(base64) };
  });
}
