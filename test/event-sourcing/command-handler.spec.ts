/**
 * The kernel's generic command handler with a tiny counter decider, on the SQLite event store in
 * memory: load, decide and append; a retry on a concurrent append; a pinned revision; an
 * idempotent replay and a reused key; the stream cache's eviction.
 */
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import type { Clock } from '../../src/event-sourcing/clock.js';
import type { CommandContext } from '../../src/event-sourcing/command-context.js';
import {
  CommandHandler,
  type CommandHandlerOptions,
} from '../../src/event-sourcing/commands/command-handler.js';
import { idempotentId } from '../../src/event-sourcing/commands/idempotency.js';
import { STREAM_ENTRY_BYTES } from '../../src/event-sourcing/commands/stream-cache.js';
import type { Decider } from '../../src/event-sourcing/decider.js';
import { DomainError, refuse } from '../../src/event-sourcing/domain-error.js';
import type { EventMetadata } from '../../src/event-sourcing/event-envelope.js';
import { eventHash, GENESIS_HASH } from '../../src/event-sourcing/hash-chain.js';
import type {
  EventStore,
  ReadStreamOptions,
  RecordedEvent,
} from '../../src/event-sourcing/ports/event-store.port.js';

type Command =
  | { readonly type: 'Add'; readonly by: number }
  | { readonly type: 'AddTwice'; readonly by: number };
interface Added {
  readonly type: 'Added';
  readonly data: { readonly by: number };
}

/** Adds to a counter; adding 0 changes nothing, going past 100 is refused. */
const counter: Decider<Command, Added, number> = {
  initialState: 0,
  evolve: (state, event) => state + event.data.by,
  decide: (command, state) => {
    if (command.by === 0) return [];
    const times = command.type === 'AddTwice' ? 2 : 1;
    if (state + times * command.by > 100) throw refuse('too-much', 'At most 100');
    return Array.from({ length: times }, () => ({ type: 'Added', data: { by: command.by } }));
  },
};

const NOW = new Date('2026-03-01T08:00:00.000Z');
const clock: Clock = { now: () => NOW };
const OPTIONS: CommandHandlerOptions = { schemaVersion: 3, subject: 'counter' };

function context(
  idempotency?: { key: string; requestHash: string },
  userId = 'u1',
): CommandContext {
  return {
    actor: { id: userId, role: 'clerk', jurisdiction: '310104' },
    commandId: `command-${String(++commands)}`,
    correlationId: 'correlation-1',
    ...(idempotency && { idempotency }),
  };
}
let commands = 0;

const add = (by: number) => ({ command: () => ({ type: 'Add', by }) as const });

async function collect(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) events.push(event);
  return events;
}

/** The event store, noting every stream read: from which revision, and how many events came. */
class ReadCountingStore {
  readonly reads: Array<{ streamId: string; fromRevision: number | undefined; events: number }> =
    [];

  constructor(readonly inner: SqliteEventStore) {}

  store(): EventStore {
    const inner = this.inner;
    const reads = this.reads;
    return {
      appendToStream: (streamId, events, expected) =>
        inner.appendToStream(streamId, events, expected),
      async *readStream(streamId: string, options?: ReadStreamOptions) {
        const read = { streamId, fromRevision: options?.fromRevision, events: 0 };
        reads.push(read);
        for await (const event of inner.readStream(streamId, options)) {
          read.events++;
          yield event;
        }
      },
      readAll: (options) => inner.readAll(options),
      headPosition: () => inner.headPosition(),
      eventAt: (position) => inner.eventAt(position),
      countBetween: (after, upTo) => inner.countBetween(after, upTo),
      subscribeToAll: (options) => inner.subscribeToAll(options),
      ping: () => inner.ping(),
      close: () => inner.close(),
    };
  }
}

describe('the generic command handler', () => {
  let events: SqliteEventStore;
  let ids: number;
  const newId = (): string => `id-${String(++ids)}`;
  let handler: CommandHandler<Command, Added, number>;

  beforeEach(() => {
    events = SqliteEventStore.open(':memory:');
    ids = 0;
    handler = new CommandHandler(events, counter, clock, newId, OPTIONS);
  });

  afterEach(async () => {
    await events.close();
  });

  it('loads the stream, decides, and appends the events in the hash chain', async () => {
    const first = await handler.handle('counter-a', add(2), context());
    const second = await handler.handle('counter-a', add(3), context());

    expect(first).toEqual({
      revision: 0,
      position: 1,
      events: [{ type: 'Added', data: { by: 2 } }],
      written: true,
      replayed: false,
    });
    expect(second).toMatchObject({ revision: 1, position: 2, written: true });
    expect(await handler.load('counter-a')).toMatchObject({ state: 5, position: 2 });
    const stored = await collect(events, 'counter-a');
    expect(stored.map((e) => e.id)).toEqual(['id-1', 'id-2']);
    let prevHash = GENESIS_HASH;
    for (const event of stored) {
      const metadata = event.metadata as EventMetadata;
      expect(metadata).toMatchObject({
        userId: 'u1',
        role: 'clerk',
        jurisdiction: '310104',
        recordedAt: NOW.toISOString(),
        command: 'Add',
        schemaVersion: 3,
        prevHash,
      });
      expect(metadata.hash).toBe(eventHash(prevHash, { ...event, metadata }));
      prevHash = metadata.hash;
    }
  });

  it('answers a command that changes nothing without writing', async () => {
    await handler.handle('counter-a', add(2), context());
    expect(await handler.handle('counter-a', add(0), context())).toEqual({
      revision: 0,
      position: 1,
      events: [],
      written: false,
      replayed: false,
    });
    expect(await collect(events, 'counter-a')).toHaveLength(1);
  });

  it('lets a refusal through and writes nothing', async () => {
    await expect(handler.handle('counter-a', add(101), context())).rejects.toMatchObject({
      rule: 'too-much',
    });
    expect(await collect(events, 'counter-a')).toHaveLength(0);
  });

  it('decides again on the fresh state when a concurrent writer moved the stream', async () => {
    const other = new CommandHandler(events, counter, clock, newId, OPTIONS);
    await handler.handle('counter-a', add(1), context());
    const decidedOn: number[] = [];
    const outcome = await handler.handle(
      'counter-a',
      {
        command: (state) => {
          decidedOn.push(state);
          return { type: 'Add', by: 10 };
        },
        beforeAppend: async () => {
          // Another replica's command lands between this one's decision and its append.
          if (decidedOn.length === 1) await other.handle('counter-a', add(5), context());
        },
      },
      context(),
    );
    expect(decidedOn).toEqual([1, 6]);
    expect(outcome).toMatchObject({ revision: 2, position: 3, written: true });
    expect(await handler.load('counter-a')).toMatchObject({ state: 16 });
  });

  it('gives up with concurrent-write when the stream keeps moving', async () => {
    const other = new CommandHandler(events, counter, clock, newId, OPTIONS);
    await handler.handle('counter-a', add(1), context());
    let attempts = 0;
    const refusal = await handler
      .handle(
        'counter-a',
        {
          command: () => {
            attempts++;
            return { type: 'Add', by: 1 };
          },
          beforeAppend: async () => {
            await other.handle('counter-a', add(1), context());
          },
        },
        context(),
      )
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({
      kind: 'conflict',
      rule: 'concurrent-write',
      message: 'The counter kept changing under this command; retry',
    });
    expect(attempts).toBe(5);
  });

  it('refuses a pinned revision the stream has moved past, before or after deciding', async () => {
    const other = new CommandHandler(events, counter, clock, newId, OPTIONS);
    await handler.handle('counter-a', add(1), context());
    await expect(
      handler.handle('counter-a', { ...add(1), expectedRevision: 3 }, context()),
    ).rejects.toMatchObject({
      kind: 'conflict',
      rule: 'stale-revision',
      message: 'If-Match expected revision 3 but the counter is at 0',
    });
    let attempts = 0;
    await expect(
      handler.handle(
        'counter-a',
        {
          expectedRevision: 0,
          command: () => {
            attempts++;
            return { type: 'Add', by: 1 };
          },
          beforeAppend: async () => {
            await other.handle('counter-a', add(1), context());
          },
        },
        context(),
      ),
    ).rejects.toMatchObject({
      rule: 'stale-revision',
      message: 'If-Match expected revision 0 but the counter is at 1',
    });
    expect(attempts).toBe(1);
    expect(
      await handler.handle('counter-a', { ...add(1), expectedRevision: 1 }, context()),
    ).toMatchObject({ revision: 2, written: true });
  });

  it('throws what the conflict hook gives instead of retrying', async () => {
    const other = new CommandHandler(events, counter, clock, newId, OPTIONS);
    const exists = new DomainError('conflict', 'counter-exists', 'Counter exists');
    await expect(
      handler.handle(
        'counter-new',
        {
          ...add(1),
          beforeAppend: async () => {
            await other.handle('counter-new', add(1), context());
          },
          conflict: () => exists,
        },
        context(),
      ),
    ).rejects.toBe(exists);
    expect(await collect(events, 'counter-new')).toHaveLength(1);
  });

  it('runs the hooks around the decision: checks, reworked events, after the append', async () => {
    await expect(
      handler.handle(
        'counter-a',
        {
          ...add(1),
          check: (view) => {
            if (view.state === 0) throw refuse('empty', 'No counter yet');
          },
        },
        context(),
      ),
    ).rejects.toMatchObject({ rule: 'empty' });
    const after: Array<{ events: readonly Added[]; state: number }> = [];
    const outcome = await handler.handle(
      'counter-a',
      {
        ...add(1),
        accepted: (decided) =>
          Promise.resolve(decided.map((e) => ({ ...e, data: { by: e.data.by * 7 } }))),
        afterAppend: (written, state) => {
          after.push({ events: written, state });
          return Promise.resolve();
        },
      },
      context(),
    );
    expect(outcome.events).toEqual([{ type: 'Added', data: { by: 7 } }]);
    expect(after).toEqual([{ events: [{ type: 'Added', data: { by: 7 } }], state: 0 }]);
    expect(await handler.load('counter-a')).toMatchObject({ state: 7 });
  });

  it('answers a retried Idempotency-Key from what the first try wrote', async () => {
    const key = { key: 'k-1', requestHash: 'hash-1' };
    await handler.handle('counter-a', add(1), context({ key: 'k-0', requestHash: 'hash-0' }));
    const first = await handler.handle(
      'counter-a',
      { command: () => ({ type: 'AddTwice', by: 2 }) },
      context(key),
    );
    await handler.handle('counter-a', add(4), context());

    const again = await handler.handle('counter-a', add(50), context(key));
    const stored = await collect(events, 'counter-a');
    expect(first).toMatchObject({ revision: 2, position: 3, written: true, replayed: false });
    expect(again).toEqual({
      revision: 2,
      position: 3,
      events: stored.slice(1, 3),
      written: true,
      replayed: true,
    });
    expect(stored).toHaveLength(4);

    // A cold cache finds it in the stream's metadata too.
    const cold = new CommandHandler(events, counter, clock, newId, OPTIONS);
    expect(await cold.handle('counter-a', add(50), context(key))).toEqual(again);
    // The key belongs to its user: another user's same key is another command.
    expect(await handler.handle('counter-a', add(1), context(key, 'u2'))).toMatchObject({
      revision: 4,
      replayed: false,
    });
  });

  it('refuses a key used again with another request', async () => {
    await handler.handle('counter-a', add(1), context({ key: 'k-1', requestHash: 'hash-1' }));
    await expect(
      handler.handle('counter-a', add(1), context({ key: 'k-1', requestHash: 'hash-2' })),
    ).rejects.toMatchObject({ kind: 'rule', rule: 'idempotency-key-reused' });
    expect(await collect(events, 'counter-a')).toHaveLength(1);
  });

  it('gives a new aggregate the id its key names, or a new one', () => {
    expect(handler.idFor(context({ key: 'k-1', requestHash: 'h' }))).toBe(
      idempotentId('u1', 'k-1'),
    );
    expect(idempotentId('u1', 'k-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(idempotentId('u2', 'k-1')).not.toBe(idempotentId('u1', 'k-1'));
    expect(handler.idFor(context())).toBe('id-1');
  });

  it('keeps the streams it wrote warm, and evicts the least recently used', async () => {
    const counting = new ReadCountingStore(events);
    const cached = new CommandHandler(counting.store(), counter, clock, newId, {
      ...OPTIONS,
      // Room for two streams of one small event each (a grows by one more below).
      streamCacheBytes: 2 * STREAM_ENTRY_BYTES + 100,
    });
    await cached.handle('counter-a', add(1), context());
    await cached.handle('counter-b', add(2), context());
    counting.reads.length = 0;

    // Warm: the append was folded in, the load reads only what came after it (nothing).
    expect(await cached.load('counter-a')).toMatchObject({ state: 1 });
    expect(counting.reads).toEqual([{ streamId: 'counter-a', fromRevision: 1, events: 0 }]);
    // Another writer's append is read on the next load, from the cached tip on.
    await events.appendToStream(
      'counter-a',
      [{ id: 'x', type: 'Added', data: { by: 10 }, metadata: {} }],
      0,
    );
    expect(await cached.load('counter-a')).toMatchObject({ state: 11 });
    expect(counting.reads.at(-1)).toEqual({ streamId: 'counter-a', fromRevision: 1, events: 1 });

    // A third stream evicts the least recently used one (b): b is read whole again.
    await cached.handle('counter-c', add(3), context());
    counting.reads.length = 0;
    expect(await cached.load('counter-a')).toMatchObject({ state: 11 });
    expect(await cached.load('counter-b')).toMatchObject({ state: 2 });
    expect(counting.reads).toEqual([
      { streamId: 'counter-a', fromRevision: 2, events: 0 },
      { streamId: 'counter-b', fromRevision: 0, events: 1 },
    ]);
  });
});
