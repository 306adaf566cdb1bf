import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  StreamDeletedError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type HeadPositionOptions,
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
import type {
  EsdbAppendResult,
  EsdbClientLike,
  EsdbEventData,
  EsdbPosition,
  EsdbReadAllOptions,
  EsdbReadPosition,
  EsdbReadRevision,
  EsdbRecordedEvent,
} from './eventstoredb-client.js';
import { openEsdbClient } from './eventstoredb-clients.js';
import { EventStoreDbHead } from './eventstoredb-head.js';
import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  actualRevisionOf,
  allFilter,
  firstRevisionAfter,
  fromPortPosition,
  isAppendTooLarge,
  isInvalidPosition,
  isOurs,
  isOutcomeUnknown,
  isStreamDeleted,
  isStreamNotFound,
  isWrongExpectedVersion,
  matchesExpectedRevision,
  maxAppendSizeOf,
  normalizeId,
  toEsdbExpectedRevision,
  toEventData,
  toPortPosition,
  toRecordedEvent,
  toSafeNumber,
  validateAppend,
  validateStreamId,
} from './eventstoredb-mapping.js';
import {
  DEFAULT_RESUBSCRIBE_DELAYS,
  EventStoreDbSubscription,
  type ResubscribeDelays,
} from './eventstoredb-subscription.js';

export type { EsdbClientLike, EsdbRead, EsdbSubscriptionSource } from './eventstoredb-client.js';

/** Events read from $all per request when looking for the newest of our events. */
const HEAD_SCAN_BATCH = 32;
/** The fewest events read from $all per request when filling a page. */
const MIN_ALL_BATCH = 32;

export interface EventStoreDbOptions {
  /**
   * Stream-name prefixes of this application's streams. Reads of $all and subscriptions ask the
   * server for these streams only, so other applications sharing the database never reach the
   * projections. Empty: every non-system stream.
   */
  readonly streamPrefixes?: readonly string[];
  readonly resubscribeDelays?: ResubscribeDelays;
}

type Place = EsdbPosition | typeof START;

/**
 * The event store on EventStoreDB (KurrentDB) over gRPC, through either Node client (see
 * eventstoredb-clients.ts: `esdb://` → @eventstore/db-client, `kurrentdb://` →
 * @kurrent/kurrentdb-client).
 *
 * Mapping (see eventstoredb-mapping.ts): expected revisions map one to one (-1 = NO_STREAM),
 * revisions are the stream's event numbers, and global positions are commit positions in the
 * transaction log (byte offsets: they grow by each record's size, never by one), converted to
 * the port's in one function. System events (`$`-prefixed types or streams) and other
 * applications' streams are never returned from $all.
 *
 * Needs a server of version 22.6 or later (stream reads carry log positions only from there on)
 * and read access to $all (admin or ops, or an insecure server).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private readonly streamPrefixes: readonly string[];
  private readonly delays: ResubscribeDelays;
  private readonly head: EventStoreDbHead;
  private closed = false;

  private constructor(
    private readonly client: EsdbClientLike,
    options: EventStoreDbOptions = {},
  ) {
    this.streamPrefixes = options.streamPrefixes ?? [];
    this.delays = options.resubscribeDelays ?? DEFAULT_RESUBSCRIBE_DELAYS;
    this.head = new EventStoreDbHead(
      () => this.readHead(),
      (from, moved, dropped) =>
        this.follow(from, { onEvent: () => undefined }, { onDelivered: moved, onDropped: dropped }),
    );
  }

  /**
   * Connects with a connection string such as `esdb://127.0.0.1:2113?tls=false` or
   * `kurrentdb://127.0.0.1:2113?tls=false`, and checks the server answers (and lets this user
   * read $all) before handing the store out.
   */
  static async connect(
    connectionString: string,
    options: EventStoreDbOptions = {},
  ): Promise<EventStoreDbEventStore> {
    const client = await openEsdbClient(connectionString);
    try {
      // Fails fast on a server that is not there or a user who may not read $all.
      const probe = client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
        resolveLinkTos: false,
      });
      for await (const _ of probe) {
        // One event at most.
      }
      return new EventStoreDbEventStore(client, options);
    } catch (error) {
      await client.dispose();
      throw error;
    }
  }

  /** Wraps a client made elsewhere (or a stand-in of one, in unit tests); closing disposes it. */
  static fromClient(
    client: EsdbClientLike,
    options: EventStoreDbOptions = {},
  ): EventStoreDbEventStore {
    return new EventStoreDbEventStore(client, options);
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
      result = await this.send(streamId, data, expectedRevision);
    } catch (error) {
      if (!isOutcomeUnknown(error)) return this.refused(streamId, events, expectedRevision, error);
      return this.resolveUnknownOutcome(streamId, events, data, expectedRevision, error);
    }
    return this.acknowledged(streamId, events, expectedRevision, result);
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
      finished = true;
      // An unknown stream yields nothing; so does a soft-deleted one (it reads as unknown on the
      // server too, until an append recreates it).
      if (isStreamNotFound(error)) return;
      if (isStreamDeleted(error)) throw new StreamDeletedError(streamId);
      throw error;
    } finally {
      // Left early (by the caller, or on an event that cannot be mapped): stop the server.
      if (!finished) void read.cancel?.().catch(() => undefined);
    }
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (options.direction === 'backwards') return this.readAllBackwards(options);
    const after = fromPortPosition(options.fromPosition ?? LOG_START);
    const { maxCount } = options;
    if (!(maxCount > 0)) return [];

    const page: RecordedEvent[] = [];
    // Reads of $all include the event at their starting position, so each read skips what lies
    // at or before the last position seen, and paging goes on past events that are not ours
    // until the page is full or the log ends.
    let seen: Place = after;
    let from: EsdbReadPosition = after;
    for (;;) {
      // One more than needed, for the event at the start; never tiny, for runs of others' events.
      const batchSize = Math.max(maxCount - page.length + 1, MIN_ALL_BATCH);
      const batch = await this.readAllBatch(
        { fromPosition: from, direction: FORWARDS },
        batchSize,
        options.fromPosition ?? LOG_START,
      );
      for (const recorded of batch) {
        const position = recorded.position;
        if (position === undefined || !isAfterPlace(position, seen)) continue;
        if (!isOurs(recorded, this.streamPrefixes)) continue;
        page.push(toRecordedEvent(recorded));
        if (page.length === maxCount) return page;
      }
      const last = batch.at(-1)?.position;
      if (batch.length < batchSize || last === undefined) return page;
      if (isAfterPlace(last, seen)) seen = last;
      from = last;
    }
  }

  /** One event read from the end of $all: a round trip that needs the server to answer. */
  async ping(): Promise<void> {
    this.assertOpen();
    await this.readAllBatch({ fromPosition: END, direction: BACKWARDS }, 1, undefined);
  }

  /** Our events strictly before a position (or from the end), latest first. */
  private async readAllBackwards(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const before =
      options.fromPosition === undefined ? START : fromPortPosition(options.fromPosition);
    const { maxCount } = options;
    if (!(maxCount > 0)) return [];
    const page: RecordedEvent[] = [];
    let from: EsdbReadPosition = before === START ? END : before;
    let seen: EsdbPosition | undefined = before === START ? undefined : before;
    for (;;) {
      const batchSize = Math.max(maxCount - page.length + 1, MIN_ALL_BATCH);
      const batch = await this.readAllBatch(
        { fromPosition: from, direction: BACKWARDS },
        batchSize,
        options.fromPosition,
      );
      for (const recorded of batch) {
        const position = recorded.position;
        // Backwards reads may start with the event at their position: not before it.
        if (position === undefined || (seen !== undefined && position.commit >= seen.commit))
          continue;
        if (!isOurs(recorded, this.streamPrefixes)) continue;
        page.push(toRecordedEvent(recorded));
        if (page.length === maxCount) return page;
      }
      const last = batch.at(-1)?.position;
      if (batch.length < batchSize || last === undefined) return page;
      seen = last;
      from = last;
    }
  }

  /**
   * Reads $all from the position, which EventStoreDB includes: the event there, if one starts
   * exactly there. A server refusing the position (not an event's start) means none; a server
   * not answering fails the head read after it.
   */
  async eventAt(position: PortPosition): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    const at = fromPortPosition(position);
    if (at === START) return undefined;
    try {
      const [recorded] = await this.readAllBatch(
        { fromPosition: at, direction: FORWARDS },
        1,
        undefined,
      );
      if (recorded?.position?.commit !== at.commit) return undefined;
      return isOurs(recorded, this.streamPrefixes) ? toRecordedEvent(recorded) : undefined;
    } catch {
      await this.headPosition({ fresh: true });
      return undefined;
    }
  }

  /** Positions are byte offsets: counting would read every event between them. */
  countBetween(): Promise<number | null> {
    return Promise.resolve(null);
  }

  async headPosition(options: HeadPositionOptions = {}): Promise<PortPosition> {
    this.assertOpen();
    const head = await this.head.current(options.fresh ?? false);
    return head === START ? LOG_START : toPortPosition(head, 'the head of $all');
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    return this.follow(fromPortPosition(options.fromPosition ?? LOG_START), options, {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.head.close();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private follow(
    from: Place,
    port: SubscribeToAllOptions,
    hooks: {
      onDelivered?: (position: EsdbPosition) => void;
      onDropped?: (forGood: boolean) => void;
    },
  ): EventStoreDbSubscription {
    const filter = allFilter(this.streamPrefixes);
    const subscription = new EventStoreDbSubscription(port, {
      open: (position) =>
        this.client.subscribeToAll({ fromPosition: position, resolveLinkTos: false, filter }),
      accepts: (event) => isOurs(event, this.streamPrefixes),
      from,
      delays: this.delays,
      onFinished: (finished) => this.subscriptions.delete(finished),
      onDelivered: (position) => {
        // Whatever a subscription saw is stored: the head is at least there.
        this.head.move(position);
        hooks.onDelivered?.(position);
      },
      ...(hooks.onDropped && { onDropped: hooks.onDropped }),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }

  private send(
    streamId: string,
    data: EsdbEventData[],
    expected: ExpectedRevision,
  ): Promise<EsdbAppendResult> {
    return this.client.appendToStream(streamId, data, {
      expectedRevision: toEsdbExpectedRevision(expected),
    });
  }

  private async acknowledged(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    result: EsdbAppendResult,
  ): Promise<AppendResult> {
    if (!result.success) {
      // Only with a client made with throwOnAppendFailure: false.
      const head = await this.streamHead(streamId);
      return this.refusedOrRetried(streamId, events, expected, head?.revision ?? 'no_stream');
    }
    const appended = await this.appended(streamId, result);
    this.head.move(fromPortPosition(appended.position));
    return appended;
  }

  /** The server refused the append as a whole: nothing was written. */
  private async refused(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    error: unknown,
  ): Promise<AppendResult> {
    if (isWrongExpectedVersion(error)) {
      const actual = actualRevisionOf(error) ?? (await this.streamHead(streamId))?.revision;
      return this.refusedOrRetried(streamId, events, expected, actual ?? 'no_stream');
    }
    if (isStreamDeleted(error)) throw new StreamDeletedError(streamId);
    if (isAppendTooLarge(error)) throw new AppendTooLargeError(streamId, maxAppendSizeOf(error));
    throw error;
  }

  /**
   * The server did not say whether the append committed (deadline, lost connection, leader
   * change). With an exact expected revision the stream itself tells: our events carry unique
   * ids, so if they sit right after the expected revision the append committed. If not, it is
   * sent once more with the same ids and revision, which can neither write twice (the revision
   * check, or the server's own idempotency) nor lose the first attempt's late commit (found by
   * the same read-back on a refusal). Without an exact revision, or when even that cannot tell,
   * the caller learns the outcome is unknown — never that nothing happened.
   */
  private async resolveUnknownOutcome(
    streamId: string,
    events: readonly NewEvent[],
    data: EsdbEventData[],
    expected: ExpectedRevision,
    cause: unknown,
  ): Promise<AppendResult> {
    if (firstRevisionAfter(expected) === undefined) {
      throw new AppendOutcomeUnknownError(streamId, { cause });
    }
    const committed = await this.findPreviousAppend(streamId, events, expected).catch(
      (readError: unknown) => {
        throw new AppendOutcomeUnknownError(streamId, { cause: readError });
      },
    );
    if (committed !== undefined) return this.found(committed);

    let result: EsdbAppendResult;
    try {
      result = await this.send(streamId, data, expected);
    } catch (error) {
      if (!isOutcomeUnknown(error)) return this.refused(streamId, events, expected, error);
      const late = await this.findPreviousAppend(streamId, events, expected).catch(() => undefined);
      if (late !== undefined) return this.found(late);
      throw new AppendOutcomeUnknownError(streamId, { cause: error });
    }
    return this.acknowledged(streamId, events, expected, result);
  }

  private found(result: AppendResult): AppendResult {
    this.head.move(fromPortPosition(result.position));
    return result;
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

  /** The newest of our events, START for none, however many others follow it. */
  private async readHead(): Promise<Place> {
    let from: EsdbReadPosition = END;
    let before: EsdbPosition | undefined;
    for (;;) {
      const batch = await this.readAllBatch(
        { fromPosition: from, direction: BACKWARDS },
        HEAD_SCAN_BATCH,
        undefined,
      );
      for (const recorded of batch) {
        const position = recorded.position;
        if (position === undefined) continue;
        // Backwards reads may start with the event at their position: already looked at.
        if (before !== undefined && position.commit >= before.commit) continue;
        if (isOurs(recorded, this.streamPrefixes)) return position;
      }
      const last = batch.at(-1)?.position;
      if (batch.length < HEAD_SCAN_BATCH || last === undefined) return START;
      from = before = last;
    }
  }

  private async readAllBatch(
    options: Pick<EsdbReadAllOptions, 'fromPosition' | 'direction'>,
    maxCount: number,
    /** The port position the read starts from, to name it when the server refuses it. */
    checkpoint: PortPosition | undefined,
  ): Promise<EsdbRecordedEvent[]> {
    const batch: EsdbRecordedEvent[] = [];
    const read = this.client.readAll({
      ...options,
      maxCount,
      resolveLinkTos: false,
      filter: allFilter(this.streamPrefixes),
    });
    try {
      for await (const resolved of read) {
        if (resolved.event) batch.push(resolved.event);
      }
    } catch (error) {
      if (checkpoint !== undefined && isInvalidPosition(error)) {
        throw new RangeError(
          `Position ${String(positionToJson(checkpoint))} is not the start of an event in this ` +
            'EventStoreDB log, ' +
            'so the server refuses to read from it: a checkpoint from another store (or a ' +
            'made-up position)? Rebuild what depends on it',
          { cause: error },
        );
      }
      throw error;
    }
    return batch;
  }
}

function isAfterPlace(position: EsdbPosition, after: Place): boolean {
  return after === START || position.commit > after.commit;
}

/** Where a stream read starts; undefined when it can find nothing (backwards from before 0). */
function startOfStreamRead(
  fromRevision: number | undefined,
  backwards: boolean,
): EsdbReadRevision | undefined {
  if (fromRevision === undefined) return backwards ? END : START;
  if (fromRevision >= 0) return BigInt(fromRevision);
  return backwards ? undefined : START;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
