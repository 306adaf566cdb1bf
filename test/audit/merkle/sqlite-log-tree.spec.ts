/**
 * The embedded store keeps the Merkle tree in the transaction of each append: after any mix of
 * appends, refused appends, retries and batches, its tree is the one computed independently
 * from the log it holds; a log stored before the tree existed gets its tree on the next open.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/adapters/sqlite/sqlite-event-store.js';
import { eventLeafHash } from '../../../src/audit/merkle/hashing.js';
import { MemoryTree } from '../../../src/audit/merkle/memory-tree.js';
import { consistencyProof, inclusionProof } from '../../../src/audit/merkle/proofs.js';
import { treeRoot } from '../../../src/audit/merkle/subtrees.js';
import {
  LOG_START,
  positionFromJson,
  positionToJson,
  type EventStore,
  type NewEvent,
} from '../../../src/event-sourcing/ports/event-store.port.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-tree-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
function event(): NewEvent {
  counter += 1;
  const hash = createHash('sha256')
    .update(`event ${String(counter)}`)
    .digest('hex');
  return { id: `e-${String(counter)}`, type: 'Happened', data: { counter }, metadata: { hash } };
}

/** The tree of the log as read back through the port: the oracle. */
async function treeOfLog(store: EventStore): Promise<MemoryTree> {
  const tree = new MemoryTree();
  const events = await store.readAll({ maxCount: 100_000 });
  for (const e of events) tree.append(eventLeafHash(e.metadata));
  return tree;
}

async function expectTreeOfLog(store: SqliteEventStore): Promise<void> {
  const expected = await treeOfLog(store);
  const stored = await store.logTree.read((nodes, size) => ({ size, root: treeRoot(nodes, size) }));
  expect(stored.size).toBe(expected.size);
  expect(stored.root.equals(expected.root())).toBe(true);
}

describe('the embedded store’s Merkle tree', () => {
  it('grows with every append, in the same transaction, and never with a refused one', async () => {
    const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendToStream(`s-${String(i % 3)}`, [event(), event()], 'any'),
        ),
      );
      const refused = store.appendToStream('s-0', [event()], 'no_stream');
      await expect(refused).rejects.toThrow();
      const retried = event();
      await store.appendToStream('s-9', [retried], 'any');
      await store.appendToStream('s-9', [retried], 'any');
      expect(await store.logTree.size()).toBe(41);
      await expectTreeOfLog(store);
      // Each event's leaf index is its ordinal in the log, found from its position.
      const events = await store.readAll({ maxCount: 100 });
      for (const [ordinal, e] of events.entries())
        expect(await store.logTree.leafIndexOf(e.position)).toBe(ordinal);
      const past = positionFromJson(positionToJson(events.at(-1)?.position ?? LOG_START) + 1);
      expect(await store.logTree.leafIndexOf(past)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('keeps a rolled-back batch out of the tree and a committed one in it', async () => {
    const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    try {
      store.beginBatch();
      await store.appendToStream('b', [event(), event(), event()], 'any');
      expect(await store.logTree.size()).toBe(3);
      store.rollbackBatch();
      expect(await store.logTree.size()).toBe(0);
      store.beginBatch();
      for (let i = 0; i < 37; i += 1)
        await store.appendToStream(`b-${String(i)}`, [event()], 'any');
      store.commitBatch();
      expect(await store.logTree.size()).toBe(37);
      await expectTreeOfLog(store);
    } finally {
      await store.close();
    }
  });

  it('builds the tree of a log stored before the tree existed on the next open', async () => {
    const file = join(dir, 'events.sqlite');
    const first = SqliteEventStore.open(file);
    first.beginBatch();
    for (let i = 0; i < 600; i += 1)
      await first.appendToStream(`o-${String(i % 4)}`, [event()], 'any');
    first.commitBatch();
    await first.close();
    const db = new Database(file);
    db.exec('DROP TABLE merkle_strides');
    // The layout of before (a row per leaf): dropped at open, the strides rebuilt.
    db.exec('CREATE TABLE merkle_tree (leaf INTEGER PRIMARY KEY, position INTEGER, hashes BLOB)');
    db.close();

    const reopened = SqliteEventStore.open(file);
    try {
      expect(await reopened.logTree.size()).toBe(600);
      await reopened.appendToStream('o-9', [event()], 'any');
      await expectTreeOfLog(reopened);
    } finally {
      await reopened.close();
    }
    const after = new Database(file);
    const tables = after
      .prepare("SELECT name FROM sqlite_master WHERE name LIKE 'merkle%'")
      .pluck()
      .all();
    const strides = after.prepare('SELECT COUNT(*) FROM merkle_strides').pluck().get();
    after.close();
    expect(tables).toEqual(['merkle_strides']);
    expect(strides).toBe(2);
  });

  it('keeps the tree right across strides, rolled-back appends and appends of another connection', async () => {
    const file = join(dir, 'events.sqlite');
    const store = SqliteEventStore.open(file);
    const other = SqliteEventStore.open(file);
    const batch = async (count: number, end: 'commit' | 'rollback'): Promise<void> => {
      store.beginBatch();
      for (let i = 0; i < count; i += 1)
        await store.appendToStream(`r-${String(i % 7)}`, [event()], 'any');
      if (end === 'commit') store.commitBatch();
      else store.rollbackBatch();
    };
    try {
      await batch(250, 'commit');
      // Rolled back by this connection: the positions are given again, the frontier read again.
      await batch(100, 'rollback');
      store.beginBatch();
      // The first event is stored and in the tree when the second fails: its savepoint undoes both.
      const failing = [event(), { ...event(), data: { n: BigInt(1) } }];
      await expect(store.appendToStream('r-0', failing, 'any')).rejects.toThrow();
      store.commitBatch();
      await batch(100, 'commit');
      // Another connection appends: this one's frontier is stale, read again.
      await other.appendToStream('x', [event()], 'any');
      await batch(200, 'commit');
      await store.appendToStream('y', [event()], 'any');
      expect(await store.logTree.size()).toBe(552);
      await expectTreeOfLog(store);
      await expectTreeOfLog(other);
      // Proofs mix stored stride hashes and hashes recomputed from the events: as the oracle's.
      const oracle = await treeOfLog(store);
      const same = (a: Buffer[], b: Buffer[]): boolean =>
        a.length === b.length && a.every((hash, i) => hash.equals(b[i] ?? Buffer.alloc(0)));
      for (const [leaf, size] of [
        [0, 552],
        [255, 256],
        [256, 513],
        [300, 512],
        [551, 552],
        [7, 9],
      ] as const) {
        const stored = await store.logTree.read((nodes) => inclusionProof(nodes, leaf, size));
        expect(same(stored, inclusionProof(oracle.nodes, leaf, size))).toBe(true);
      }
      for (const [from, to] of [
        [1, 552],
        [256, 300],
        [300, 512],
        [511, 552],
        [3, 256],
      ] as const) {
        const stored = await store.logTree.read((nodes) => consistencyProof(nodes, from, to));
        expect(same(stored, consistencyProof(oracle.nodes, from, to))).toBe(true);
      }
      const events = await store.readAll({ maxCount: 1000 });
      for (const ordinal of [0, 255, 256, 300, events.length - 1]) {
        const e = events[ordinal];
        if (e !== undefined) expect(await store.logTree.leafIndexOf(e.position)).toBe(ordinal);
      }
    } finally {
      await other.close();
      await store.close();
    }
  });
});
