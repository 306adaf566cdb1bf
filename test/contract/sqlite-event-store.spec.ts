import { positionToJson } from '../../src/event-sourcing/ports/event-store.port.js';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import {
  WrongExpectedRevisionError,
  type RecordedEvent,
} from '../../src/event-sourcing/ports/event-store.port.js';
import {
  collect,
  eventStoreContract,
  newEvent,
  newEvents,
  newStreamId,
} from './event-store.contract.js';
import { runNode } from '../support/run-process.js';
import { sleep, waitUntil } from '../support/wait.js';

const tempDirs: string[] = [];

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-event-store-'));
  tempDirs.push(dir);
  return join(dir, 'events.db');
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

eventStoreContract('sqlite', async () => {
  const file = await tempFile();
  const store = SqliteEventStore.open(file);
  return {
    store,
    openSecond: () => Promise.resolve(SqliteEventStore.open(file)),
    cleanup: () => store.close(),
  };
});

describe('SqliteEventStore', () => {
  let store: SqliteEventStore;

  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
  });

  afterEach(async () => {
    await store.close();
  });

  describe('connection settings', () => {
    const pragma = (target: SqliteEventStore, name: string): unknown =>
      (Reflect.get(target, 'db') as Database.Database).pragma(name, { simple: true });

    it('uses WAL, synchronous FULL by default and a busy timeout', async () => {
      const fileStore = SqliteEventStore.open(await tempFile(), { groupCommit: false });
      try {
        expect(pragma(fileStore, 'journal_mode')).toBe('wal');
        expect(pragma(fileStore, 'synchronous')).toBe(2);
        expect(pragma(fileStore, 'busy_timeout')).toBe(5000);
      } finally {
        await fileStore.close();
      }
    });

    it('with group commit, commits at NORMAL and fsyncs each group itself (FULL off the thread)', async () => {
      const fileStore = SqliteEventStore.open(await tempFile());
      try {
        // The fsync FULL would run inside the COMMIT runs in the thread pool instead
        // (WalSync); sqlite-group-commit.spec.ts checks nothing is answered before it.
        expect(pragma(fileStore, 'synchronous')).toBe(1);
      } finally {
        await fileStore.close();
      }
    });

    it('uses synchronous NORMAL when asked', async () => {
      const fileStore = SqliteEventStore.open(await tempFile(), { synchronous: 'NORMAL' });
      try {
        expect(pragma(fileStore, 'synchronous')).toBe(1);
      } finally {
        await fileStore.close();
      }
    });
  });

  describe('appendToStream', () => {
    it('treats a retry as a no-op even after the stream moved on', async () => {
      const streamId = newStreamId();
      const events = newEvents(2);
      const original = await store.appendToStream(streamId, events, 'no_stream');
      await store.appendToStream(streamId, newEvents(3), 1);

      expect(await store.appendToStream(streamId, events, 'no_stream')).toEqual(original);
      expect(await collect(store.readStream(streamId))).toHaveLength(5);
    });

    it('refuses ids already stored out of order, in part, or in another stream', async () => {
      const streamId = newStreamId();
      const [a, b, c] = [newEvent(), newEvent(), newEvent()];
      await store.appendToStream(streamId, [a, b], 'no_stream');
      const head = await store.headPosition();

      await expect(store.appendToStream(streamId, [b, a], 'any')).rejects.toThrow(/already stored/);
      await expect(store.appendToStream(streamId, [a, b, c], 'any')).rejects.toThrow(
        /already stored/,
      );
      await expect(store.appendToStream(streamId, [c, a], 'any')).rejects.toThrow(/already stored/);
      await expect(store.appendToStream(newStreamId(), [a, b], 'any')).rejects.toThrow(
        /already stored/,
      );
      expect(await store.headPosition()).toBe(head);
    });

    it('refuses an append repeating an id', async () => {
      const event = newEvent();
      await expect(store.appendToStream(newStreamId(), [event, event], 'any')).rejects.toThrow(
        /distinct ids/,
      );
      expect(await store.headPosition()).toBe(0);
    });

    it('treats -1 as the revision of a stream without events', async () => {
      const streamId = newStreamId();
      expect((await store.appendToStream(streamId, [newEvent()], -1)).nextExpectedRevision).toBe(0);
      await expect(store.appendToStream(streamId, [newEvent()], -1)).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
    });

    it('writes nothing for an empty append but still checks the revision', async () => {
      const existing = newStreamId();
      const appended = await store.appendToStream(existing, newEvents(2), 'no_stream');
      await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
      const head = await store.headPosition();

      expect(await store.appendToStream(newStreamId(), [], 'no_stream')).toEqual({
        nextExpectedRevision: -1,
        position: head,
      });
      expect(await store.appendToStream(existing, [], 1)).toEqual(appended);
      await expect(store.appendToStream(existing, [], 0)).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect(await store.headPosition()).toBe(head);
    });
  });

  it('reads a stream longer than one page in both directions', async () => {
    const streamId = newStreamId();
    const total = 1203;
    for (let start = 0; start < total; start += 400) {
      const count = Math.min(400, total - start);
      await store.appendToStream(streamId, newEvents(count), start === 0 ? 'no_stream' : start - 1);
    }
    const revisions = async (options: Parameters<SqliteEventStore['readStream']>[1]) =>
      (await collect(store.readStream(streamId, options))).map((event) => event.revision);
    const range = (from: number, count: number, step = 1) =>
      Array.from({ length: count }, (_, index) => from + index * step);

    expect(await revisions({})).toEqual(range(0, total));
    expect(await revisions({ direction: 'backwards' })).toEqual(range(total - 1, total, -1));
    expect(await revisions({ fromRevision: 100, maxCount: 700 })).toEqual(range(100, 700));
    expect(await revisions({ fromRevision: 1100, direction: 'backwards', maxCount: 501 })).toEqual(
      range(1100, 501, -1),
    );
  });

  describe('subscribeToAll', () => {
    it('is woken at once by an append through the same instance', async () => {
      const slowPoller = SqliteEventStore.open(':memory:', { pollIntervalMs: 60_000 });
      const received: RecordedEvent[] = [];
      const subscription = slowPoller.subscribeToAll({
        onEvent: (event) => void received.push(event),
      });
      try {
        await sleep(20);
        await slowPoller.appendToStream(newStreamId(), [newEvent()], 'no_stream');
        await waitUntil('1 event received', () => received.length === 1, 1000);
      } finally {
        await subscription.close();
        await slowPoller.close();
      }
    });

    it('stops at the event whose handler fails and reports the error', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, newEvents(3), 'no_stream');
      const delivered: number[] = [];
      const errors: unknown[] = [];
      const failure = new Error('projection failed');
      const subscription = store.subscribeToAll({
        onEvent: (event) => {
          if (event.revision === 1) throw failure;
          delivered.push(event.revision);
        },
        onError: (error) => errors.push(error),
      });
      await waitUntil('1 error reported', () => errors.length === 1);
      await store.appendToStream(streamId, [newEvent()], 2);
      await sleep(50);
      await subscription.close();

      expect(errors).toEqual([failure]);
      expect(delivered).toEqual([0]);
    });

    it('can be closed from inside its own handler', async () => {
      await store.appendToStream(newStreamId(), newEvents(3), 'no_stream');
      const delivered: RecordedEvent[] = [];
      let closing: Promise<void> | undefined;
      const subscription = store.subscribeToAll({
        onEvent: (event) => {
          delivered.push(event);
          closing = subscription.close();
        },
      });
      await waitUntil('the subscription closing', () => closing !== undefined);
      await closing;
      await sleep(20);
      expect(delivered).toHaveLength(1);
    });

    it('is closed with the store', async () => {
      const own = SqliteEventStore.open(':memory:');
      const received: RecordedEvent[] = [];
      own.subscribeToAll({ onEvent: (event) => void received.push(event) });
      await own.appendToStream(newStreamId(), [newEvent()], 'no_stream');
      await waitUntil('1 event received', () => received.length === 1);
      await own.close();
      await expect(own.appendToStream(newStreamId(), [newEvent()], 'any')).rejects.toThrow();
    });
  });
});

describe('SqliteEventStore batches (one transaction for many appends, for the seed)', () => {
  let file: string;
  let store: SqliteEventStore;
  let other: SqliteEventStore;

  beforeEach(async () => {
    file = await tempFile();
    store = SqliteEventStore.open(file);
    other = SqliteEventStore.open(file);
  });

  afterEach(async () => {
    await store.close();
    await other.close();
  });

  const revisions = async (target: SqliteEventStore, streamId: string): Promise<number[]> =>
    (await collect(target.readStream(streamId))).map((event) => event.revision);

  it('shows the appends of a batch to its own reads, to other connections once committed', async () => {
    const streamId = newStreamId();
    store.beginBatch();
    expect(store.batchOpen).toBe(true);
    await store.appendToStream(streamId, newEvents(2), 'no_stream');
    await store.appendToStream(streamId, [newEvent()], 1);
    expect(await revisions(store, streamId)).toEqual([0, 1, 2]);
    expect(await store.headPosition()).toBe(3);
    expect(await revisions(other, streamId)).toEqual([]);
    expect(await other.headPosition()).toBe(0);

    store.commitBatch();
    expect(store.batchOpen).toBe(false);
    expect(await revisions(other, streamId)).toEqual([0, 1, 2]);
  });

  it('still checks each append: a refused one writes nothing and the batch goes on', async () => {
    const streamId = newStreamId();
    const first = newEvents(2);
    store.beginBatch();
    await store.appendToStream(streamId, first, 'no_stream');
    await expect(store.appendToStream(streamId, [newEvent()], 0)).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    await expect(store.appendToStream(streamId, [newEvent()], 'no_stream')).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    const event = newEvent();
    await expect(store.appendToStream(newStreamId(), [event, event], 'any')).rejects.toThrow(
      /distinct ids/,
    );
    // A retry of an append of the batch is answered like outside a batch.
    expect(await store.appendToStream(streamId, first, 'no_stream')).toEqual({
      nextExpectedRevision: 1,
      position: 2,
    });
    await store.appendToStream(streamId, [newEvent()], 1);
    store.commitBatch();
    expect(await revisions(other, streamId)).toEqual([0, 1, 2]);
    expect(await other.headPosition()).toBe(3);
  });

  it('drops everything a rolled-back batch appended, and knows the streams as they are again', async () => {
    const streamId = newStreamId();
    await store.appendToStream(streamId, [newEvent()], 'no_stream');
    store.beginBatch();
    await store.appendToStream(streamId, newEvents(2), 0);
    await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
    store.rollbackBatch();

    expect(await revisions(store, streamId)).toEqual([0]);
    expect(await store.headPosition()).toBe(1);
    store.beginBatch();
    await expect(store.appendToStream(streamId, [newEvent()], 2)).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect((await store.appendToStream(streamId, [newEvent()], 0)).nextExpectedRevision).toBe(1);
    store.commitBatch();
    expect(await revisions(other, streamId)).toEqual([0, 1]);
  });

  it('drops a batch still open when the store is closed, as a crash would', async () => {
    const streamId = newStreamId();
    store.beginBatch();
    await store.appendToStream(streamId, newEvents(3), 'no_stream');
    await store.close();
    expect(await other.headPosition()).toBe(0);
    store = SqliteEventStore.open(file);
    expect(await revisions(store, streamId)).toEqual([]);
  });

  it('sees what another connection wrote between two batches', async () => {
    const streamId = newStreamId();
    store.beginBatch();
    await store.appendToStream(streamId, [newEvent()], 'no_stream');
    expect(await revisions(store, streamId)).toEqual([0]);
    store.commitBatch();

    await other.appendToStream(streamId, [newEvent()], 0);

    store.beginBatch();
    expect((await collect(store.readStream(streamId, { fromRevision: 1 }))).length).toBe(1);
    await expect(store.appendToStream(streamId, [newEvent()], 0)).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect((await store.appendToStream(streamId, [newEvent()], 1)).nextExpectedRevision).toBe(2);
    store.commitBatch();
  });

  it('sees what it appended itself outside a batch between two batches', async () => {
    const streamId = newStreamId();
    store.beginBatch();
    await store.appendToStream(streamId, [newEvent()], 'no_stream');
    store.commitBatch();
    await store.appendToStream(streamId, [newEvent()], 0);

    store.beginBatch();
    await expect(store.appendToStream(streamId, [newEvent()], 0)).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect((await collect(store.readStream(streamId, { fromRevision: 1 }))).length).toBe(1);
    store.commitBatch();
  });

  it('keeps other connections from writing while a batch is open', () => {
    const quick = new Database(file, { timeout: 50 });
    try {
      store.beginBatch();
      expect(() =>
        quick
          .prepare(
            "INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES ('x', 's', 0, 't', '{}', '{}')",
          )
          .run(),
      ).toThrow(/locked|busy/i);
      store.commitBatch();
    } finally {
      quick.close();
    }
  });

  it('opens no batch beside subscriptions, nor subscriptions during a batch', async () => {
    const subscription = store.subscribeToAll({ onEvent: () => undefined });
    expect(() => {
      store.beginBatch();
    }).toThrow(/subscriptions/);
    await subscription.close();
    store.beginBatch();
    expect(() => store.subscribeToAll({ onEvent: () => undefined })).toThrow(/batch/);
    expect(() => {
      store.beginBatch();
    }).toThrow(/already open/);
    store.commitBatch();
    expect(() => {
      store.commitBatch();
    }).toThrow(/No batch/);
    expect(() => {
      store.rollbackBatch();
    }).toThrow(/No batch/);
  });
});

describe('SqliteEventStore on a shared file', () => {
  it('keeps every event across reopening, and never reuses a position', async () => {
    const file = await tempFile();
    const streamId = newStreamId();
    const first = SqliteEventStore.open(file);
    await first.appendToStream(streamId, newEvents(3), 'no_stream');
    const highest = await first.headPosition();
    await first.close();

    const raw = new Database(file);
    raw.prepare('DELETE FROM events WHERE position = ?').run(highest);
    raw.close();

    const reopened = SqliteEventStore.open(file);
    try {
      expect((await collect(reopened.readStream(streamId))).map((e) => e.revision)).toEqual([0, 1]);
      const result = await reopened.appendToStream(streamId, [newEvent()], 1);
      expect(positionToJson(result.position)).toBeGreaterThan(positionToJson(highest));
    } finally {
      await reopened.close();
    }
  });

  it('lets a subscription see appends made through another connection', async () => {
    const file = await tempFile();
    const reader = SqliteEventStore.open(file, { pollIntervalMs: 20 });
    const writer = SqliteEventStore.open(file);
    const streamId = newStreamId();
    const received: RecordedEvent[] = [];
    const subscription = reader.subscribeToAll({ onEvent: (event) => void received.push(event) });
    try {
      await writer.appendToStream(streamId, newEvents(2), 'no_stream');
      await waitUntil('2 events received', () => received.length === 2);
      await writer.appendToStream(streamId, [newEvent()], 1);
      await waitUntil('3 events received', () => received.length === 3);
      expect(received.map((event) => event.revision)).toEqual([0, 1, 2]);
    } finally {
      await subscription.close();
      await reader.close();
      await writer.close();
    }
  });

  it('lets exactly one of several racing processes win each revision', async () => {
    const compiledAdapter = fileURLToPath(
      new URL('../../dist/src/adapters/sqlite/sqlite-event-store.js', import.meta.url),
    );
    if (!existsSync(compiledAdapter)) {
      throw new Error(`${compiledAdapter} is missing: run npm run build first`);
    }
    const script = fileURLToPath(new URL('./fixtures/race-writer.mjs', import.meta.url));
    const file = await tempFile();
    await SqliteEventStore.open(file).close(); // creates the schema before the writers race
    const streamId = newStreamId();
    const writers = 4;
    const attempts = 40;
    const startAt = String(Date.now() + 1500);

    const reports = await Promise.all(
      Array.from({ length: writers }, (_, index) =>
        raceWriter(script, [file, streamId, String(attempts), `writer-${String(index)}`, startAt]),
      ),
    );
    const results = reports.map((output) => JSON.parse(output) as RaceReport);

    const store = SqliteEventStore.open(file);
    try {
      const events = await collect(store.readStream(streamId));
      const wins = results.reduce((sum, result) => sum + result.wins, 0);
      const conflicts = results.reduce((sum, result) => sum + result.conflicts, 0);
      expect(wins + conflicts).toBe(writers * attempts);
      expect(conflicts).toBeGreaterThan(0);
      expect(events).toHaveLength(wins);
      expect(events.map((event) => event.revision)).toEqual(events.map((_, index) => index));
      const ids = events.map((event) => event.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(results.flatMap((result) => result.wonIds)));
    } finally {
      await store.close();
    }
  }, 60_000);
});

interface RaceReport {
  readonly writer: string;
  readonly wins: number;
  readonly conflicts: number;
  readonly wonIds: readonly string[];
}

/** A race writer's report (its stdout), or its failure. */
async function raceWriter(script: string, args: readonly string[]): Promise<string> {
  const { code, stdout, stderr } = await runNode(script, args, { NODE_OPTIONS: '' });
  if (code !== 0) throw new Error(`race writer exited with ${String(code)}: ${stderr}`);
  return stdout;
}
