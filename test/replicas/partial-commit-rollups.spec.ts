/**
 * A unit of work the MongoDB read store wrote only in part. MongoReadStore.commit has no
 * transaction: it writes the unit's collections one after the other, then the checkpoints. A crash (SIGKILL of the leader, as in lease-takeover.spec.ts) or an error of one
 * collection's bulkWrite can leave the documents written and their rollups not, the checkpoint
 * unmoved. Its comment says projections tolerate that because each document remembers the last
 * position applied to it. For documents, yes; but rollup deltas are computed from a document's
 * change, so the replay, which skips the events the document already applied, never produces
 * them: the counters stay short for good (statistics `place:*` totals, funding totals).
 *
 * Simulated deterministically over SQLite stores: the first commit writes only the documents'
 * collection and fails, as MongoReadStore.commit can; then the catch-up runs again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import type { ReadStore, UnitOfWork } from '../../src/event-sourcing/ports/read-store.port.js';
import { catchUp } from '../../src/event-sourcing/projection/catch-up.js';
import { ensureTarget, targetFor } from '../../src/event-sourcing/projection/projection-catalog.js';
import { appendTicks, ticks } from './ticks.js';

const target = targetFor(ticks, 1);

/** Writes only the puts of `keep` (no other collection, no checkpoint), then fails. */
function partialCommit(store: ReadStore, keep: string): ReadStore {
  let failed = false;
  return new Proxy(store, {
    get(inner, property, receiver) {
      if (property !== 'commit' || failed) return Reflect.get(inner, property, receiver) as unknown;
      return async (unit: UnitOfWork): Promise<void> => {
        failed = true;
        await inner.commit({ puts: (unit.puts ?? []).filter((p) => p.collection === keep) });
        throw new Error('the other collection’s bulkWrite failed (or the process was killed)');
      };
    },
  });
}

describe('a unit of work written in part (MongoDB read store, no transaction)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partial-commit-'));
    events = SqliteEventStore.open(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
    store = SqliteReadStore.open(join(dir, 'read.sqlite'), { synchronous: 'NORMAL' });
    await ensureTarget(store, target);
    await appendTicks(events, 20, 4);
  });

  afterEach(async () => {
    await store.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function crashThenResume(keep: string): Promise<void> {
    await expect(
      catchUp(events, partialCommit(store, keep), [target], { batchSize: 10 }),
    ).rejects.toThrow('bulkWrite failed');
    expect(await store.checkpoint(target.collection)).toBe(0);
    expect(await catchUp(events, store, [target], { batchSize: 10 })).toBe(20);
  }

  const documents = async (): Promise<number> =>
    (await store.find(target.collection)).reduce((sum, d) => sum + (d['n'] as number), 0);
  const rolledUp = async (): Promise<unknown> =>
    (await store.get(target.rollupCollection, 'all'))?.['counts'];

  it('rollups written, documents not: the replay repairs the documents, counts stay right', async () => {
    await crashThenResume(target.rollupCollection);
    expect(await documents()).toBe(20);
    expect(await rolledUp()).toEqual({ ticks: 20 });
  });

  it('cannot leave documents written and rollups not: a batch lists its rollups first', async () => {
    // The MongoDB adapter writes a unit's collections one after the other in the order the unit
    // names them, so a crash can only leave a prefix written: the rollups, as in the test above.
    const seen: string[] = [];
    const recording = new Proxy(store, {
      get(inner, property, receiver) {
        if (property !== 'commit') return Reflect.get(inner, property, receiver) as unknown;
        return async (unit: UnitOfWork): Promise<void> => {
          for (const put of unit.puts ?? [])
            if (!seen.includes(put.collection)) seen.push(put.collection);
          await inner.commit(unit);
        };
      },
    });
    expect(await catchUp(events, recording, [target], { batchSize: 10 })).toBe(20);
    expect(seen).toEqual([target.rollupCollection, target.collection]);
    expect(await rolledUp()).toEqual({ ticks: 20 });
  });
});
