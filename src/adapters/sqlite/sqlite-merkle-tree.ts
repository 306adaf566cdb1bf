import type Database from 'better-sqlite3';
import { settle } from './settle.js';
import { eventLeafHash, HASH_SIZE, type Hash } from '../../audit/merkle/hashing.js';
import { nodesCompletedBy, type SubtreeHashes } from '../../audit/merkle/subtrees.js';
import { positionToJson, type EventMetadata } from '../../event-sourcing/ports/event-store.port.js';
import type {
  CheckpointStore,
  LogTree,
  SignedCheckpoint,
} from '../../event-sourcing/ports/log-tree.port.js';

/**
 * The Merkle tree over the log in SQLite: one row per leaf, holding the leaf's hash followed by
 * the hashes of the complete subtrees its append completed (level 1, 2 … up), 32 bytes each,
 * and the position of its event. Every complete subtree is so stored once, in the row of its
 * last leaf, any root or proof reads O(log n) rows, and an append writes a single row. Leaves and
 * positions both only grow, so the leaf of a position is found by bisection; the event's id is
 * kept too (indexed), for proofs asked by event. For EventStoreDB's side store, which has no
 * events to recompute leaves from (the embedded store keeps fewer rows: sqlite-strided-tree).
 */
export const MERKLE_SCHEMA = `
CREATE TABLE IF NOT EXISTS merkle_tree (
  leaf     INTEGER PRIMARY KEY,
  position INTEGER NOT NULL,
  hashes   BLOB    NOT NULL,
  event_id TEXT    NOT NULL UNIQUE
) STRICT;
`;

/**
 * Creates the side store's tables; a tree of the first layout (no event ids, a day old) is
 * dropped, to be rebuilt from the log by the catch-up.
 */
export function createMerkleTables(db: Database.Database): void {
  const columns = db
    .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('merkle_tree')")
    .all();
  if (columns.length > 0 && !columns.some((column) => column.name === 'event_id'))
    db.exec('DROP TABLE merkle_tree');
  db.exec(MERKLE_SCHEMA + CHECKPOINT_SCHEMA);
}

/** The signed checkpoints, beside the tree they state (whichever way the tree is kept). */
export const CHECKPOINT_SCHEMA = `
CREATE TABLE IF NOT EXISTS log_checkpoints (
  size      INTEGER PRIMARY KEY,
  root      BLOB    NOT NULL,
  note      TEXT    NOT NULL,
  signed_at TEXT    NOT NULL
) STRICT;
`;

/** The leaf whose append completed subtree `index` at `level`: its last leaf. */
const completedBy = (level: number, index: number): number => (index + 1) * 2 ** level - 1;

type TreeStatements = ReturnType<typeof prepareTreeStatements>;

function prepareTreeStatements(db: Database.Database) {
  return {
    size: db.prepare<[], number>('SELECT COALESCE(MAX(leaf) + 1, 0) FROM merkle_tree').pluck(),
    lastPosition: db
      .prepare<[], number>(
        'SELECT COALESCE((SELECT position FROM merkle_tree ORDER BY leaf DESC LIMIT 1), 0)',
      )
      .pluck(),
    hashes: db.prepare<[number], Buffer>('SELECT hashes FROM merkle_tree WHERE leaf = ?').pluck(),
    leafOfEvent: db
      .prepare<[string], number>('SELECT leaf FROM merkle_tree WHERE event_id = ?')
      .pluck(),
    positionOf: db
      .prepare<[number], number>('SELECT position FROM merkle_tree WHERE leaf = ?')
      .pluck(),
    insert: db.prepare<[number, number, Buffer, string]>(
      'INSERT INTO merkle_tree (leaf, position, hashes, event_id) VALUES (?, ?, ?, ?)',
    ),
  };
}

interface CheckpointRow {
  readonly size: number;
  readonly root: Buffer;
  readonly note: string;
  readonly signed_at: string;
}

const toCheckpoint = (row: CheckpointRow): SignedCheckpoint => ({
  size: row.size,
  root: row.root,
  note: row.note,
  signedAt: row.signed_at,
});

/** The signed checkpoints, kept beside the tree they state (in the same file). */
export function sqliteCheckpointStore(db: Database.Database): CheckpointStore {
  const latest = db.prepare<[], CheckpointRow>(
    'SELECT size, root, note, signed_at FROM log_checkpoints ORDER BY size DESC LIMIT 1',
  );
  const list = db.prepare<[number, number], CheckpointRow>(
    'SELECT size, root, note, signed_at FROM log_checkpoints WHERE size >= ? ORDER BY size LIMIT ?',
  );
  const add = db.prepare<[number, Buffer, string, string]>(
    'INSERT OR IGNORE INTO log_checkpoints (size, root, note, signed_at) VALUES (?, ?, ?, ?)',
  );
  return {
    latest: () =>
      settle(() => {
        const row = latest.get();
        return row && toCheckpoint(row);
      }),
    list: (fromSize, limit) => settle(() => list.all(fromSize, limit).map(toCheckpoint)),
    add: (c) =>
      settle(() => {
        add.run(c.size, c.root, c.note, c.signedAt);
      }),
  };
}

/** What the port needs of a tree kept in SQLite, on one connection. */
export interface SqliteTreeReads {
  size(): number;
  read<T>(read: (nodes: SubtreeHashes, size: number) => T): T;
  leafOf(position: number): number | undefined;
  leafOfEvent(eventId: string): number | undefined;
}

/** The tree's tables on one connection: appends on the writer's, reads on any. */
export class SqliteMerkleTree implements SqliteTreeReads {
  private readonly statements: TreeStatements;

  /** The stored complete subtrees, read on this connection. */
  readonly nodes: SubtreeHashes = (level, index) => {
    const hashes = this.statements.hashes.get(completedBy(level, index));
    const hash = hashes?.subarray(level * HASH_SIZE, (level + 1) * HASH_SIZE);
    if (hash?.length !== HASH_SIZE)
      throw new Error(`The tree has no subtree ${String(index)} at level ${String(level)}`);
    return hash;
  };

  constructor(private readonly db: Database.Database) {
    this.statements = prepareTreeStatements(db);
  }

  size(): number {
    return this.statements.size.get() ?? 0;
  }

  /** Position of the last event in the tree, 0 when empty. */
  lastPosition(): number {
    return this.statements.lastPosition.get() ?? 0;
  }

  /** Appends the event at `position` as the next leaf. Inside the caller's transaction. */
  appendEvent(position: number, eventId: string, metadata: EventMetadata): void {
    this.appendLeaf(position, eventId, eventLeafHash(metadata));
  }

  appendLeaf(position: number, eventId: string, leaf: Hash): void {
    const index = this.size();
    const completed = nodesCompletedBy(index, leaf, this.nodes);
    this.statements.insert.run(
      index,
      position,
      Buffer.concat(completed.map((node) => node.hash)),
      eventId,
    );
  }

  leafOfEvent(eventId: string): number | undefined {
    return this.statements.leafOfEvent.get(eventId);
  }

  /**
   * The leaf of the event at `position`, or undefined when none: a bisection over the leaves,
   * whose positions only grow (O(log n) rows, no index on positions to keep up at each append).
   */
  leafOf(position: number): number | undefined {
    let low = 0;
    let high = this.size() - 1;
    while (low <= high) {
      const middle = Math.floor((low + high) / 2);
      const found = this.statements.positionOf.get(middle);
      if (found === undefined) return undefined;
      if (found === position) return middle;
      if (found < position) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Runs `read` in one read transaction: a consistent view, whatever commits meanwhile. */
  read<T>(read: (nodes: SubtreeHashes, size: number) => T): T {
    return this.db.transaction(() => read(this.nodes, this.size())).deferred();
  }
}

/**
 * The port over a tree (the one `current` gives at each call: a store switches connections),
 * each read run by `run` (the embedded store: once the appends are durable).
 */
export function logTreeOf(
  current: () => SqliteTreeReads,
  run: <T>(read: () => T) => Promise<T> = settle,
): LogTree {
  return {
    size: () => run(() => current().size()),
    read: (read) => run(() => current().read(read)),
    leafIndexOf: (position) => run(() => current().leafOf(positionToJson(position))),
    leafIndexOfEvent: (eventId) => run(() => current().leafOfEvent(eventId)),
  };
}
