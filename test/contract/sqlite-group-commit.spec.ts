import { LOG_START } from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * Group commit of the SQLite event store and personal-data vault (the server's write path):
 * appends made while a commit is pending share one transaction and one flush, each in a
 * savepoint of its own, and each is answered only once the group committed.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { jest } from '@jest/globals';
import { WalSync } from '../../src/adapters/sqlite/wal-sync.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqlitePersonalDataVault } from '../../src/adapters/sqlite/sqlite-personal-data-vault.js';
import { testKek } from '../support/personal-data-kek.js';
import {
  WrongExpectedRevisionError,
  type NewEvent,
} from '../../src/event-sourcing/ports/event-store.port.js';
import type { EncryptedContact } from '../../src/organizations/domain/organization.types.js';
import { collect, newEvent, newEvents, newStreamId } from './event-store.contract.js';

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'group-commit-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

describe('SqliteEventStore group commit', () => {
  let file: string;
  let store: SqliteEventStore;
  /** Another connection to the same file: sees only what was committed. */
  let outside: Database.Database;
  const countOutside = (): number =>
    outside.prepare<[], number>('SELECT COUNT(*) FROM events').pluck().get() ?? 0;

  beforeEach(async () => {
    file = join(await tempDir(), 'events.sqlite');
    store = SqliteEventStore.open(file);
    outside = new Database(file, { readonly: true });
  });

  afterEach(async () => {
    outside.close();
    await store.close();
  });

  it('commits appends to many streams made over several turns together, and keeps them all', async () => {
    // Five waves of ten appends, each wave a turn of the event loop after the one before.
    const appends: Array<Promise<unknown>> = [];
    const streams: string[] = [];
    /** What another connection sees at each turn while the appends are pending. */
    const seen = new Set<number>();
    /** Whether another connection already saw an append when its promise resolved. */
    const visibleWhenAnswered: boolean[] = [];
    const polling = { on: true };
    const poll = (async () => {
      while (polling.on) {
        seen.add(countOutside());
        await nextTurn();
      }
    })();
    for (let wave = 0; wave < 5; wave++) {
      for (let i = 0; i < 10; i++) {
        const streamId = newStreamId();
        streams.push(streamId);
        const event = newEvent();
        appends.push(
          store.appendToStream(streamId, [event], 'no_stream').then((result) => {
            const row = outside.prepare('SELECT 1 FROM events WHERE id = ?').get(event.id);
            visibleWhenAnswered.push(row !== undefined);
            return result;
          }),
        );
      }
      await nextTurn();
    }
    const results = await Promise.all(appends);
    polling.on = false;
    await poll;

    // One transaction: another connection never saw some of them without the others.
    expect([...seen].filter((count) => count !== 0 && count !== 50)).toEqual([]);
    expect(visibleWhenAnswered).toEqual(Array.from({ length: 50 }, () => true));
    expect(results).toHaveLength(50);
    await store.close();
    store = SqliteEventStore.open(file);
    for (const streamId of streams)
      expect(await collect(store.readStream(streamId))).toHaveLength(1);
  });

  it('lets exactly one of concurrent appends at the same revision win, the others conflict', async () => {
    const streamId = newStreamId();
    await store.appendToStream(streamId, [newEvent()], 'no_stream');
    const batches = Array.from({ length: 6 }, () => newEvents(2));
    const outcomes = await Promise.allSettled(
      batches.map((events) => store.appendToStream(streamId, events, 0)),
    );

    const winners = outcomes.flatMap((outcome, index) =>
      outcome.status === 'fulfilled' ? [index] : [],
    );
    const losers = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(5);
    for (const loser of losers) expect(loser).toBeInstanceOf(WrongExpectedRevisionError);
    const stored = (await collect(store.readStream(streamId))).slice(1);
    const winner = batches[winners[0] ?? -1] ?? [];
    expect(stored.map((event) => event.id)).toEqual(winner.map((event) => event.id));
    expect(stored.map((event) => event.revision)).toEqual([1, 2]);
  });

  it('answers a retry in the same group as the first try, storing the events once', async () => {
    const streamId = newStreamId();
    const events = newEvents(3);
    const [first, retry] = await Promise.all([
      store.appendToStream(streamId, events, 'no_stream'),
      store.appendToStream(streamId, events, 'no_stream'),
    ]);
    expect(retry).toEqual(first);
    expect(await collect(store.readStream(streamId))).toHaveLength(3);
  });

  it('fails only the append that fails, not the others of its group', async () => {
    const taken = newEvent();
    await store.appendToStream(newStreamId(), [taken], 'no_stream');
    const good = [newStreamId(), newStreamId(), newStreamId()];
    const existing = newStreamId();
    await store.appendToStream(existing, [newEvent()], 'no_stream');
    const before = countOutside();

    const outcomes = await Promise.allSettled([
      store.appendToStream(good[0] ?? '', newEvents(2), 'no_stream'),
      // An id already stored in another stream: refused.
      store.appendToStream(newStreamId(), [newEvent(), taken], 'no_stream'),
      store.appendToStream(good[1] ?? '', newEvents(2), 'no_stream'),
      // A stream that exists, expected not to.
      store.appendToStream(existing, newEvents(2), 'no_stream'),
      // Not JSON: fails half way through its events.
      store.appendToStream(newStreamId(), [newEvent(), notJson()], 'no_stream'),
      store.appendToStream(good[2] ?? '', newEvents(2), 'no_stream'),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(outcomes[3]).toEqual(
      expect.objectContaining({ reason: expect.any(WrongExpectedRevisionError) }),
    );
    // Exactly the three good appends were written, two events each, nothing of the others.
    expect(countOutside() - before).toBe(6);
    for (const streamId of good) expect(await collect(store.readStream(streamId))).toHaveLength(2);
  });

  it('does not show a pending append to reads until it is committed', async () => {
    const streamId = newStreamId();
    const appending = store.appendToStream(streamId, [newEvent()], 'no_stream');
    // The append ran in the open group, which has not committed yet.
    expect(countOutside()).toBe(0);
    expect(await collect(store.readStream(streamId))).toEqual([]);
    expect(await store.headPosition()).toBe(0);
    await appending;
    expect(await collect(store.readStream(streamId))).toHaveLength(1);
    expect(await store.headPosition()).toBe(1);
  });

  it('answers an append, and shows it to reads and subscriptions, only once its fsync is done', async () => {
    // The group's fsync (WalSync, in the thread pool) is held back until released.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The real sync, to run once released (taken before the spy replaces it).
    const realSync = Object.getOwnPropertyDescriptor(WalSync.prototype, 'sync')?.value as (
      this: WalSync,
    ) => Promise<void>;
    const sync = jest.spyOn(WalSync.prototype, 'sync').mockImplementation(function (this: WalSync) {
      return held.then(() => realSync.call(this));
    });
    const seen: string[] = [];
    const subscription = store.subscribeToAll({
      fromPosition: LOG_START,
      onEvent: (event) => {
        seen.push(event.streamId);
      },
    });
    try {
      const streamId = newStreamId();
      let answered = false;
      const appending = store.appendToStream(streamId, [newEvent()], 'no_stream').then((result) => {
        answered = true;
        return result;
      });
      // Committed (another connection sees it) but not yet durable.
      for (let turn = 0; turn < 50 && countOutside() === 0; turn++) await nextTurn();
      expect(countOutside()).toBe(1);
      let headRead = false;
      const head = store.headPosition().then((position) => {
        headRead = true;
        return position;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect({ answered, headRead, seen }).toEqual({ answered: false, headRead: false, seen: [] });

      release();
      await expect(appending).resolves.toEqual({ nextExpectedRevision: 0, position: 1 });
      await expect(head).resolves.toBe(1);
      for (let turn = 0; turn < 50 && seen.length === 0; turn++) await nextTurn();
      expect(seen).toEqual([streamId]);
      expect(sync).toHaveBeenCalled();
    } finally {
      release();
      sync.mockRestore();
      await subscription.close();
    }
  });

  it('waits for the lock another store on the same file holds, without blocking its commit', async () => {
    const second = SqliteEventStore.open(file);
    try {
      const streamId = newStreamId();
      const started = Date.now();
      const [a, b] = await Promise.all([
        store.appendToStream(streamId, [newEvent()], 'no_stream'),
        second.appendToStream(streamId, [newEvent()], 'any'),
      ]);
      expect([a.nextExpectedRevision, b.nextExpectedRevision]).toEqual([0, 1]);
      // Far below the 5 s busy timeout a blocking wait would have run into.
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await second.close();
    }
  });

  it('commits a pending group on close', async () => {
    const streamId = newStreamId();
    const appending = store.appendToStream(streamId, [newEvent()], 'no_stream');
    await store.close();
    await expect(appending).resolves.toEqual({ nextExpectedRevision: 0, position: 1 });
    store = SqliteEventStore.open(file);
    expect(await collect(store.readStream(streamId))).toHaveLength(1);
  });
});

describe('SqlitePersonalDataVault group commit', () => {
  it('hands out a key only once it is committed, one key per organization in a group', async () => {
    const file = join(await tempDir(), 'keys.sqlite');
    const vault = SqlitePersonalDataVault.open(file, testKek());
    const outside = new Database(file, { readonly: true });
    const committed = (organizationId: string): boolean =>
      outside
        .prepare('SELECT 1 FROM organization_keys WHERE organization_id = ?')
        .get(organizationId) !== undefined;
    try {
      const contact = { name: '王阿姨', phone: '13812345678' };
      const orgs = ['a', 'b', 'c', 'a'];
      const sealed = await Promise.all(
        orgs.map((org) =>
          vault.encrypt(org, contact).then((result) => ({ result, committed: committed(org) })),
        ),
      );
      expect(sealed.map((s) => s.committed)).toEqual([true, true, true, true]);
      // The second contact of `a` in the same group found the first one's key.
      expect(sealed.map((s) => s.result.keyVersion)).toEqual([1, 1, 1, 1]);
      for (const [index, org] of orgs.entries()) {
        expect(await vault.decrypt(org, sealed[index]?.result as EncryptedContact)).toEqual(
          contact,
        );
      }
    } finally {
      outside.close();
      await vault.close();
    }
  });
});

describe('group commit and a killed process', () => {
  it('never loses an acknowledged append nor its key, nor keeps half of one', async () => {
    const compiled = fileURLToPath(
      new URL('../../dist/src/adapters/sqlite/sqlite-event-store.js', import.meta.url),
    );
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first`);
    const script = fileURLToPath(new URL('./fixtures/group-commit-writer.mjs', import.meta.url));

    for (const killAfter of [150, 400]) {
      const dir = await tempDir();
      const acked = await runUntilKilled(script, dir, killAfter);
      expect(acked.length).toBeGreaterThanOrEqual(killAfter);

      const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
      const vault = SqlitePersonalDataVault.open(join(dir, 'keys.sqlite'), testKek());
      try {
        const all = await store.readAll({ fromPosition: LOG_START, maxCount: 1_000_000 });
        const byStream = new Map<string, number>();
        for (const event of all)
          byStream.set(event.streamId, (byStream.get(event.streamId) ?? 0) + 1);
        // Nothing half written: every stream has both events of its append.
        expect([...byStream.values()].filter((count) => count !== 2)).toEqual([]);
        // Every acknowledged append is there, and its contact can still be read.
        const missing = acked.filter((streamId) => !byStream.has(streamId));
        expect({ missing }).toEqual({ missing: [] });
        let unreadable = 0;
        for (const event of all) {
          if (event.type !== 'Registered') continue;
          const data = event.data as { organizationId: string; contact: EncryptedContact };
          const contact = await vault.decrypt(data.organizationId, data.contact);
          if (contact === 'erased') unreadable++;
        }
        expect(unreadable).toBe(0);
      } finally {
        await store.close();
        await vault.close();
      }
    }
  }, 60_000);
});

/** Runs the writer until `killAfter` acknowledgements, kills it, answers the streams acked. */
function runUntilKilled(script: string, dir: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir, '16'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let buffer = '';
    let stderr = '';
    const acked: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [word, streamId] = line.split(' ');
        if (word === 'ack' && streamId) acked.push(streamId);
      }
      if (acked.length >= killAfter) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`the writer ended by itself (${String(signal)}): ${stderr}`));
    });
  });
}

/** An event whose data cannot be stored as JSON. */
function notJson(): NewEvent {
  return { id: randomUUID(), type: 'Bad', data: 10n, metadata: {} };
}
