import {
  positionFromJson,
  positionToJson,
} from '../../../src/event-sourcing/ports/event-store.port.js';
import { PassThrough } from 'node:stream';
import { WrongExpectedVersionError } from '@eventstore/db-client';
import type {
  EsdbAppendResult,
  EsdbReadAllOptions,
  EsdbReadStreamOptions,
  EsdbSubscribeToAllOptions,
  EsdbSubscriptionSource,
} from '../../../src/adapters/eventstoredb/eventstoredb-client.js';
import { EventStoreDbEventStore } from '../../../src/adapters/eventstoredb/eventstoredb-event-store.js';
import {
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
} from '../../../src/adapters/eventstoredb/eventstoredb-mapping.js';
import {
  WrongExpectedRevisionError,
  type RecordedEvent,
} from '../../../src/event-sourcing/ports/event-store.port.js';
import {
  collect,
  eventStoreContract,
  newEvent,
  newEvents,
  newStreamId,
} from '../../contract/event-store.contract.js';
import { sleep, waitUntil } from '../../support/wait.js';
import {
  FakeEventStoreDb,
  resolved,
  type FakeEsdbClient,
  type StoredRecord,
} from './fake-eventstoredb.js';

// The shared contract, run on the adapter's own logic over an in-memory stand-in of the server
// and of each client library (see fake-eventstoredb.ts). The stand-in does NOT recognize retried
// appends itself, has byte-offset positions, and puts system events and other applications'
// events between ours, so that the adapter alone must honour the port. A real server is
// exercised by test/contract/eventstoredb-event-store.spec.ts.
for (const library of ['eventstore-db-client', 'kurrentdb-client'] as const) {
  eventStoreContract(`eventstoredb adapter over a stand-in server, through ${library}`, () => {
    const server = new FakeEventStoreDb({ serverIdempotency: false, systemEventEvery: 2 });
    const open = (): EventStoreDbEventStore => {
      const store = EventStoreDbEventStore.fromClient(server.connect(library).adapterClient(), {
        streamPrefixes: ['contract-'],
      });
      // Another application writes to the same database all along.
      server.writeForeignEvent(`order-${String(server.log.length)}`);
      return store;
    };
    const store = open();
    return Promise.resolve({
      store,
      openSecond: () => Promise.resolve(open()),
      cleanup: () => store.close(),
    });
  });
}

describe('EventStoreDbEventStore over a stand-in client', () => {
  let server: FakeEventStoreDb;
  let client: FakeEsdbClient;
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    server = new FakeEventStoreDb();
    client = server.connect();
    store = EventStoreDbEventStore.fromClient(client.adapterClient(), {
      resubscribeDelays: { initialMs: 10, maxMs: 50 },
    });
  });

  afterEach(async () => {
    await store.close();
  });

  const expectedSent = (): unknown[] =>
    client
      .callsOf('appendToStream')
      .map((args) => (args[2] as { expectedRevision: unknown }).expectedRevision);

  describe('appendToStream', () => {
    it('sends the expected revision mapped to the client constants', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, [newEvent()], -1);
      await store.appendToStream(streamId, [newEvent()], 0);
      await store.appendToStream(streamId, [newEvent()], 'stream_exists');
      await store.appendToStream(streamId, [newEvent()], 'any');
      await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
      expect(expectedSent()).toEqual([NO_STREAM, 0n, 'stream_exists', 'any', NO_STREAM]);
    });

    it('sends each event as JSON with its own id, type, data and metadata', async () => {
      const event = newEvent({ metadata: { hash: 'h', prevHash: 'p' } });
      await store.appendToStream(newStreamId(), [event], 'no_stream');
      const [[, sent]] = client.callsOf('appendToStream') as [[string, unknown[]]];
      expect(sent).toEqual([
        {
          id: event.id,
          contentType: 'application/json',
          type: event.type,
          data: event.data,
          metadata: { hash: 'h', prevHash: 'p' },
        },
      ]);
    });

    it("answers the revision and the commit position of the append's last event", async () => {
      const streamId = newStreamId();
      const result = await store.appendToStream(streamId, newEvents(3), 'no_stream');
      const last = server.log.at(-1);
      expect(result).toEqual({ nextExpectedRevision: 2, position: Number(last?.position.commit) });
    });

    it('turns WrongExpectedVersionError into WrongExpectedRevisionError with the actual revision', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, newEvents(2), 'no_stream');

      const refused = store.appendToStream(streamId, [newEvent()], 0);
      await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(refused).rejects.toMatchObject({ streamId, expected: 0, actual: 1 });

      const missing = newStreamId();
      await expect(store.appendToStream(missing, [newEvent()], -1)).resolves.toBeDefined();
      await expect(store.appendToStream(newStreamId(), [newEvent()], 3)).rejects.toMatchObject({
        expected: 3,
        actual: 'no_stream',
      });
      await expect(store.appendToStream(missing, [newEvent()], -1)).rejects.toMatchObject({
        expected: -1,
        actual: 0,
      });
    });

    it('lets other errors of the client through', async () => {
      const failure = new Error('unavailable');
      client.once('appendToStream', () => Promise.reject(failure));
      await expect(store.appendToStream(newStreamId(), [newEvent()], 'any')).rejects.toBe(failure);
    });

    describe('a retry of an append that succeeded', () => {
      it('answers the original result though the stream moved on', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, [newEvent()], 'no_stream');
        const events = newEvents(2);
        const original = await store.appendToStream(streamId, events, 0);
        await store.appendToStream(streamId, newEvents(3), 2);

        expect(await store.appendToStream(streamId, events, 0)).toEqual(original);
        expect(await collect(store.readStream(streamId))).toHaveLength(6);
      });

      it('answers the original result of a stream-creating append, also for -1', async () => {
        const streamId = newStreamId();
        const events = newEvents(2);
        const original = await store.appendToStream(streamId, events, 'no_stream');
        await store.appendToStream(streamId, [newEvent()], 1);

        expect(await store.appendToStream(streamId, events, 'no_stream')).toEqual(original);
        expect(await store.appendToStream(streamId, events, -1)).toEqual(original);
      });

      it('reads only the events right after the expected revision to tell', async () => {
        const streamId = newStreamId();
        const events = newEvents(2);
        await store.appendToStream(streamId, [newEvent()], 'no_stream');
        await store.appendToStream(streamId, events, 0);
        client.calls.length = 0;

        await store.appendToStream(streamId, events, 0);
        const reads = client.callsOf('readStream') as [string, EsdbReadStreamOptions][];
        expect(reads).toEqual([
          [streamId, { fromRevision: 1n, direction: FORWARDS, resolveLinkTos: false, maxCount: 2 }],
        ]);
      });

      it('is a conflict when the ids there differ, are fewer, or come in another order', async () => {
        const streamId = newStreamId();
        const [a, b, c] = [newEvent(), newEvent(), newEvent()];
        await store.appendToStream(streamId, [a, b], 'no_stream');

        for (const attempt of [[b, a], [a, b, c], [a, c], [c]]) {
          await expect(store.appendToStream(streamId, attempt, 'no_stream')).rejects.toMatchObject({
            expected: 'no_stream',
            actual: 1,
          });
        }
        expect(await collect(store.readStream(streamId))).toHaveLength(2);
      });

      it('matches ids whatever their case (EventStoreDB answers them in lower case)', async () => {
        const streamId = newStreamId();
        const event = newEvent({ id: newEvent().id.toUpperCase() });
        const original = await store.appendToStream(streamId, [event], 'no_stream');
        expect(await store.appendToStream(streamId, [event], 'no_stream')).toEqual(original);
      });

      it('reads the position back when the answer carries none', async () => {
        const streamId = newStreamId();
        const original = await store.appendToStream(streamId, newEvents(2), 'no_stream');
        const answer: EsdbAppendResult = { success: true, nextExpectedRevision: 1n };
        client.once('appendToStream', () => Promise.resolve(answer));
        const noPosition = {
          ...answer,
          position: { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n },
        };
        client.once('appendToStream', () => Promise.resolve(noPosition));

        expect(await store.appendToStream(streamId, newEvents(2), 'no_stream')).toEqual(original);
        expect(await store.appendToStream(streamId, newEvents(2), 'no_stream')).toEqual(original);
      });

      it('handles a client that answers refusals instead of throwing them', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(2), 'no_stream');
        client.once('appendToStream', () =>
          Promise.resolve({ success: false, nextExpectedRevision: 1n }),
        );
        await expect(store.appendToStream(streamId, [newEvent()], 0)).rejects.toMatchObject({
          expected: 0,
          actual: 1,
        });
      });
    });

    it('refuses what EventStoreDB cannot store before calling it', async () => {
      await expect(
        store.appendToStream(newStreamId(), [newEvent({ id: 'order-42' })], 'any'),
      ).rejects.toThrow(/UUID/);
      await expect(store.appendToStream('$settings', [newEvent()], 'any')).rejects.toThrow(
        RangeError,
      );
      const event = newEvent();
      await expect(store.appendToStream(newStreamId(), [event, event], 'any')).rejects.toThrow(
        /distinct ids/,
      );
      expect(client.callsOf('appendToStream')).toHaveLength(0);
    });

    it('answers an empty append from the stream head without writing', async () => {
      const existing = newStreamId();
      const appended = await store.appendToStream(existing, newEvents(2), 'no_stream');
      const head = await store.headPosition();
      client.calls.length = 0;

      expect(await store.appendToStream(existing, [], 1)).toEqual(appended);
      expect(await store.appendToStream(existing, [], 'stream_exists')).toEqual(appended);
      expect(await store.appendToStream(newStreamId(), [], 'no_stream')).toEqual({
        nextExpectedRevision: -1,
        position: head,
      });
      await expect(store.appendToStream(existing, [], 0)).rejects.toMatchObject({
        expected: 0,
        actual: 1,
      });
      await expect(store.appendToStream(newStreamId(), [], 'stream_exists')).rejects.toMatchObject({
        actual: 'no_stream',
      });
      expect(client.callsOf('appendToStream')).toHaveLength(0);
    });
  });

  describe('readStream', () => {
    it('passes direction, revision and count to the client', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, newEvents(5), 'no_stream');
      client.calls.length = 0;

      await collect(store.readStream(streamId));
      await collect(store.readStream(streamId, { direction: 'backwards', maxCount: 2 }));
      await collect(store.readStream(streamId, { fromRevision: 3, direction: 'backwards' }));
      expect(client.callsOf('readStream')).toEqual([
        [streamId, { fromRevision: START, direction: FORWARDS, resolveLinkTos: false }],
        [streamId, { fromRevision: END, direction: BACKWARDS, resolveLinkTos: false, maxCount: 2 }],
        [streamId, { fromRevision: 3n, direction: BACKWARDS, resolveLinkTos: false }],
      ]);
    });

    it('yields nothing for an unknown stream (StreamNotFoundError)', async () => {
      const unknown = newStreamId();
      expect(await collect(store.readStream(unknown))).toEqual([]);
      expect(await collect(store.readStream(unknown, { direction: 'backwards' }))).toEqual([]);
      expect(client.callsOf('readStream')).toHaveLength(2);
    });

    it('asks for nothing when nothing can come', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, newEvents(2), 'no_stream');
      client.calls.length = 0;
      expect(await collect(store.readStream(streamId, { maxCount: 0 }))).toEqual([]);
      expect(
        await collect(store.readStream(streamId, { fromRevision: -1, direction: 'backwards' })),
      ).toEqual([]);
      expect(client.callsOf('readStream')).toHaveLength(0);
    });

    it('lets other read errors through', async () => {
      const failure = new Error('access denied');
      client.once('readStream', () => ({
        [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(failure) }),
      }));
      await expect(collect(store.readStream(newStreamId()))).rejects.toBe(failure);
    });
  });

  describe('readAll and headPosition', () => {
    it('reads from {commit: p, prepare: p} and leaves out the event at p', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, newEvents(3), 'no_stream');
      const [first, second, third] = await collect(store.readStream(streamId));
      client.calls.length = 0;

      const page = await store.readAll({ fromPosition: first!.position, maxCount: 10 });
      expect(page.map((event) => event.id)).toEqual([second!.id, third!.id]);
      const [[options]] = client.callsOf('readAll') as [[EsdbReadAllOptions]];
      expect(options.fromPosition).toEqual({
        commit: BigInt(positionToJson(first!.position)),
        prepare: BigInt(positionToJson(first!.position)),
      });
      expect(options.direction).toBe(FORWARDS);
    });

    it('reads from START for position 0', async () => {
      await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
      client.calls.length = 0;
      expect(await store.readAll({ maxCount: 5 })).toHaveLength(1);
      const [[options]] = client.callsOf('readAll') as [[EsdbReadAllOptions]];
      expect(options.fromPosition).toBe(START);
    });

    it('leaves out system events and pages on past long runs of them', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, [newEvent()], 'no_stream');
      for (let index = 0; index < 10; index += 1) server.writeSystemEvent();
      server.writeSystemEvent('$$' + streamId, '$metadata');
      server.writeSystemEvent('$users', 'UserCreated');
      await store.appendToStream(streamId, newEvents(2), 0);
      server.writeSystemEvent();

      const page = await store.readAll({ maxCount: 2 });
      expect(page.map((event) => event.revision)).toEqual([0, 1]);
      const rest = await store.readAll({ fromPosition: page[1]!.position, maxCount: 10 });
      expect(rest.map((event) => event.revision)).toEqual([2]);
      expect(await store.readAll({ fromPosition: rest[0]!.position, maxCount: 10 })).toEqual([]);
    });

    it('answers nothing for maxCount 0 without asking', async () => {
      expect(await store.readAll({ maxCount: 0 })).toEqual([]);
      expect(client.callsOf('readAll')).toHaveLength(0);
    });

    it('refuses an event whose position cannot be a number', async () => {
      const huge = 2n ** 53n;
      server.log.push({
        streamId: 'organization-1',
        id: newEvent().id,
        revision: 0n,
        type: 'Tested',
        data: '{}',
        metadata: '{}',
        position: { commit: huge, prepare: huge },
      });
      await expect(store.readAll({ maxCount: 1 })).rejects.toThrow(RangeError);
    });

    it('is 0 for an empty log and for a log of system events only', async () => {
      expect(await store.headPosition()).toBe(0);
      for (let index = 0; index < 70; index += 1) server.writeSystemEvent();
      expect(await store.headPosition()).toBe(0);
    });

    it('is the newest non-system event, however many system events follow it', async () => {
      const result = await store.appendToStream(newStreamId(), newEvents(2), 'no_stream');
      for (let index = 0; index < 70; index += 1) server.writeSystemEvent();
      client.calls.length = 0;

      expect(await store.headPosition()).toBe(result.position);
      const reads = client.callsOf('readAll') as [EsdbReadAllOptions][];
      // One backwards read: the server filters the system events out.
      expect(reads).toHaveLength(1);
      expect(reads[0]?.[0]).toMatchObject({
        fromPosition: END,
        direction: BACKWARDS,
        filter: { filterOn: 'eventType', regex: '^[^$].*' },
      });
    });
  });

  describe('subscribeToAll', () => {
    it('subscribes from {commit: p, prepare: p} with the system-event filter', async () => {
      const result = await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
      const subscription = store.subscribeToAll({
        fromPosition: result.position,
        onEvent: () => undefined,
      });
      await subscription.close();
      const [[options]] = client.callsOf('subscribeToAll') as [[EsdbSubscribeToAllOptions]];
      expect(options.fromPosition).toEqual({
        commit: BigInt(positionToJson(result.position)),
        prepare: BigInt(positionToJson(result.position)),
      });
      expect(options.filter).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });

      store.subscribeToAll({ onEvent: () => undefined });
      const [, [fromStart]] = client.callsOf('subscribeToAll') as [
        unknown,
        [EsdbSubscribeToAllOptions],
      ];
      expect(fromStart.fromPosition).toBe(START);
    });

    /** A source that sends what a test pushes, like a server that ignores position and filter. */
    function pushedSource(): PassThrough & EsdbSubscriptionSource & { unsubscribed: boolean } {
      const source = new PassThrough({ objectMode: true }) as PassThrough &
        EsdbSubscriptionSource & { unsubscribed: boolean };
      source.unsubscribed = false;
      source.unsubscribe = () => {
        source.unsubscribed = true;
        return Promise.resolve();
      };
      return source;
    }

    const record = (
      streamId: string,
      revision: number,
      position: bigint,
      type = 'Tested',
    ): StoredRecord => ({
      streamId,
      id: newEvent().id,
      revision: BigInt(revision),
      type,
      data: '{}',
      metadata: '{}',
      position: { commit: position, prepare: position },
    });

    it('leaves out the event at the position and system events even if the server sends them', async () => {
      const source = pushedSource();
      client.once('subscribeToAll', () => source);
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({
        fromPosition: positionFromJson(2000),
        onEvent: (event) => void received.push(event),
      });
      source.write(resolved(record('s', 0, 2000n)));
      source.write(resolved(record('s', 1, 2100n)));
      source.write(resolved(record('$stats-x', 0, 2200n, '$statsCollected')));
      source.write(resolved(record('$$s', 0, 2300n, '$metadata')));
      source.write(resolved(record('s', 1, 2100n)));
      source.write(resolved(record('s', 2, 2400n)));
      await waitUntil('2 events received', () => received.length === 2);
      await sleep(20);
      await subscription.close();

      expect(received.map((event) => event.position)).toEqual([2100, 2400]);
      expect(source.unsubscribed).toBe(true);
    });

    it('stops at the event whose handler fails, reports it and unsubscribes', async () => {
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
      await sleep(20);
      await subscription.close();

      expect(errors).toEqual([failure]);
      expect(delivered).toEqual([0]);
    });

    it('resubscribes from its last delivered position after the stream fails or ends', async () => {
      const failing = pushedSource();
      const ending = pushedSource();
      const third = pushedSource();
      client
        .once('subscribeToAll', () => failing)
        .once('subscribeToAll', () => ending)
        .once('subscribeToAll', () => third);
      const errors: unknown[] = [];
      const received: number[] = [];
      const subscription = store.subscribeToAll({
        fromPosition: positionFromJson(1000),
        onEvent: (event) => void received.push(positionToJson(event.position)),
        onError: (error) => errors.push(error),
      });
      failing.write(resolved(record('s', 0, 2000n)));
      await waitUntil('1 event received', () => received.length === 1);
      failing.destroy(new Error('unavailable'));
      await waitUntil('a second subscription', () => client.callsOf('subscribeToAll').length === 2);
      ending.write(resolved(record('s', 0, 2000n)));
      ending.write(resolved(record('s', 1, 2100n)));
      await waitUntil('2 events received', () => received.length === 2);
      ending.end();
      await waitUntil('a third subscription', () => client.callsOf('subscribeToAll').length === 3);
      await subscription.close();

      const froms = (client.callsOf('subscribeToAll') as [EsdbSubscribeToAllOptions][]).map(
        ([options]) => options.fromPosition,
      );
      expect(froms).toEqual([
        { commit: 1000n, prepare: 1000n },
        { commit: 2000n, prepare: 2000n },
        { commit: 2100n, prepare: 2100n },
      ]);
      expect(received).toEqual([2000, 2100]);
      expect(errors).toEqual([]);
    });

    it('reports nothing when closed, and delivers nothing after', async () => {
      const source = pushedSource();
      client.once('subscribeToAll', () => source);
      const errors: unknown[] = [];
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({
        onEvent: (event) => void received.push(event),
        onError: (error) => errors.push(error),
      });
      source.write(resolved(record('s', 0, 100n)));
      await waitUntil('1 event received', () => received.length === 1);
      await subscription.close();
      expect(source.destroyed).toBe(true);
      await sleep(20);
      expect(errors).toEqual([]);
      expect(received).toHaveLength(1);
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
  });

  describe('close', () => {
    it('closes the subscriptions, disposes the client, and refuses work after', async () => {
      const received: RecordedEvent[] = [];
      store.subscribeToAll({ onEvent: (event) => void received.push(event) });
      await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
      await waitUntil('1 event received', () => received.length === 1);
      await store.close();

      expect(client.disposed).toBe(true);
      await expect(store.appendToStream(newStreamId(), [newEvent()], 'any')).rejects.toThrow(
        /closed/,
      );
      await expect(store.readAll({ maxCount: 1 })).rejects.toThrow(/closed/);
      expect(() => store.subscribeToAll({ onEvent: () => undefined })).toThrow(/closed/);
      await store.close();
    });
  });
});

describe('WrongExpectedVersionError as the client builds it', () => {
  it('carries the fields the adapter reads', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 's',
      expected: NO_STREAM,
      current: 3n,
    });
    expect(error).toMatchObject({ streamName: 's', expectedVersion: NO_STREAM, actualVersion: 3n });
  });
});
