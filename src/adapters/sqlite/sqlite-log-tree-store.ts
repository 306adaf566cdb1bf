import type Database from 'better-sqlite3';
import { DATA_FILES, openDataFile } from './data-file.js';
import {
  logTreeOf,
  createMerkleTables,
  SqliteMerkleTree,
  sqliteCheckpointStore,
} from './sqlite-merkle-tree.js';
import {
  positionFromJson,
  positionToJson,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '../../event-sourcing/ports/event-store.port.js';
import type { CheckpointStore, LogTree } from '../../event-sourcing/ports/log-tree.port.js';

const PAGE = 1000;

/**
 * The Merkle tree over a log kept apart from it, for EventStoreDB: there is no transaction with
 * the server to write the tree with each append, so a catch-up worker follows $all (through the
 * port, filtered to this application's streams as every reader is) and appends each event's leaf
 * here, with the event's position, in one local transaction. The tree is then a deterministic
 * function of the log: every replica that follows it builds the same one, a file lost is rebuilt
 * from the log, and `npm run audit -- verify-log` compares it with the log. It trails the log by
 * the worker's lag; a checkpoint signs the size the tree has reached.
 */
export class SqliteLogTreeStore {
  private readonly tree: SqliteMerkleTree;
  private readonly appendEvents: (events: readonly RecordedEvent[]) => void;

  private constructor(private readonly db: Database.Database) {
    this.tree = new SqliteMerkleTree(db);
    this.appendEvents = db.transaction((events: readonly RecordedEvent[]) => {
      let last = this.tree.lastPosition();
      for (const event of events) {
        const position = positionToJson(event.position);
        // A redelivery (a resubscription from an earlier checkpoint) is already in the tree.
        if (position <= last) continue;
        this.tree.appendEvent(position, event.id, event.metadata);
        last = position;
      }
    });
  }

  /** `file` or `:memory:`; NORMAL durability: whatever a power loss rolls back is re-read from the log. */
  static open(file: string): SqliteLogTreeStore {
    const db = openDataFile(file, DATA_FILES.logTree);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      createMerkleTables(db);
      return new SqliteLogTreeStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The checkpoints signed by this replica, beside its tree. */
  get checkpoints(): CheckpointStore {
    return sqliteCheckpointStore(this.db);
  }

  get logTree(): LogTree {
    return logTreeOf(() => this.tree);
  }

  /** Appends the events the log holds past the tree's last leaf, a page per transaction. */
  async catchUp(store: EventStore, onProgress?: (leaves: number) => void): Promise<number> {
    for (;;) {
      const last = this.tree.lastPosition();
      const events = await store.readAll({
        ...(last > 0 && { fromPosition: positionFromJson(last) }),
        maxCount: PAGE,
      });
      if (events.length === 0) return this.tree.size();
      this.appendEvents(events);
      onProgress?.(this.tree.size());
    }
  }

  /** Catches up, then follows the log's appends as they come until the subscription is closed. */
  async follow(store: EventStore, onError: (error: unknown) => void): Promise<Subscription> {
    await this.catchUp(store);
    const last = this.tree.lastPosition();
    return store.subscribeToAll({
      ...(last > 0 && { fromPosition: positionFromJson(last) }),
      onEvent: (event) => {
        this.appendEvents([event]);
      },
      onError,
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
