import { AsyncLocalStorage } from 'node:async_hooks';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  excludeSystemEvents,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type EventData,
  type Position,
  type ReadAllOptions as EsdbReadAllOptions,
  type ReadPosition,
  type ReadRevision,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions as EsdbSubscribeToAllOptions,
} from '@eventstore/db-client';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
  LOG_START,
  type Position as PortPosition,
  positionFromJson,
  positionToJson,
} from '../../event-sourcing/ports/event-store.port.js';
import {
  assertPortPosition,
  firstRevisionAfter,
  fromEsdbCurrentRevision,
  isAfter,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  matchesExpectedRevision,
  normalizeId,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEventData,
  toPortPosition,
  toRecordedEvent,
  toSafeNumber,
  validateAppend,
  validateStreamId,
} from './eventstoredb-mapping.js';

/** A read of the client: an async iterable that can be cancelled when left early. */
export interface EsdbRead<T> extends AsyncIterable<T> {
  cancel?(): Promise<void>;
}

/** A catch-up subscription of the client. */
export interface EsdbSubscriptionSource extends AsyncIterable<AllStreamResolvedEvent> {
  unsubscribe(): Promise<void>;
  destroy?(error?: Error): unknown;
}

/** The part of @eventstore/db-client's EventStoreDBClient this adapter uses. */
export interface EventStoreDbClientLike {
  appendToStream(
    streamName: string,
    events: EventData[],
    options: { expectedRevision: AppendExpectedRevision },
  ): Promise<EsdbAppendResult>;
  readStream(streamName: string, options: EsdbReadStreamOptions): EsdbRead<ResolvedEvent>;
  readAll(options: EsdbReadAllOptions): EsdbRead<AllStreamResolvedEvent>;
  subscribeToAll(options: EsdbSubscribeToAllOptions): EsdbSubscriptionSource;
  dispose(): Promise<void>;
}

/** Events read from $all per request when looking for the newest non-system event. */
const HEAD_SCAN_BATCH = 32;
/** The fewest events read from $all per request when filling a page. */
const MIN_ALL_BATCH = 32;

/**
 * The event store on EventStoreDB (KurrentDB) through @eventstore/db-client, over gRPC.
 *
 * Mapping (see eventstoredb-mapping.ts): expected revisions map one to one (-1 = NO_STREAM),
 * revisions are the stream's event numbers, and global positions are commit positions in the
 * transaction log (byte offsets, equal to the prepare position for every event appended over
 * gRPC). System events (`$`-prefixed types or streams) are never returned from $all.
 *
 * Needs a server of version 22.6 or later (stream reads carry log positions only from there on)
 * and read access to $all (admin or ops, or an insecure server).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  private constructor(private readonly client: EventStoreDbClientLike) {}

  /**
   * Connects with a connection string such as `esdb://127.0.0.1:2113?tls=false`, and checks the
   * server answers (and lets this user read $all) before handing the store out.
   */
  static async connect(connectionString: string): Promise<EventStoreDbEventStore> {
    const client = EventStoreDBClient.connectionString(connectionString);
    try {
      // Fails fast on a server that is not there or a user who may not read $all.
      const probe = client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
      for await (const _ of probe) {
        // One event at most.
      }
      return new EventStoreDbEventStore(client);
    } catch (error) {
      await client.dispose();
      throw error;
    }
  }

  /** Wraps a client made elsewhere (or a stand-in of one, in unit tests); closing disposes it. */
  static fromClient(client: EventStoreDbClientLike): EventStoreDbEventStore {
    return new EventStoreDbEventStore(client);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.assertOpen();
    validateStreamId(streamId);
    validateAppend(events, expectedRevision);
    // EventStoreDB has no answer of its own for an empty append: check the revision here.
    if (events.length === 0) return this.appendNothing(streamId, expectedRevision);

    const data = events.map(toEventData);
    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(streamId, data, {
        expectedRevision: toEsdbExpectedRevision(expectedRevision),
      });
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw error;
      return this.refusedOrRetried(
        streamId,
        events,
        expectedRevision,
        fromEsdbCurrentRevision(error.actualVersion),
      );
    }
    if (!result.success) {
      // Only with a client made with throwOnAppendFailure: false.
      const head = await this.streamHead(streamId);
      return this.refusedOrRetried(
        streamId,
        events,
        expectedRevision,
        head?.revision ?? 'no_stream',
      );
    }
    return this.appended(streamId, result);
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent, void, undefined> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const { maxCount } = options;
    if (maxCount !== undefined && maxCount <= 0) return;
    const fromRevision = startOfStreamRead(options.fromRevision, backwards);
    if (fromRevision === undefined) return; // nothing lies before the first event

    const read = this.client.readStream(streamId, {
      fromRevision,
      direction: backwards ? BACKWARDS : FORWARDS,
      resolveLinkTos: false,
      ...(maxCount !== undefined && { maxCount }),
    });
    let finished = false;
    try {
      for await (const resolved of read) {
        if (resolved.event) yield toRecordedEvent(resolved.event);
      }
      finished = true;
    } catch (error) {
      // An unknown stream yields nothing.
      if (!isStreamNotFound(error)) throw error;
      finished = true;
    } finally {
      // Left early (by the caller, or on an event that cannot be mapped): stop the server.
      if (!finished) void read.cancel?.().catch(() => undefined);
    }
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (options.direction === 'backwards') return this.readAllBackwards(options);
    // The port's positions are converted here, at the boundary; inside, they are numbers.
    const after = positionToJson(options.fromPosition ?? LOG_START);
    assertPortPosition(after);
    const { maxCount } = options;
    if (!(maxCount > 0)) return [];

    const page: RecordedEvent[] = [];
    // Reads of $all include the event at their starting position, so each read skips what lies
    // at or before the last position seen, and paging goes on past system events until the page
    // is full or the log ends.
    let seen = BigInt(after);
    let from: ReadPosition = toEsdbPosition(after);
    for (;;) {
      // One more than needed, for the event at the start; never tiny, for runs of system events.
      const batchSize = Math.max(maxCount - page.length + 1, MIN_ALL_BATCH);
      const batch = await this.readAllBatch({ fromPosition: from, direction: FORWARDS }, batchSize);
      for (const recorded of batch) {
        if (recorded.position.commit <= seen || isSystemEvent(recorded)) continue;
        page.push(toRecordedEvent(recorded));
        if (page.length === maxCount) return page;
      }
      const last = batch.at(-1);
      if (batch.length < batchSize || last === undefined) return page;
      if (last.position.commit > seen) seen = last.position.commit;
      from = last.position;
    }
  }

  /** One event read from the end of $all: a round trip that needs the server to answer. */
  async ping(): Promise<void> {
    this.assertOpen();
    await this.readAllBatch({ fromPosition: END, direction: BACKWARDS }, 1);
  }

  /** Events strictly before a position (or from the end), latest first. */
  private async readAllBackwards(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const before =
      options.fromPosition === undefined ? undefined : positionToJson(options.fromPosition);
    if (before !== undefined) assertPortPosition(before);
    const { maxCount } = options;
    if (!(maxCount > 0)) return [];
    const page: RecordedEvent[] = [];
    let from: ReadPosition = before === undefined ? END : toEsdbPosition(before);
    let seen = before === undefined ? undefined : BigInt(before);
    for (;;) {
      const batchSize = Math.max(maxCount - page.length + 1, MIN_ALL_BATCH);
      const batch = await this.readAllBatch(
        { fromPosition: from, direction: BACKWARDS },
        batchSize,
      );
      for (const recorded of batch) {
        // Backwards reads may start with the event at their position: not before it.
        if (seen !== undefined && recorded.position.commit >= seen) continue;
        if (isSystemEvent(recorded)) continue;
        page.push(toRecordedEvent(recorded));
        if (page.length === maxCount) return page;
      }
      const last = batch.at(-1);
      if (batch.length < batchSize || last === undefined) return page;
      seen = last.position.commit;
      from = last.position;
    }
  }

  /**
   * Reads $all from the position, which EventStoreDB includes: the event there, if one starts
   * exactly there. A server refusing the position (not an event's start) means none; a server
   * not answering fails the head read after it.
   */
  async eventAt(position: PortPosition): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    const at = positionToJson(position);
    if (at === 0) return undefined;
    try {
      const [recorded] = await this.readAllBatch(
        { fromPosition: toEsdbPosition(at), direction: FORWARDS },
        1,
      );
      if (recorded === undefined || recorded.position.commit !== BigInt(at)) return undefined;
      return isSystemEvent(recorded) ? undefined : toRecordedEvent(recorded);
    } catch {
      await this.headPosition();
      return undefined;
    }
  }

  /** Positions are byte offsets: counting would read every event between them. */
  countBetween(): Promise<number | null> {
    return Promise.resolve(null);
  }

  async headPosition(): Promise<PortPosition> {
    this.assertOpen();
    let from: ReadPosition = END;
    let before: Position | undefined;
    for (;;) {
      const batch = await this.readAllBatch(
        { fromPosition: from, direction: BACKWARDS },
        HEAD_SCAN_BATCH,
      );
      for (const recorded of batch) {
        // Backwards reads may start with the event at their position: already looked at.
        if (before !== undefined && recorded.position.commit >= before.commit) continue;
        if (!isSystemEvent(recorded)) {
          return positionFromJson(
            toPortPosition(recorded.position, `event ${recorded.id} in $all`),
          );
        }
      }
      const last = batch.at(-1);
      if (batch.length < HEAD_SCAN_BATCH || last === undefined) return LOG_START;
      from = before = last.position;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    const after = positionToJson(options.fromPosition ?? LOG_START);
    assertPortPosition(after);
    const source = this.client.subscribeToAll({
      fromPosition: toEsdbPosition(after),
      resolveLinkTos: false,
      filter: excludeSystemEvents(),
    });
    const subscription = new EventStoreDbSubscription(source, options, after, (finished) =>
      this.subscriptions.delete(finished),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }

  private async appended(streamId: string, result: EsdbAppendResult): Promise<AppendResult> {
    const nextExpectedRevision = toSafeNumber(result.nextExpectedRevision, 'stream revision');
    try {
      const position = positionFromJson(
        toPortPosition(result.position, `the append to ${streamId}`),
      );
      return { nextExpectedRevision, position };
    } catch {
      // No usable position in the answer (as after an append the server found already done):
      // the last event of the append is at nextExpectedRevision, read its position.
      const [last] = await this.readEvents(streamId, nextExpectedRevision, 1);
      if (last === undefined) {
        throw new Error(
          `EventStoreDB acknowledged an append to ${streamId} at revision ` +
            `${String(nextExpectedRevision)} but the event cannot be read back`,
        );
      }
      return { nextExpectedRevision, position: last.position };
    }
  }

  /**
   * EventStoreDB refused the append for its expected revision. It is nevertheless a retry of an
   * append that succeeded when the events right after the expected revision carry exactly these
   * ids: then the port answers the original result, whatever the stream did since. The server
   * recognizes many such retries itself (its idempotency check), but not all (a retry it cannot
   * match to its own bookkeeping comes back as WrongExpectedVersion), so the port's promise is
   * kept here rather than left to it.
   */
  private async refusedOrRetried(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    actual: number | 'no_stream',
  ): Promise<AppendResult> {
    const previous = await this.findPreviousAppend(streamId, events, expected);
    if (previous !== undefined) return previous;
    throw new WrongExpectedRevisionError(streamId, expected, actual);
  }

  private async findPreviousAppend(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | undefined> {
    const first = firstRevisionAfter(expected);
    if (first === undefined) return undefined;
    const stored = await this.readEvents(streamId, first, events.length);
    const isRetry =
      stored.length === events.length &&
      stored.every(
        (event, index) =>
          event.revision === first + index &&
          normalizeId(event.id) === normalizeId(events[index]?.id ?? ''),
      );
    const last = stored.at(-1);
    if (!isRetry || last === undefined) return undefined;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const head = await this.streamHead(streamId);
    if (!matchesExpectedRevision(expected, head?.revision)) {
      throw new WrongExpectedRevisionError(streamId, expected, head?.revision ?? 'no_stream');
    }
    return head
      ? { nextExpectedRevision: head.revision, position: head.position }
      : { nextExpectedRevision: -1, position: await this.headPosition() };
  }

  private async streamHead(streamId: string): Promise<RecordedEvent | undefined> {
    const [last] = await collect(
      this.readStream(streamId, { direction: 'backwards', maxCount: 1 }),
    );
    return last;
  }

  private readEvents(streamId: string, from: number, count: number): Promise<RecordedEvent[]> {
    return collect(this.readStream(streamId, { fromRevision: from, maxCount: count }));
  }

  private async readAllBatch(
    options: Pick<EsdbReadAllOptions, 'fromPosition' | 'direction'>,
    maxCount: number,
  ): Promise<AllStreamRecordedEvent[]> {
    const batch: AllStreamRecordedEvent[] = [];
    const read = this.client.readAll({ ...options, maxCount, resolveLinkTos: false });
    for await (const resolved of read) {
      if (resolved.event) batch.push(resolved.event);
    }
    return batch;
  }
}

/**
 * A catch-up subscription to $all, filtered server-side to non-system events. Events are handed
 * to onEvent one at a time: the next is taken from the client's stream only once the handler's
 * promise settled, so the stream's backpressure holds the server back meanwhile.
 */
class EventStoreDbSubscription implements Subscription {
  private static readonly delivering = new AsyncLocalStorage<EventStoreDbSubscription>();
  private closed = false;
  private readonly finished: Promise<void>;

  constructor(
    private readonly source: EsdbSubscriptionSource,
    private readonly options: SubscribeToAllOptions,
    private readonly fromPosition: number,
    private readonly onFinished: (subscription: EventStoreDbSubscription) => void,
  ) {
    this.finished = this.run();
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.stopSource();
    }
    // Called from inside onEvent: the loop is waiting for that very call, so waiting for the
    // loop would deadlock. It stops as soon as onEvent settles.
    if (EventStoreDbSubscription.delivering.getStore() === this) return;
    await this.finished;
  }

  private async run(): Promise<void> {
    // Let subscribeToAll return the subscription before the first event is delivered.
    await Promise.resolve();
    let checkpoint = this.fromPosition;
    try {
      for await (const resolved of this.source) {
        if (this.isClosed()) return;
        const recorded = resolved.event;
        // The server starts after the position and filters system events; both are checked
        // again so that neither a server version nor a replay can break the port's promise.
        if (recorded === undefined || isSystemEvent(recorded)) continue;
        if (!isAfter(recorded.position, checkpoint)) continue;
        const event = toRecordedEvent(recorded);
        await EventStoreDbSubscription.delivering.run(this, () => this.options.onEvent(event));
        checkpoint = positionToJson(event.position);
        if (this.isClosed()) return;
      }
      if (!this.isClosed()) throw new Error('The EventStoreDB subscription to $all ended');
    } catch (error) {
      // A stream torn down by close() ends with an error of its own: not worth reporting.
      if (this.isClosed()) return;
      // The failed event is not skipped: the subscription stops on it.
      this.closed = true;
      await this.stopSource();
      try {
        this.options.onError?.(error);
      } catch {
        // A failing error handler has nowhere left to report to.
      }
    } finally {
      this.onFinished(this);
    }
  }

  /** A method, not the field, so that the checks after an await are not narrowed away. */
  private isClosed(): boolean {
    return this.closed;
  }

  private async stopSource(): Promise<void> {
    try {
      await this.source.unsubscribe();
    } catch {
      // Already gone.
    }
    // Ends a pending read of the loop, which cancelling the call alone may leave waiting.
    this.source.destroy?.();
  }
}

/** Where a stream read starts; undefined when it can find nothing (backwards from before 0). */
function startOfStreamRead(
  fromRevision: number | undefined,
  backwards: boolean,
): ReadRevision | undefined {
  if (fromRevision === undefined) return backwards ? END : START;
  if (fromRevision >= 0) return BigInt(fromRevision);
  return backwards ? undefined : START;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
