/**
 * Fenced leases (issue #17 item 5): a leader paused past its lease (the store sees nothing of it
 * while it is frozen, as under SIGSTOP; its renewal timer's writes wait too), another replica
 * takes the lease over under a greater generation and carries on, then the first wakes up with
 * its batch in flight. Its late batch is refused (LeaseLostError), it steps down without an
 * error, and nothing is counted twice in the read models or published twice.
 *
 * On SQLite (two connections to one file) and on the MongoDB-wire server at MONGODB_URL (two
 * clients of one database; expiry judged by the server's clock). Real time, short leases.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { MongoReadStore } from '../../src/adapters/mongodb/mongodb-read-store.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import { positionToJson } from '../../src/event-sourcing/ports/event-store.port.js';
import { LeaseLostError } from '../../src/event-sourcing/ports/lease-fence.js';
import type { OutgoingMessage, Publisher } from '../../src/event-sourcing/ports/publisher.port.js';
import type { ReadStore } from '../../src/event-sourcing/ports/read-store.port.js';
import { ProjectionRunner } from '../../src/event-sourcing/projection/projection-runner.js';
import type { LeaseChange } from '../../src/event-sourcing/workers/leased-worker.js';
import { GATEWAY_CHECKPOINT, KafkaGateway } from '../../src/gateway/kafka-gateway.js';
import { describeWithServer } from '../support/servers.js';
import { waitUntil } from '../support/wait.js';
import { appendTicks, ticks } from './ticks.js';

const COLLECTION = 'ticks_v1_g1';
const LEASE_MS = 600;
const STREAMS = 5;

/**
 * A replica's view of the read store that can be frozen: once `freezeAfterCommits` commits went
 * through, every later call waits until `thaw()` (then goes through in the order it was made).
 * Counts the commits refused as fenced.
 */
class Freezer {
  freezeAfterCommits = Number.POSITIVE_INFINITY;
  commits = 0;
  refused = 0;
  /** Calls waiting while frozen. */
  held = 0;
  private thawed = false;
  private release: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  wrap(inner: ReadStore): ReadStore {
    return new Proxy(inner, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]): Promise<unknown> => {
          if (!this.thawed && this.commits >= this.freezeAfterCommits) {
            this.held++;
            await this.gate;
          }
          try {
            const result: unknown = await (value as (...a: unknown[]) => unknown).apply(
              target,
              args,
            );
            if (property === 'commit') this.commits++;
            return result;
          } catch (error) {
            if (property === 'commit' && error instanceof LeaseLostError) this.refused++;
            throw error;
          }
        };
      },
    });
  }

  thaw(): void {
    this.thawed = true;
    this.release();
  }
}

/** A publisher that notes every message it acknowledged. */
class RecordingPublisher implements Publisher {
  readonly published: Array<{ replica: string; id: string }> = [];
  constructor(private readonly replica: string) {}
  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    for (const message of messages)
      this.published.push({ replica: this.replica, id: message.headers.ce_id ?? '' });
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Backend {
  /** Two replicas' connections to one read store, and how to remove it afterwards. */
  open(): Promise<{ a: ReadStore; b: ReadStore; cleanup: () => Promise<void> }>;
}

function fencedLeaseSuite(backend: Backend): void {
  let dir: string;
  let events: SqliteEventStore;
  let a: ReadStore;
  let b: ReadStore;
  let cleanup: () => Promise<void>;
  let changes: string[];
  let errors: string[];
  const stops: Array<() => Promise<void>> = [];
  const freezers: Freezer[] = [];
  const freezer = (): Freezer => {
    const made = new Freezer();
    freezers.push(made);
    return made;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fenced-lease-'));
    events = SqliteEventStore.open(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
    ({ a, b, cleanup } = await backend.open());
    changes = [];
    errors = [];
  });

  afterEach(async () => {
    // A test that failed while a replica was frozen must still let it stop.
    for (const frozen of freezers.splice(0)) frozen.thaw();
    await Promise.all(stops.splice(0).map((stop) => stop()));
    await cleanup();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const onLeaseChange = (change: LeaseChange): void => {
    changes.push(`${change.replica} ${change.change} ${String(change.generation)}`);
  };
  const onError =
    (replica: string) =>
    (error: unknown): void => {
      errors.push(`${replica}: ${error instanceof Error ? error.message : String(error)}`);
    };

  it('refuses the late batch of a runner paused past its lease: nothing counted twice', async () => {
    await appendTicks(events, 60, STREAMS);
    const frozen = freezer();
    // Frozen after its catalog entry and first batch, in the middle of its second batch.
    frozen.freezeAfterCommits = 2;
    const runner = (replica: string, store: ReadStore): ProjectionRunner => {
      const r = new ProjectionRunner(
        events,
        store,
        [ticks],
        { now: () => new Date() },
        {
          replica,
          leaseMs: LEASE_MS,
          batchSize: 10,
          idleMs: 50,
          onError: onError(replica),
          onLeaseChange,
        },
      );
      stops.push(() => r.stop());
      return r;
    };
    const first = runner('a', frozen.wrap(a));
    first.start();
    await waitUntil('a frozen after a batch', () => frozen.held > 0, 10_000);
    expect(await b.checkpoint(COLLECTION)).toBe(10);

    const second = runner('b', b);
    second.start();
    await waitUntil(
      'b caught up',
      async () => positionToJson(await b.checkpoint(COLLECTION)) >= 60,
      15_000,
    );
    expect(second.status()[0]?.role).toBe('leader');

    frozen.thaw();
    await waitUntil('a refused and standing by', () => frozen.refused > 0, 10_000);
    await waitUntil('a standing by', () => first.status()[0]?.role === 'standby', 10_000);

    // The new leader goes on; the old one does not come back.
    await appendTicks(events, 20, STREAMS);
    await waitUntil(
      'b applied more',
      async () => positionToJson(await b.checkpoint(COLLECTION)) >= 80,
      15_000,
    );
    const rollup = await b.get(`${COLLECTION}_rollup`, 'all');
    expect(rollup?.['counts']).toEqual({ ticks: 80 });
    const tallies = await b.find(COLLECTION, { sort: [['id', 1]] });
    expect(tallies.map((t) => t['n'])).toEqual(Array.from({ length: STREAMS }, () => 16));
    expect(changes).toEqual(['a acquired 1', 'b acquired 2', 'a lost 1']);
    expect(errors).toEqual([]);
  }, 60_000);

  it('a gateway paused past its lease publishes nothing once another took over', async () => {
    const organization = randomUUID();
    const appendOrganizationEvents = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++)
        await events.appendToStream(
          `organization-${organization}`,
          [
            {
              id: randomUUID(),
              type: 'OrganizationDissolved',
              data: { organizationId: organization, reason: '测试', dissolvedOn: '2025-01-01' },
              metadata: { schemaVersion: 1, recordedAt: new Date().toISOString() },
            },
          ],
          'any',
        );
    };
    await appendOrganizationEvents(30);
    const frozen = freezer();
    // Frozen after its first checkpoint: before it publishes the second batch.
    frozen.freezeAfterCommits = 1;
    const gateway = (replica: string, store: ReadStore, publisher: Publisher): KafkaGateway => {
      const g = new KafkaGateway(events, store, publisher, {
        replica,
        leaseMs: LEASE_MS,
        batchSize: 5,
        idleMs: 50,
        onError: onError(replica),
        onLeaseChange,
      });
      stops.push(() => g.stop());
      return g;
    };
    const publisherA = new RecordingPublisher('a');
    const publisherB = new RecordingPublisher('b');
    const first = gateway('a', frozen.wrap(a), publisherA);
    first.start();
    await waitUntil('a frozen after a batch', () => frozen.held > 0, 10_000);
    expect(publisherA.published).toHaveLength(5);

    const second = gateway('b', b, publisherB);
    second.start();
    await waitUntil(
      'b published the rest',
      async () => positionToJson(await b.checkpoint(GATEWAY_CHECKPOINT)) >= 30,
      15_000,
    );

    frozen.thaw();
    await waitUntil('a standing by', () => first.status().role === 'standby', 10_000);
    await appendOrganizationEvents(5);
    await waitUntil(
      'b published more',
      async () => positionToJson(await b.checkpoint(GATEWAY_CHECKPOINT)) >= 35,
      15_000,
    );

    const published = [...publisherA.published, ...publisherB.published];
    const ids = published.map((p) => p.id);
    expect(new Set(ids).size).toBe(35);
    expect(ids).toHaveLength(35);
    expect(publisherA.published).toHaveLength(5);
    expect(changes).toEqual(['a acquired 1', 'b acquired 2', 'a lost 1']);
    expect(errors).toEqual([]);
  }, 60_000);
}

describe('fenced leases on SQLite', () => {
  fencedLeaseSuite({
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'fenced-lease-reads-'));
      const file = join(dir, 'read.sqlite');
      const a = SqliteReadStore.open(file, { synchronous: 'NORMAL' });
      const b = SqliteReadStore.open(file, { synchronous: 'NORMAL' });
      return Promise.resolve({
        a,
        b,
        cleanup: async () => {
          await a.close();
          await b.close();
          rmSync(dir, { recursive: true, force: true });
        },
      });
    },
  });
});

describeWithServer('mongodb', 'fenced leases on MongoDB', (url) => {
  fencedLeaseSuite({
    open: async () => {
      const name = `fenced_${randomUUID().slice(0, 8)}`;
      const a = await MongoReadStore.connect(url, name);
      const b = await MongoReadStore.connect(url, name);
      return {
        a,
        b,
        cleanup: async () => {
          await a.close();
          await b.close();
          const raw = new MongoClient(url);
          try {
            await raw.connect();
            await raw.db(name).dropDatabase();
          } finally {
            await raw.close();
          }
        },
      };
    },
  });
});
