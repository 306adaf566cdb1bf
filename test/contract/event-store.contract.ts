import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevisionError,
  isAfter,
  LOG_START,
  positionFromJson,
  positionToJson,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type RecordedEvent,
} from '../../src/event-sourcing/ports/event-store.port.js';
import { sleep, waitUntil } from '../support/wait.js';

export interface ContractFixture {
  readonly store: EventStore;
  /** Opens another connection to the same store, to race two writers. */
  readonly openSecond?: () => Promise<EventStore>;
  readonly cleanup: () => Promise<void>;
}

export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type: 'ContractTested',
    data: { n: Math.random() },
    metadata: {},
    ...overrides,
  };
}

export function newEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent({ data: { index } }));
}

export function newStreamId(): string {
  return `contract-${randomUUID()}`;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The behaviour of the EventStore port that every adapter must offer. */
export function eventStoreContract(name: string, open: () => Promise<ContractFixture>): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: ContractFixture;
    let store: EventStore;

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
    });

    afterAll(async () => {
      await fixture.cleanup();
    });

    const revisionsOf = async (streamId: string): Promise<number[]> =>
      (await collect(store.readStream(streamId))).map((event) => event.revision);

    const expectRefused = async (
      streamId: string,
      expected: ExpectedRevision,
      actual: number | 'no_stream',
    ): Promise<void> => {
      const attempt = store.appendToStream(streamId, [newEvent()], expected);
      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(attempt).rejects.toMatchObject({ streamId, expected, actual });
    };

    describe('appendToStream', () => {
      it('appends to a new stream with no_stream, then with the exact revision', async () => {
        const streamId = newStreamId();
        const first = await store.appendToStream(streamId, [newEvent()], 'no_stream');
        expect(first.nextExpectedRevision).toBe(0);
        const second = await store.appendToStream(streamId, [newEvent()], 0);
        expect(second.nextExpectedRevision).toBe(1);
        expect(positionToJson(second.position)).toBeGreaterThan(positionToJson(first.position));
        expect(await revisionsOf(streamId)).toEqual([0, 1]);
      });

      it('no_stream: accepted for a missing stream, refused for an existing one', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, [newEvent()], 'no_stream');
        await expectRefused(streamId, 'no_stream', 0);
      });

      it('stream_exists: refused for a missing stream, accepted for an existing one', async () => {
        const streamId = newStreamId();
        await expectRefused(streamId, 'stream_exists', 'no_stream');
        await store.appendToStream(streamId, [newEvent()], 'any');
        const result = await store.appendToStream(streamId, [newEvent()], 'stream_exists');
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('any: accepted for a missing stream and for an existing one', async () => {
        const streamId = newStreamId();
        expect(
          (await store.appendToStream(streamId, [newEvent()], 'any')).nextExpectedRevision,
        ).toBe(0);
        expect(
          (await store.appendToStream(streamId, [newEvent()], 'any')).nextExpectedRevision,
        ).toBe(1);
      });

      it('a revision number: refused when lower, higher, or the stream is missing', async () => {
        const streamId = newStreamId();
        await expectRefused(streamId, 0, 'no_stream');
        await store.appendToStream(streamId, newEvents(2), 'no_stream');
        await expectRefused(streamId, 0, 1);
        await expectRefused(streamId, 2, 1);
        expect((await store.appendToStream(streamId, [newEvent()], 1)).nextExpectedRevision).toBe(
          2,
        );
      });

      it('a refused append writes nothing, and the next right append succeeds', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(2), 'no_stream');
        const refused = newEvents(3);
        await expect(store.appendToStream(streamId, refused, 0)).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect(await revisionsOf(streamId)).toEqual([0, 1]);

        // The refused ids were not stored either, so they can be appended now.
        const result = await store.appendToStream(streamId, refused, 1);
        expect(result.nextExpectedRevision).toBe(4);
        const events = await collect(store.readStream(streamId));
        expect(events).toHaveLength(result.nextExpectedRevision + 1);
        expect(events.slice(2).map((event) => event.id)).toEqual(refused.map((event) => event.id));
      });

      it('appends several events atomically with consecutive revisions', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, [newEvent()], 'no_stream');
        const events = newEvents(5);
        const result = await store.appendToStream(streamId, events, 0);
        expect(result.nextExpectedRevision).toBe(5);

        const recorded = await collect(store.readStream(streamId));
        expect(recorded.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(recorded.slice(1).map((event) => event.id)).toEqual(events.map((event) => event.id));
        expectIncreasing(recorded.map((event) => event.position));
        expect(recorded.at(-1)?.position).toBe(result.position);
      });

      it('treats a retry of the same event ids as a no-op, even with a stale revision', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, [newEvent()], 'no_stream');
        const events = newEvents(3);
        const original = await store.appendToStream(streamId, events, 0);

        expect(await store.appendToStream(streamId, events, 0)).toEqual(original);
        expect(await revisionsOf(streamId)).toEqual([0, 1, 2, 3]);
      });

      it('treats a retry of a stream-creating append as a no-op', async () => {
        const streamId = newStreamId();
        const events = newEvents(2);
        const original = await store.appendToStream(streamId, events, 'no_stream');

        expect(await store.appendToStream(streamId, events, 'no_stream')).toEqual(original);
        expect(await revisionsOf(streamId)).toEqual([0, 1]);
      });

      it('round-trips type, data and metadata exactly', async () => {
        const streamId = newStreamId();
        const data = {
          name: '上海市徐汇区社区社会组织联合会',
          nested: { list: [1, -2, 3.25, 0, 9007199254740991], flag: true, none: null },
          quotes: 'a "quoted" \\ back\nslash\ttab 😀',
          empty: { array: [], object: {} },
        };
        const metadata = {
          actor: { id: 'u-1', 名称: '管理员' },
          correlationId: randomUUID(),
          n: 42,
        };
        const event = newEvent({ type: 'OrganizationRegistered', data, metadata });
        const result = await store.appendToStream(streamId, [event], 'no_stream');

        const [recorded] = await collect(store.readStream(streamId));
        expect(recorded).toEqual({
          id: event.id,
          streamId,
          revision: 0,
          position: result.position,
          type: 'OrganizationRegistered',
          data,
          metadata,
        });
      });
    });

    describe('appendToStreams (where the store has multi-stream transactions)', () => {
      const many = (): NonNullable<EventStore['appendToStreams']> => {
        const appendToStreams = store.appendToStreams?.bind(store);
        if (!appendToStreams) throw new Error('no appendToStreams');
        return appendToStreams;
      };
      const maybe = (title: string, test: () => Promise<void>): void => {
        it(title, async () => {
          if (store.appendToStreams === undefined) return;
          await test();
        });
      };

      maybe('appends to every stream, in the order given, each with its revision', async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        await store.appendToStream(b, newEvents(2), 'no_stream');
        const results = await many()([
          { streamId: a, events: newEvents(1), expectedRevision: 'no_stream' },
          { streamId: b, events: newEvents(2), expectedRevision: 1 },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 3]);
        expectIncreasing(results.map((r) => r.position));
        expect(await collect(store.readStream(a))).toHaveLength(1);
        expect(await collect(store.readStream(b))).toHaveLength(4);
      });

      maybe(
        'writes nothing when one part has a stale revision, and names that stream',
        async () => {
          const [a, b] = [newStreamId(), newStreamId()];
          await store.appendToStream(b, newEvents(1), 'no_stream');
          const head = await store.headPosition();
          const refusal = await many()([
            { streamId: a, events: newEvents(1), expectedRevision: 'no_stream' },
            { streamId: b, events: newEvents(1), expectedRevision: 'no_stream' },
          ]).catch((error: unknown) => error);
          expect(refusal).toBeInstanceOf(WrongExpectedRevisionError);
          expect((refusal as WrongExpectedRevisionError).streamId).toBe(b);
          expect(await collect(store.readStream(a))).toEqual([]);
          expect(await store.headPosition()).toEqual(head);
          // Right revisions next: it succeeds, and each stream's version is its event count.
          const results = await many()([
            { streamId: a, events: newEvents(1), expectedRevision: 'no_stream' },
            { streamId: b, events: newEvents(1), expectedRevision: 0 },
          ]);
          expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 1]);
        },
      );

      maybe('treats a retry of the same parts as a no-op', async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        const parts = [
          { streamId: a, events: newEvents(1), expectedRevision: 'no_stream' as const },
          { streamId: b, events: newEvents(2), expectedRevision: 'no_stream' as const },
        ];
        const first = await many()(parts);
        const again = await many()(parts);
        expect(again).toEqual(first);
        expect(await collect(store.readStream(b))).toHaveLength(2);
      });

      maybe('refuses two parts to the same stream, or one event id twice', async () => {
        const a = newStreamId();
        const event = newEvent();
        await expect(
          many()([
            { streamId: a, events: newEvents(1), expectedRevision: 'any' },
            { streamId: a, events: newEvents(1), expectedRevision: 'any' },
          ]),
        ).rejects.toThrow(/distinct streams/);
        await expect(
          many()([
            { streamId: a, events: [event], expectedRevision: 'any' },
            { streamId: newStreamId(), events: [event], expectedRevision: 'any' },
          ]),
        ).rejects.toThrow(/distinct ids/);
        expect(await collect(store.readStream(a))).toEqual([]);
      });
    });

    describe('readStream', () => {
      let streamId: string;
      let ids: string[];

      beforeAll(async () => {
        streamId = newStreamId();
        const events = newEvents(5);
        ids = events.map((event) => event.id);
        await store.appendToStream(streamId, events, 'no_stream');
      });

      const read = async (options: Parameters<EventStore['readStream']>[1]): Promise<number[]> =>
        (await collect(store.readStream(streamId, options))).map((event) => event.revision);

      it('reads forwards by default', async () => {
        const events = await collect(store.readStream(streamId));
        expect(events.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(events.map((event) => event.id)).toEqual(ids);
        expect(events.every((event) => event.streamId === streamId)).toBe(true);
      });

      it('reads backwards from the end', async () => {
        expect(await read({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
      });

      it('reads from a revision, inclusive, in both directions', async () => {
        expect(await read({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await read({ fromRevision: 2, direction: 'forwards' })).toEqual([2, 3, 4]);
        expect(await read({ fromRevision: 2, direction: 'backwards' })).toEqual([2, 1, 0]);
      });

      it('stops at maxCount', async () => {
        expect(await read({ maxCount: 2 })).toEqual([0, 1]);
        expect(await read({ maxCount: 2, direction: 'backwards' })).toEqual([4, 3]);
        expect(await read({ fromRevision: 1, maxCount: 3 })).toEqual([1, 2, 3]);
        expect(await read({ fromRevision: 3, maxCount: 2, direction: 'backwards' })).toEqual([
          3, 2,
        ]);
        expect(await read({ maxCount: 10 })).toEqual([0, 1, 2, 3, 4]);
      });

      it('reads nothing past the end', async () => {
        expect(await read({ fromRevision: 5 })).toEqual([]);
      });

      it('reads nothing from an unknown stream', async () => {
        const unknown = newStreamId();
        expect(await collect(store.readStream(unknown))).toEqual([]);
        expect(await collect(store.readStream(unknown, { direction: 'backwards' }))).toEqual([]);
      });
    });

    describe('readAll and headPosition', () => {
      it('pages from a position through every event once, in order, across streams', async () => {
        const from = await store.headPosition();
        const streams = [newStreamId(), newStreamId(), newStreamId()];
        const appended: string[] = [];
        for (let round = 0; round < 3; round += 1) {
          for (const streamId of streams) {
            const events = newEvents(round + 1);
            await store.appendToStream(streamId, events, 'any');
            appended.push(...events.map((event) => event.id));
          }
        }

        const seen: RecordedEvent[] = [];
        let checkpoint = from;
        for (;;) {
          const page = await store.readAll({ fromPosition: checkpoint, maxCount: 4 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(4);
          expect(page.every((event) => isAfter(event.position, checkpoint))).toBe(true);
          seen.push(...page);
          checkpoint = page.at(-1)?.position ?? checkpoint;
        }

        expectIncreasing(seen.map((event) => event.position));
        const ours = seen.filter((event) => streams.includes(event.streamId));
        expect(ours.map((event) => event.id)).toEqual(appended);
        for (const streamId of streams) {
          expect(
            ours.filter((event) => event.streamId === streamId).map((event) => event.revision),
          ).toEqual([0, 1, 2, 3, 4, 5]);
        }
      });

      it('reads nothing after the head', async () => {
        await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
        const head = await store.headPosition();
        expect(await store.readAll({ fromPosition: head, maxCount: 10 })).toEqual([]);
      });

      it('moves the head to (at least) the position of the last append', async () => {
        const before = await store.headPosition();
        const result = await store.appendToStream(newStreamId(), newEvents(2), 'no_stream');
        expect(positionToJson(result.position)).toBeGreaterThan(positionToJson(before));
        expect(positionToJson(await store.headPosition())).toBeGreaterThanOrEqual(
          positionToJson(result.position),
        );

        const page = await store.readAll({ fromPosition: before, maxCount: 100 });
        expect(page.map((event) => event.position)).toContain(result.position);
      });
    });

    describe('positions: eventAt, countBetween and backwards reads', () => {
      it('finds the event stored exactly at a position, and none before the first', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(2), 'no_stream');
        const [, second] = await collect(store.readStream(streamId));
        const found = await store.eventAt(second?.position ?? LOG_START);
        expect(found?.id).toBe(second?.id);
        expect(found?.streamId).toBe(streamId);
        expect(await store.eventAt(LOG_START)).toBeUndefined();
      });

      it('finds no event past the head', async () => {
        await store.appendToStream(newStreamId(), [newEvent()], 'no_stream');
        const head = positionToJson(await store.headPosition());
        // Far past the head on any store (a byte offset or a row number).
        expect(await store.eventAt(positionFromJson(head * 2 + 1_000_000))).toBeUndefined();
      });

      it('counts the events between two positions where it can, else answers null', async () => {
        const before = await store.headPosition();
        await store.appendToStream(newStreamId(), newEvents(3), 'no_stream');
        const head = await store.headPosition();
        const counted = await store.countBetween(before, head);
        if (counted !== null) {
          expect(counted).toBe(3);
          expect(await store.countBetween(head, head)).toBe(0);
        }
      });

      it('reads backwards from the head, and from a position strictly before it', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(5), 'no_stream');
        const latest = await store.readAll({ direction: 'backwards', maxCount: 3 });
        const ours = (await collect(store.readStream(streamId))).map((event) => event.id);
        expect(latest.map((event) => event.id)).toEqual(ours.slice(2).reverse());
        const before = await store.readAll({
          direction: 'backwards',
          fromPosition: latest.at(-1)?.position,
          maxCount: 2,
        });
        expect(before.map((event) => event.id)).toEqual(ours.slice(0, 2).reverse());
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from a position, then receives live appends in order', async () => {
        const streamId = newStreamId();
        const from = await store.headPosition();
        await store.appendToStream(streamId, newEvents(3), 'no_stream');

        const received: RecordedEvent[] = [];
        let inFlight = 0;
        let overlapped = false;
        const subscription = store.subscribeToAll({
          fromPosition: from,
          onEvent: async (event) => {
            inFlight += 1;
            overlapped ||= inFlight > 1;
            await sleep(1);
            if (event.streamId === streamId) received.push(event);
            inFlight -= 1;
          },
        });
        try {
          await waitUntil('3 events received', () => received.length === 3);
          await store.appendToStream(streamId, newEvents(2), 2);
          await store.appendToStream(streamId, [newEvent()], 4);
          await waitUntil('6 events received', () => received.length === 6);
        } finally {
          await subscription.close();
        }

        expect(received.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5]);
        expectIncreasing(received.map((event) => event.position));
        expect(overlapped).toBe(false);
      });

      it('delivers only the events after a middle position', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(4), 'no_stream');
        const [, second] = await collect(store.readStream(streamId));
        if (second === undefined) throw new Error('stream too short');

        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          fromPosition: second.position,
          onEvent: (event) => {
            if (event.streamId === streamId) received.push(event);
          },
        });
        try {
          await waitUntil('2 events received', () => received.length >= 2);
          await sleep(50);
        } finally {
          await subscription.close();
        }
        expect(received.map((event) => event.revision)).toEqual([2, 3]);
      });

      it('delivers nothing more once closed', async () => {
        const streamId = newStreamId();
        const from = await store.headPosition();
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          fromPosition: from,
          onEvent: (event) => {
            if (event.streamId === streamId) received.push(event);
          },
        });
        await store.appendToStream(streamId, [newEvent()], 'no_stream');
        await waitUntil('1 event received', () => received.length === 1);

        await subscription.close();
        await store.appendToStream(streamId, newEvents(2), 0);
        await sleep(500);
        expect(received).toHaveLength(1);
      });
    });

    describe('concurrent writers', () => {
      it('lets exactly one of two writers at the same revision win', async () => {
        const second = fixture.openSecond ? await fixture.openSecond() : undefined;
        const other = second ?? store;
        try {
          const streamId = newStreamId();
          await store.appendToStream(streamId, [newEvent()], 'no_stream');
          const [lastSeenByFirst] = await collect(
            store.readStream(streamId, { direction: 'backwards', maxCount: 1 }),
          );
          const [lastSeenBySecond] = await collect(
            other.readStream(streamId, { direction: 'backwards', maxCount: 1 }),
          );
          expect(lastSeenByFirst?.revision).toBe(0);
          expect(lastSeenBySecond?.revision).toBe(0);

          const batches = [newEvents(2), newEvents(3)];
          const outcomes = await Promise.allSettled([
            store.appendToStream(streamId, batches[0] ?? [], 0),
            other.appendToStream(streamId, batches[1] ?? [], 0),
          ]);

          const winners = outcomes.flatMap((outcome, index) =>
            outcome.status === 'fulfilled' ? [index] : [],
          );
          const losers = outcomes.flatMap((outcome) =>
            outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
          );
          expect(winners).toHaveLength(1);
          expect(losers).toHaveLength(1);
          expect(losers[0]).toBeInstanceOf(WrongExpectedRevisionError);

          const winner = batches[winners[0] ?? -1] ?? [];
          const stored = (await collect(store.readStream(streamId))).slice(1);
          expect(stored.map((event) => event.id)).toEqual(winner.map((event) => event.id));
          expect(stored.map((event) => event.revision)).toEqual(
            winner.map((_, index) => index + 1),
          );
        } finally {
          await second?.close();
        }
      });
    });
  });
}

function expectIncreasing(positions: readonly Position[]): void {
  const values = positions.map(positionToJson);
  for (let index = 1; index < values.length; index += 1) {
    expect(values[index]).toBeGreaterThan(values[index - 1] ?? Number.NEGATIVE_INFINITY);
  }
}
