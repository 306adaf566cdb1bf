import type Database from 'better-sqlite3';
import { eventLeafHash, type Hash } from '../../audit/merkle/hashing.js';
import { nodesCompletedBy, type SubtreeHashes } from '../../audit/merkle/subtrees.js';
import type { EventMetadata } from '../../event-sourcing/ports/event-store.port.js';

/**
 * The Merkle tree over the log in SQLite: each leaf with the position of its event, and every
 * complete subtree above the leaves (about one row per leaf), so that any root or proof reads
 * O(log n) rows. Appending a leaf writes its row and the subtrees it completes, nothing else.
 * Leaves and positions both only grow, so the leaf of a position is found by bisection.
 */
export const MERKLE_SCHEMA = `
CREATE TABLE IF NOT EXISTS merkle_leaves (
  leaf_index INTEGER PRIMARY KEY,
  position   INTEGER NOT NULL,
  hash       BLOB    NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS merkle_nodes (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB    NOT NULL,
  PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;
`;

type TreeStatements = ReturnType<typeof prepareTreeStatements>;

function prepareTreeStatements(db: Database.Database) {
  return {
    size: db
      .prepare<[], number>('SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM merkle_leaves')
      .pluck(),
    lastPosition: db
      .prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM merkle_leaves')
      .pluck(),
    leaf: db
      .prepare<[number], Buffer>('SELECT hash FROM merkle_leaves WHERE leaf_index = ?')
      .pluck(),
    node: db
      .prepare<[number, number], Buffer>(
        'SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?',
      )
      .pluck(),
    insertLeaf: db.prepare<[number, number, Buffer]>(
      'INSERT INTO merkle_leaves (leaf_index, position, hash) VALUES (?, ?, ?)',
    ),
    insertNode: db.prepare<[number, number, Buffer]>(
      'INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)',
    ),
  };
}

/** The tree's tables on one connection: appends on the writer's, reads on any. */
export class SqliteMerkleTree {
  private readonly statements: TreeStatements;

  /** The stored complete subtrees, read on this connection. */
  readonly nodes: SubtreeHashes = (level, index) => {
    const hash =
      level === 0 ? this.statements.leaf.get(index) : this.statements.node.get(level, index);
    if (hash === undefined)
      throw new Error(`The tree has no subtree ${String(index)} at level ${String(level)}`);
    return hash;
  };

  constructor(private readonly db: Database.Database) {
    this.statements = prepareTreeStatements(db);
  }

  /** Creates the tables if missing (on the writer's connection, before preparing). */
  static createTables(db: Database.Database): void {
    db.exec(MERKLE_SCHEMA);
  }

  size(): number {
    return this.statements.size.get() ?? 0;
  }

  /** Position of the last event in the tree, 0 when empty. */
  lastPosition(): number {
    return this.statements.lastPosition.get() ?? 0;
  }

  /** Appends the event at `position` as the next leaf. Inside the caller's transaction. */
  appendEvent(position: number, metadata: EventMetadata): void {
    this.appendLeaf(position, eventLeafHash(metadata));
  }

  appendLeaf(position: number, leaf: Hash): void {
    const index = this.size();
    for (const node of nodesCompletedBy(index, leaf, this.nodes)) {
      if (node.level === 0) this.statements.insertLeaf.run(node.index, position, node.hash);
      else this.statements.insertNode.run(node.level, node.index, node.hash);
    }
  }

  /** Runs `read` in one read transaction: a consistent view, whatever commits meanwhile. */
  read<T>(read: (nodes: SubtreeHashes, size: number) => T): T {
    return this.db.transaction(() => read(this.nodes, this.size())).deferred();
  }
}
