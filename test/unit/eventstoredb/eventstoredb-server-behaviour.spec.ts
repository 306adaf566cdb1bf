import {
  positionFromJson,
  positionToJson,
} from '../../../src/event-sourcing/ports/event-store.port.js';
import { PassThrough } from 'node:stream';
import * as eventStoreDbClient from '@eventstore/db-client';
import * as kurrentDbClient from '@kurrent/kurrentdb-client';
import { EventStoreDbEventStore } from '../../../src/adapters/eventstoredb/eventstoredb-event-store.js';
import type { EsdbClientLibrary } from '../../../src/adapters/eventstoredb/eventstoredb-clients.js';
import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  StreamDeletedError,
  WrongExpectedRevisionError,
  type RecordedEvent,
} from '../../../src/event-sourcing/ports/event-store.port.js';
import { collect, newEvent, newEvents, newStreamId } from '../../contract/event-store.contract.js';
import { sleep, waitUntil } from '../../support/wait.js';
import { FakeEventStoreDb, type FakeEsdbClient } from './fake-eventstoredb.js';

// What a real server does that a lenient stand-in would hide, through each client library.
describe.each(['eventstore-db-client', 'kurrentdb-client'] as EsdbClientLibrary[])(
  'EventStoreDbEventStore on server behaviour, through %s',
  (library) => {
    let server: FakeEventStoreDb;
    let client: FakeEsdbClient;
    let store: EventStoreDbEventStore;

    const open = (prefixes: readonly string[] = ['contract-']): EventStoreDbEventStore =>
      EventStoreDbEventStore.fromClient(server.connect(library).adapterClient(), {
        streamPrefixes: prefixes,
        resubscribeDelays: { initialMs: 10, maxMs: 40 },
      });

    beforeEach(() => {
      server = new FakeEventStoreDb();
      client = server.connect(library);
      store = EventStoreDbEventStore.fromClient(client.adapterClient(), {
        streamPrefixes: ['contract-'],
        resubscribeDelays: { initialMs: 10, maxMs: 40 },
      });
    });

    afterEach(async () => {
      await store.close();
    });

    const idsOf = async (streamId: string): Promise<string[]> =>
      (await collect(store.readStream(streamId))).map((event) => event.id);

    describe('positions are byte offsets', () => {
      it('grow by each record size, never by one, and only compare', async () => {
        const result = await store.appendToStream(newStreamId(), newEvents(3), 'no_stream');
        const events = await store.readAll({ maxCount: 10 });
        const positions = events.map((event) => positionToJson(event.position));
        expect(positions.at(-1)).toBe(positionToJson(result.position));
        for (let index = 1; index < positions.length; index += 1) {
          expect((positions[index] ?? 0) - (positions[index - 1] ?? 0)).toBeGreaterThan(1);
        }
      });

      it('refuses to read from a position inside a record, naming it', async () => {
        const result = await store.appendToStream(newStreamId(), newEvents(2), 'no_stream');
        const inside = positionToJson(result.position) - 1;
        await expect(
          store.readAll({ fromPosition: positionFromJson(inside), maxCount: 10 }),
        ).rejects.toThrow(new RegExp(`Position ${String(inside)} is not the start of an event`));
      });

      it('stops a subscription from a position inside a record and reports it', async () => {
        const result = await store.appendToStream(newStreamId(), newEvents(2), 'no_stream');
        const errors: unknown[] = [];
        store.subscribeToAll({
          fromPosition: positionFromJson(positionToJson(result.position) - 1),
          onEvent: () => undefined,
          onError: (error) => errors.push(error),
        });
        await waitUntil('the error reported', () => errors.length === 1);
        expect(String(errors[0])).toMatch(/invalid position/);
        expect(client.callsOf('subscribeToAll')).toHaveLength(1);
      });
    });

    describe('appends whose outcome the client cannot know', () => {
      it.each(['deadline-exceeded', 'unavailable', 'not-leader', 'timeout'] as const)(
        'that committed before %s: answered from the stream, not written twice',
        async (error) => {
          const streamId = newStreamId();
          await store.appendToStream(streamId, [newEvent()], 'no_stream');
          const events = newEvents(2);
          server.failNext({ method: 'appendToStream', error, committed: true });

          const result = await store.appendToStream(streamId, events, 0);
          expect(result.nextExpectedRevision).toBe(2);
          expect((await idsOf(streamId)).slice(1)).toEqual(events.map((event) => event.id));
          expect(client.callsOf('appendToStream')).toHaveLength(2);
          expect(await store.headPosition()).toBe(result.position);
        },
      );

      it('that did not commit: sent once more, written once', async () => {
        const streamId = newStreamId();
        const events = newEvents(2);
        server.failNext({ method: 'appendToStream', error: 'unavailable' });

        const result = await store.appendToStream(streamId, events, 'no_stream');
        expect(result.nextExpectedRevision).toBe(1);
        expect(await idsOf(streamId)).toEqual(events.map((event) => event.id));
        expect(client.callsOf('appendToStream')).toHaveLength(2);
      });

      it('retried at most once: then the outcome is unknown, not "nothing happened"', async () => {
        const streamId = newStreamId();
        server.failNext({ method: 'appendToStream', error: 'not-leader' });
        server.failNext({ method: 'appendToStream', error: 'deadline-exceeded' });

        const attempt = store.appendToStream(streamId, [newEvent()], 'no_stream');
        await expect(attempt).rejects.toBeInstanceOf(AppendOutcomeUnknownError);
        expect(client.callsOf('appendToStream')).toHaveLength(2);
      });

      it('whose retry finds the first attempt committed late: answered, written once', async () => {
        const streamId = newStreamId();
        const events = newEvents(2);
        await store.appendToStream(streamId, [newEvent()], 'no_stream');
        // The first attempt commits after its deadline; the read-back comes too early to see
        // it (a failed read), so the retry meets the revision it moved.
        server.failNext({ method: 'appendToStream', error: 'deadline-exceeded', committed: true });
        server.failNext({ method: 'readStream', error: 'unavailable' });

        await expect(store.appendToStream(streamId, events, 0)).rejects.toBeInstanceOf(
          AppendOutcomeUnknownError,
        );
        // The caller retries the same command with the same ids: the stored append is found.
        const result = await store.appendToStream(streamId, events, 0);
        expect(result.nextExpectedRevision).toBe(2);
        expect(await idsOf(streamId)).toHaveLength(3);
      });

      it('is a conflict when another writer took the revision meanwhile', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, [newEvent()], 'no_stream');
        const other = open();
        try {
          await other.appendToStream(streamId, [newEvent()], 0);
          server.failNext({ method: 'appendToStream', error: 'unavailable' });
          await expect(store.appendToStream(streamId, [newEvent()], 0)).rejects.toBeInstanceOf(
            WrongExpectedRevisionError,
          );
        } finally {
          await other.close();
        }
        expect(await idsOf(streamId)).toHaveLength(2);
      });

      it('without an exact revision: unknown at once, never sent again blindly', async () => {
        server.failNext({ method: 'appendToStream', error: 'unavailable', committed: true });
        await expect(store.appendToStream(newStreamId(), [newEvent()], 'any')).rejects.toThrow(
          AppendOutcomeUnknownError,
        );
        expect(client.callsOf('appendToStream')).toHaveLength(1);
      });
    });

    describe('the append size limit', () => {
      it('refuses more than 1 MiB at once, writing nothing', async () => {
        const streamId = newStreamId();
        const big = 'x'.repeat(600 * 1024);
        const attempt = store.appendToStream(
          streamId,
          [newEvent({ data: { big } }), newEvent({ data: { big } })],
          'no_stream',
        );
        await expect(attempt).rejects.toBeInstanceOf(AppendTooLargeError);
        await expect(attempt).rejects.toMatchObject({ maxBytes: 1024 * 1024 });
        expect(await idsOf(streamId)).toEqual([]);
        await store.appendToStream(streamId, [newEvent({ data: { big } })], 'no_stream');
      });
    });

    describe('deleted and truncated streams', () => {
      it('a soft-deleted stream reads as unknown; an append recreates it, revisions going on', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(3), 'no_stream');
        server.deleteStream(streamId);

        expect(await collect(store.readStream(streamId))).toEqual([]);
        await expect(
          store.appendToStream(streamId, [newEvent()], 'stream_exists'),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        const recreated = await store.appendToStream(streamId, [newEvent()], 'no_stream');
        expect(recreated.nextExpectedRevision).toBe(3);
        expect((await collect(store.readStream(streamId))).map((event) => event.revision)).toEqual([
          3,
        ]);
      });

      it('a tombstoned stream raises StreamDeletedError on reads and appends', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(2), 'no_stream');
        server.tombstoneStream(streamId);

        await expect(collect(store.readStream(streamId))).rejects.toBeInstanceOf(
          StreamDeletedError,
        );
        for (const expected of ['any', 'no_stream', 1] as const) {
          await expect(
            store.appendToStream(streamId, [newEvent()], expected),
          ).rejects.toBeInstanceOf(StreamDeletedError);
        }
        // Its events stay in $all, the tombstone itself is not one of ours.
        const all = await store.readAll({ maxCount: 10 });
        expect(all.map((event) => event.type)).not.toContain('$streamDeleted');
        expect(all).toHaveLength(2);
      });

      it('a truncated stream reads from its first kept event ($tb, $maxCount)', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(5), 'no_stream');
        server.truncateStream(streamId, { truncateBefore: 2n });
        const revisions = async (): Promise<number[]> =>
          (await collect(store.readStream(streamId))).map((event) => event.revision);
        expect(await revisions()).toEqual([2, 3, 4]);
        server.truncateStream(streamId, { maxCount: 2 });
        expect(await revisions()).toEqual([3, 4]);
        // The stream's revision is still its last event's: appends go on from there.
        expect((await store.appendToStream(streamId, [newEvent()], 4)).nextExpectedRevision).toBe(
          5,
        );
      });
    });

    describe('subscriptions that drop', () => {
      it('resume from the last delivered event after a drop: nothing lost, nothing twice', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(2), 'no_stream');
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          onEvent: (event) => void received.push(event),
        });
        try {
          await waitUntil('2 events', () => received.length === 2);
          server.dropSubscriptions();
          await store.appendToStream(streamId, newEvents(2), 1);
          await waitUntil('4 events', () => received.length === 4);
          await sleep(30);
        } finally {
          await subscription.close();
        }
        expect(received.map((event) => event.revision)).toEqual([0, 1, 2, 3]);
        expect(client.callsOf('subscribeToAll').length).toBeGreaterThanOrEqual(2);
      });

      it('keep trying with growing pauses while the server is down, then go on', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, [newEvent()], 'no_stream');
        const received: RecordedEvent[] = [];
        const errors: unknown[] = [];
        const subscription = store.subscribeToAll({
          onEvent: (event) => void received.push(event),
          onError: (error) => errors.push(error),
        });
        try {
          await waitUntil('1 event', () => received.length === 1);
          server.goDown();
          await sleep(150);
          const attemptsWhileDown = client.callsOf('subscribeToAll').length;
          // Pauses of 10, 20, 40, 40… ms: a few attempts, not hundreds.
          expect(attemptsWhileDown).toBeGreaterThan(2);
          expect(attemptsWhileDown).toBeLessThan(10);
          server.up();
          const writer = open();
          await writer.appendToStream(streamId, [newEvent()], 0);
          await writer.close();
          await waitUntil('2 events', () => received.length === 2);
        } finally {
          await subscription.close();
        }
        expect(received.map((event) => event.revision)).toEqual([0, 1]);
        expect(errors).toEqual([]);
      });
    });

    describe("other applications' streams", () => {
      it('never reach reads of $all, subscriptions or the head', async () => {
        const streamId = newStreamId();
        const ours = await store.appendToStream(streamId, [newEvent()], 'no_stream');
        server.writeForeignEvent('order-1');
        server.writeForeignEvent('invoice-7', 'InvoiceSent');

        expect((await store.readAll({ maxCount: 10 })).map((event) => event.streamId)).toEqual([
          streamId,
        ]);
        expect(await store.headPosition()).toBe(ours.position);
        const received: string[] = [];
        const subscription = store.subscribeToAll({
          onEvent: (event) => void received.push(event.streamId),
        });
        try {
          await waitUntil('1 event', () => received.length === 1);
          server.writeForeignEvent('order-2');
          await store.appendToStream(streamId, [newEvent()], 0);
          await waitUntil('2 events', () => received.length === 2);
        } finally {
          await subscription.close();
        }
        expect(received).toEqual([streamId, streamId]);
        const [[options]] = client.callsOf('subscribeToAll') as [[{ filter: unknown }]];
        expect(options.filter).toEqual({
          filterOn: 'streamName',
          prefixes: ['contract-'],
          checkpointInterval: 1,
        });
      });
    });

    describe('the head position', () => {
      it('is read once, then moved by our appends and by a subscription, not read again', async () => {
        await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
        const first = await store.headPosition();
        const reads = (): number => client.callsOf('readAll').length;
        const readsAfterFirst = reads();

        const ours = await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
        expect(await store.headPosition()).toBe(ours.position);
        expect(positionToJson(ours.position)).toBeGreaterThan(positionToJson(first));

        // Another process appends: the head's subscription moves it.
        const other = open();
        const theirs = await other.appendToStream(newStreamId(), [newEvent()], 'no_stream');
        await other.close();
        await waitUntil(
          'the head moved',
          async () => (await store.headPosition()) === theirs.position,
        );
        expect(reads()).toBe(readsAfterFirst);
      });

      it('is read from the server when asked fresh, and after its subscription dropped', async () => {
        await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
        await store.headPosition();
        const reads = (): number => client.callsOf('readAll').length;
        const before = reads();

        await store.headPosition({ fresh: true });
        expect(reads()).toBe(before + 1);

        server.dropSubscriptions();
        await waitUntil('the drop seen', async () => {
          await store.headPosition();
          return reads() > before + 1;
        });
      });

      it('follows anew after its subscription stopped for good', async () => {
        await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
        const denied = new PassThrough({ objectMode: true });
        client.once('subscribeToAll', () =>
          Object.assign(denied, { unsubscribe: () => Promise.resolve() }),
        );
        await store.headPosition();
        denied.destroy(accessDenied(library));
        const subscribed = (): number => client.callsOf('subscribeToAll').length;
        await waitUntil('a new head subscription', async () => {
          await store.headPosition();
          return subscribed() === 2;
        });
        const other = open();
        const theirs = await other.appendToStream(newStreamId(), [newEvent()], 'no_stream');
        await other.close();
        await waitUntil(
          'the head moved',
          async () => (await store.headPosition()) === theirs.position,
        );
      });

      it('is 0 on a log without our events', async () => {
        server.writeForeignEvent('order-1');
        server.writeSystemEvent();
        expect(await store.headPosition()).toBe(0);
      });
    });
  },
);

function accessDenied(library: EsdbClientLibrary): Error {
  const lib = library === 'kurrentdb-client' ? kurrentDbClient : eventStoreDbClient;
  return new lib.AccessDeniedError({ message: 'Access denied' } as never);
}
