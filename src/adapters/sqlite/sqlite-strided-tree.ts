import type Database from 'better-sqlite3';
import { CHECKPOINT_SCHEMA, type SqliteTreeReads } from './sqlite-merkle-tree.js';
import { Frontier } from '../../audit/merkle/frontier.js';
import { eventLeafHash, HASH_SIZE, type Hash } from '../../audit/merkle/hashing.js';
import { MemoryTree } from '../../audit/merkle/memory-tree.js';
import type { SubtreeHashes } from '../../audit/merkle/subtrees.js';
import type { EventMetadata } from '../../event-sourcing/ports/event-store.port.js';

/**
 * The Merkle tree over the embedded store's log, kept beside its events: a leaf is the hash of
 * its event's chain hash, so no leaf is stored; only the complete subtrees of 2^STRIDE_LEVEL
 * leaves and more are (as C2SP tiles do), in one row per stride of 2^STRIDE_LEVEL leaves: the
 * hashes its last leaf completed from level STRIDE_LEVEL up, and the position of that event. A
 * node below is recomputed from the chain hashes of at most 2^STRIDE_LEVEL events. The writer
 * keeps the right edge (the frontier) in memory, so an append reads nothing and writes a row
 * only every 2^STRIDE_LEVEL events.
 */
export const STRIDE_LEVEL = 8;
const STRIDE = 2 ** STRIDE_LEVEL;

const STRIDES_SCHEMA = `
CREATE TABLE IF NOT EXISTS merkle_strides (
  stride   INTEGER PRIMARY KEY,
  position INTEGER NOT NULL,
  hashes   BLOB    NOT NULL
) STRICT;
`;

/** Bound on positions that no event reaches: "all events". */
const NO_BOUND = Number.MAX_SAFE_INTEGER;

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  return {
    strides: db
      .prepare<[], number>('SELECT COALESCE(MAX(stride) + 1, 0) FROM merkle_strides')
      .pluck(),
    stride: db.prepare<[number], { position: number; hashes: Buffer }>(
      'SELECT position, hashes FROM merkle_strides WHERE stride = ?',
    ),
    count: db
      .prepare<[number, number], number>(
        'SELECT COUNT(*) FROM events WHERE position > ? AND position < ?',
      )
      .pluck(),
    positionOfEvent: db
      .prepare<[string], number>('SELECT position FROM events WHERE id = ?')
      .pluck(),
    exists: db.prepare<[number], number>('SELECT 1 FROM events WHERE position = ?').pluck(),
    // Only the chain hash: the leaf's data, without parsing the rest of the metadata.
    chainHashes: db.prepare<[number, number, number], { position: number; hash: unknown }>(
      "SELECT position, json_extract(metadata, '$.hash') AS hash FROM events WHERE position > ? AND position < ? ORDER BY position LIMIT ?",
    ),
    insert: db.prepare<[number, number, Buffer]>(
      'INSERT INTO merkle_strides (stride, position, hashes) VALUES (?, ?, ?)',
    ),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
  };
}

const leafOfChainHash = (hash: unknown): Hash => eventLeafHash({ hash });

/**
 * The tree as one read of the database sees it (call inside one transaction), over the events
 * before `bound`: its size, and any complete subtree, stored or recomputed.
 */
class TreeView {
  readonly strides: number;
  readonly size: number;
  private readonly strideTrees = new Map<number, MemoryTree>();

  constructor(
    private readonly statements: Statements,
    private readonly bound = NO_BOUND,
  ) {
    this.strides = statements.strides.get() ?? 0;
    this.size =
      this.strides * STRIDE +
      (statements.count.get(this.lastPositionOf(this.strides - 1), bound) ?? 0);
  }

  readonly nodes: SubtreeHashes = (level, index) => {
    if (level >= STRIDE_LEVEL) {
      const stride = (index + 1) * 2 ** (level - STRIDE_LEVEL) - 1;
      const hash = this.statements.stride
        .get(stride)
        ?.hashes.subarray(
          (level - STRIDE_LEVEL) * HASH_SIZE,
          (level - STRIDE_LEVEL + 1) * HASH_SIZE,
        );
      if (hash?.length !== HASH_SIZE)
        throw new Error(`The tree has no subtree ${String(index)} at level ${String(level)}`);
      return hash;
    }
    const perStride = 2 ** (STRIDE_LEVEL - level);
    const stride = Math.floor(index / perStride);
    return this.strideTree(stride).nodes(level, index - stride * perStride);
  };

  /** Position of the last event of `stride` (0 before the first). */
  lastPositionOf(stride: number): number {
    if (stride < 0) return 0;
    const row = this.statements.stride.get(stride);
    if (row === undefined) throw new Error(`The tree has no stride ${String(stride)}`);
    return row.position;
  }

  /** The leaf of the event at `position`, by bisection over the strides' last positions. */
  leafOf(position: number): number | undefined {
    if (this.statements.exists.get(position) === undefined) return undefined;
    let low = 0;
    let high = this.strides;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (this.lastPositionOf(middle) < position) low = middle + 1;
      else high = middle;
    }
    const leaf =
      low * STRIDE + (this.statements.count.get(this.lastPositionOf(low - 1), position) ?? 0);
    return leaf < this.size ? leaf : undefined;
  }

  /** The leaves of one stride (the last may be partial), recomputed from their events. */
  private strideTree(stride: number): MemoryTree {
    let tree = this.strideTrees.get(stride);
    if (tree === undefined) {
      const rows = this.statements.chainHashes.all(
        this.lastPositionOf(stride - 1),
        this.bound,
        STRIDE,
      );
      tree = MemoryTree.of(rows.map((row) => leafOfChainHash(row.hash)));
      this.strideTrees.set(stride, tree);
    }
    return tree;
  }
}

/** The embedded store's tree on one connection: appends on the writer's, reads on any. */
export class SqliteStridedTree implements SqliteTreeReads {
  private readonly statements: Statements;
  /**
   * The right edge after the event at `lastPosition`, valid while `version` (PRAGMA
   * data_version) says no other connection committed since it was read. A rolled-back append
   * shows as a position not past `lastPosition` (positions are never reused, and a rollback
   * gives them back): the edge is then read again, as after another connection's append.
   */
  private frontier: Frontier | undefined;
  private lastPosition = 0;
  private version: number | undefined;

  constructor(private readonly db: Database.Database) {
    this.statements = prepareStatements(db);
  }

  /**
   * Creates the tables (on the writer's connection, after the events table). The layout of
   * before (`merkle_tree`, a row per leaf, kept for a day only) is dropped: rebuilt at open.
   */
  static createTables(db: Database.Database): void {
    const previous = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'merkle_tree'")
      .get();
    if (previous !== undefined) db.exec('DROP TABLE merkle_tree');
    db.exec(STRIDES_SCHEMA + CHECKPOINT_SCHEMA);
  }

  /**
   * Stores the strides that the events past the last stored one complete: a log written before
   * the tree existed (or by the previous layout) gets them on the first open, a page per
   * transaction, before any append. Usually none: then no write lock is taken.
   */
  static completeStrides(db: Database.Database, pageSize: number): void {
    const tree = new SqliteStridedTree(db);
    const missing = (): { position: number; hash: unknown }[] =>
      tree.db.transaction(() => {
        const view = new TreeView(tree.statements);
        if (view.size - view.strides * STRIDE < STRIDE) return [];
        return tree.statements.chainHashes.all(
          Math.max(view.lastPositionOf(view.strides - 1), tree.lastPosition),
          NO_BOUND,
          pageSize,
        );
      })();
    const appendPage = db.transaction((rows: readonly { position: number; hash: unknown }[]) => {
      for (const row of rows) tree.appendLeaf(row.position, leafOfChainHash(row.hash));
    });
    for (let rows = missing(); rows.length > 0; rows = missing()) appendPage.immediate(rows);
  }

  size(): number {
    return this.read((_, size) => size);
  }

  leafOf(position: number): number | undefined {
    return this.db.transaction(() => new TreeView(this.statements).leafOf(position)).deferred();
  }

  leafOfEvent(eventId: string): number | undefined {
    return this.db
      .transaction(() => {
        const position = this.statements.positionOfEvent.get(eventId);
        return position === undefined ? undefined : new TreeView(this.statements).leafOf(position);
      })
      .deferred();
  }

  /** Runs `read` in one read transaction: a consistent view, whatever commits meanwhile. */
  read<T>(read: (nodes: SubtreeHashes, size: number) => T): T {
    return this.db
      .transaction(() => {
        const view = new TreeView(this.statements);
        return read(view.nodes, view.size);
      })
      .deferred();
  }

  /** Appends the event just stored at `position` as the next leaf. Inside its transaction. */
  appendEvent(position: number, metadata: EventMetadata): void {
    this.appendLeaf(position, eventLeafHash(metadata));
  }

  private appendLeaf(position: number, leaf: Hash): void {
    const version = this.statements.dataVersion.get();
    let frontier = this.frontier;
    if (frontier === undefined || version !== this.version || position <= this.lastPosition) {
      const view = new TreeView(this.statements, position);
      frontier = Frontier.of(view.size, view.nodes);
    }
    // Forgotten until the row is written: a failure leaves it to be read again.
    this.frontier = undefined;
    const index = frontier.size;
    const upper = frontier.append(leaf).filter((node) => node.level >= STRIDE_LEVEL);
    if (upper.length > 0)
      this.statements.insert.run(
        Math.floor(index / STRIDE),
        position,
        Buffer.concat(upper.map((node) => node.hash)),
      );
    this.frontier = frontier;
    this.lastPosition = position;
    this.version = version;
  }
}
