import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import * as eventStoreDbClient from '@eventstore/db-client';
import * as kurrentDbClient from '@kurrent/kurrentdb-client';
import {
  DEFAULT_MAX_APPEND_SIZE,
  type EsdbAppendResult,
  type EsdbEventData,
  type EsdbExpectedRevision,
  type EsdbFilter,
  type EsdbPosition,
  type EsdbRead,
  type EsdbReadAllOptions,
  type EsdbReadPosition,
  type EsdbReadStreamOptions,
  type EsdbResolvedEvent,
  type EsdbSubscribeToAllOptions,
  type EsdbSubscriptionSource,
} from '../../../src/adapters/eventstoredb/eventstoredb-client.js';
import {
  wrapEventStoreDbClient,
  wrapKurrentDbClient,
  type EsdbClientLibrary,
} from '../../../src/adapters/eventstoredb/eventstoredb-clients.js';

/**
 * An in-memory stand-in for an EventStoreDB/KurrentDB server, reached through stand-ins of either
 * Node client. It copies the behaviour the adapter must cope with, as the server documents it
 * (SERVERS.md) — strict where a lenient stand-in would hide a bug:
 * - positions are byte offsets in one log: commit = prepare, the first record is not at 0, and
 *   each record moves the next one on by its size (never by one);
 * - a read of $all or a subscription from a position that is not a record's start (nor the end
 *   of the log) is refused, as the server refuses it ("Trying to read from an invalid position.");
 * - an append checks the expected revision atomically and refuses more than the server's default
 *   max append size (1 MiB);
 * - streams can be soft-deleted (they read as unknown; an append recreates them, revisions
 *   going on), tombstoned (every read and write fails with StreamDeleted) and truncated ($tb, or
 *   $maxCount metadata); their events stay in $all, as on the server until a scavenge;
 * - reading $all from a position includes the event there (both directions);
 * - $all reads and subscriptions apply the stream-prefix or event-type filter server-side;
 * - faults on demand: the next call fails with a deadline, Unavailable or NotLeader, for appends
 *   after or before committing (the outcome the client cannot know); subscriptions can be
 *   dropped (a server restart) and refused until the server is back;
 * - system events ($-prefixed types and streams) sit in $all between the application's events.
 * Errors are the client library's own classes (each library names some fields differently).
 * Not a server: it is how the adapter's logic is tested where no server can run.
 */
export class FakeEventStoreDb {
  readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StreamState>();
  private nextPosition = 1_337n;
  private readonly subscribers = new Set<FakeSubscription>();
  private readonly faults: Fault[] = [];
  private down = false;
  private appends = 0;

  constructor(
    private readonly options: {
      /** Whether the server recognizes a retried append itself (only when the revision matches). */
      readonly serverIdempotency?: boolean;
      /** Writes a system event to $all after every n appends (0 = never). */
      readonly systemEventEvery?: number;
      readonly maxAppendSize?: number;
    } = {},
  ) {}

  /** A client of the given library connected to this server. */
  connect(library: EsdbClientLibrary = 'eventstore-db-client'): FakeEsdbClient {
    return new FakeEsdbClient(this, library);
  }

  /** The end of the log: where the next record will start. */
  get end(): EsdbPosition {
    return { commit: this.nextPosition, prepare: this.nextPosition };
  }

  // --- faults -------------------------------------------------------------------------------

  /** The next matching call fails; an append fails after committing when `committed`. */
  failNext(fault: Fault): void {
    this.faults.push(fault);
  }

  /**
   * A restart: every subscription drops with Unavailable, and while down every call fails with
   * Unavailable. `up()` brings it back.
   */
  goDown(): void {
    this.down = true;
    for (const subscriber of [...this.subscribers])
      subscriber.breakOff(clientError(subscriber.library, 'unavailable'));
  }

  up(): void {
    this.down = false;
  }

  /** Drops every subscription as a server restart does, the server staying up. */
  dropSubscriptions(): void {
    for (const subscriber of [...this.subscribers])
      subscriber.breakOff(clientError(subscriber.library, 'unavailable'));
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  // --- operations of other writers (operators, other applications) ---------------------------

  /** A soft delete: the stream reads as unknown; an append with no_stream or any recreates it. */
  deleteStream(streamName: string): void {
    const state = this.streams.get(streamName);
    if (state === undefined) throw new Error(`no stream ${streamName}`);
    state.softDeleted = true;
    state.truncateBefore = (state.last ?? -1n) + 1n;
    this.writeMetadata(streamName, { $tb: 'deleted' });
  }

  /** A hard delete: a tombstone; the stream can never be read or written again. */
  tombstoneStream(streamName: string): void {
    const state = this.stateOf(streamName);
    state.tombstoned = true;
    this.write({
      streamId: streamName,
      id: randomUUID(),
      revision: 2n ** 63n - 1n,
      type: '$streamDeleted',
      data: '',
      metadata: '',
    });
  }

  /** Truncation by metadata: events before $tb, or all but the last $maxCount, are hidden. */
  truncateStream(streamName: string, limits: { truncateBefore?: bigint; maxCount?: number }): void {
    const state = this.stateOf(streamName);
    if (limits.truncateBefore !== undefined) state.truncateBefore = limits.truncateBefore;
    if (limits.maxCount !== undefined) state.maxCount = limits.maxCount;
    this.writeMetadata(streamName, {
      $tb: String(limits.truncateBefore),
      $maxCount: limits.maxCount,
    });
  }

  /** A system event, as the server writes them on its own (statistics, metadata, links). */
  writeSystemEvent(streamId = '$stats-127.0.0.1:2113', type = '$statsCollected'): StoredRecord {
    const revision = BigInt(this.log.filter((record) => record.streamId === streamId).length);
    return this.write({ streamId, id: randomUUID(), revision, type, data: '{}', metadata: '' });
  }

  /** An event of another application sharing the database. */
  writeForeignEvent(streamId: string, type = 'SomethingElseHappened'): StoredRecord {
    const state = this.stateOf(streamId);
    const revision = (state.last ?? -1n) + 1n;
    state.last = revision;
    return this.write({ streamId, id: randomUUID(), revision, type, data: '{}', metadata: '' });
  }

  // --- the server's side of the client calls ------------------------------------------------

  append(
    library: EsdbClientLibrary,
    streamName: string,
    events: EsdbEventData[],
    expected: EsdbExpectedRevision,
  ): EsdbAppendResult {
    this.checkUp(library);
    const fault = this.takeFault('appendToStream');
    if (fault && !fault.committed) throw clientError(library, fault.error);
    const result = this.commit(library, streamName, events, expected);
    if (fault) throw clientError(library, fault.error);
    return result;
  }

  readStream(
    library: EsdbClientLibrary,
    streamName: string,
    options: EsdbReadStreamOptions,
  ): StoredRecord[] {
    this.checkUp(library);
    const fault = this.takeFault('readStream');
    if (fault) throw clientError(library, fault.error);
    const state = this.streams.get(streamName);
    if (state?.tombstoned) throw clientError(library, 'stream-deleted', streamName);
    const stream = this.visible(streamName);
    if (stream.length === 0) throw clientError(library, 'stream-not-found', streamName);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    const ordered = backwards ? [...stream].reverse() : stream;
    const selected = ordered.filter((record) => {
      if (from === 'start' || from === 'end') return true;
      return backwards ? record.revision <= from : record.revision >= from;
    });
    return selected.slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER);
  }

  readAll(library: EsdbClientLibrary, options: EsdbReadAllOptions): StoredRecord[] {
    this.checkUp(library);
    const fault = this.takeFault('readAll');
    if (fault) throw clientError(library, fault.error);
    this.checkPosition(library, options.fromPosition);
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition;
    const ordered = backwards ? [...this.log].reverse() : this.log;
    const selected = ordered.filter((record) => {
      if (!passes(options.filter, record)) return false;
      if (from === 'start' || from === 'end') return true;
      return backwards
        ? record.position.commit <= from.commit
        : record.position.commit >= from.commit;
    });
    return selected.slice(0, options.maxCount);
  }

  subscribe(subscription: FakeSubscription, options: EsdbSubscribeToAllOptions): void {
    if (this.down) {
      // The call itself goes out; the stream fails once the connection attempt does.
      setImmediate(() => {
        subscription.breakOff(clientError(subscription.library, 'unavailable'));
      });
      return;
    }
    try {
      this.checkPosition(subscription.library, options.fromPosition);
    } catch (error) {
      setImmediate(() => {
        subscription.breakOff(error as Error);
      });
      return;
    }
    const from = options.fromPosition;
    for (const record of this.log) {
      if (from === 'end') break;
      if (from === 'start' || record.position.commit > from.commit) subscription.offer(record);
    }
    this.subscribers.add(subscription);
  }

  unsubscribe(subscription: FakeSubscription): void {
    this.subscribers.delete(subscription);
  }

  private checkUp(library: EsdbClientLibrary): void {
    if (this.down) throw clientError(library, 'unavailable');
  }

  private takeFault(method: Fault['method']): Fault | undefined {
    const index = this.faults.findIndex((fault) => fault.method === method);
    if (index < 0) return undefined;
    const [fault] = this.faults.splice(index, 1);
    return fault;
  }

  private checkPosition(library: EsdbClientLibrary, position: EsdbReadPosition): void {
    if (position === 'start' || position === 'end') return;
    const valid =
      position.commit === position.prepare &&
      (position.commit === this.nextPosition ||
        this.log.some((record) => record.position.commit === position.commit));
    if (!valid) {
      const Unknown =
        library === 'kurrentdb-client'
          ? kurrentDbClient.UnknownError
          : eventStoreDbClient.UnknownError;
      throw new Unknown(undefined, 'Trying to read from an invalid position.');
    }
  }

  private commit(
    library: EsdbClientLibrary,
    streamName: string,
    events: EsdbEventData[],
    expected: EsdbExpectedRevision,
  ): EsdbAppendResult {
    const state = this.streams.get(streamName);
    if (state?.tombstoned) throw clientError(library, 'stream-deleted', streamName);
    const size = events.reduce(
      (total, event) =>
        total +
        byteLength(JSON.stringify(event.data)) +
        byteLength(JSON.stringify(event.metadata ?? '')),
      0,
    );
    const limit = this.options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
    if (size > limit) {
      const TooLarge =
        library === 'kurrentdb-client'
          ? kurrentDbClient.MaxAppendSizeExceededError
          : eventStoreDbClient.MaxAppendSizeExceededError;
      throw new TooLarge(undefined, limit);
    }
    const current = state?.last;
    const stream = this.log.filter((record) => record.streamId === streamName);

    if (this.options.serverIdempotency && typeof expected === 'bigint' && current !== undefined) {
      const already = stream.filter(
        (record) =>
          record.revision > expected && record.revision <= expected + BigInt(events.length),
      );
      if (
        already.length === events.length &&
        already.every((record, index) => record.id === events[index]?.id.toLowerCase())
      ) {
        const last = already.at(-1);
        if (last !== undefined) {
          return { success: true, nextExpectedRevision: last.revision, position: last.position };
        }
      }
    }

    const softDeleted = state?.softDeleted === true;
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && (current === undefined || softDeleted)) ||
      (expected === 'stream_exists' && current !== undefined && !softDeleted) ||
      expected === current;
    if (!matches) {
      const Wrong =
        library === 'kurrentdb-client'
          ? kurrentDbClient.WrongExpectedVersionError
          : eventStoreDbClient.WrongExpectedVersionError;
      throw new Wrong(undefined, {
        streamName,
        expected,
        current: current ?? 'no_stream',
      });
    }

    const target = this.stateOf(streamName);
    if (target.softDeleted) {
      // Recreated: the old events stay hidden, numbering goes on after them.
      target.softDeleted = false;
      target.truncateBefore = (current ?? -1n) + 1n;
      this.writeMetadata(streamName, { $tb: String(target.truncateBefore) });
    }
    let revision = current ?? -1n;
    let last: StoredRecord | undefined;
    for (const event of events) {
      revision += 1n;
      last = this.write({
        streamId: streamName,
        id: event.id.toLowerCase(),
        revision,
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: event.metadata === undefined ? '' : JSON.stringify(event.metadata),
      });
    }
    target.last = revision;
    this.appends += 1;
    const every = this.options.systemEventEvery ?? 0;
    if (every > 0 && this.appends % every === 0) this.writeSystemEvent();
    if (last === undefined) throw new Error('the fake does not take empty appends');
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  private visible(streamName: string): StoredRecord[] {
    const state = this.streams.get(streamName);
    if (state === undefined || state.softDeleted) return [];
    const stream = this.log.filter(
      (record) =>
        record.streamId === streamName &&
        !record.type.startsWith('$') &&
        record.revision >= state.truncateBefore,
    );
    return state.maxCount === undefined ? stream : stream.slice(-state.maxCount);
  }

  private stateOf(streamName: string): StreamState {
    let state = this.streams.get(streamName);
    if (state === undefined) {
      state = { last: undefined, softDeleted: false, tombstoned: false, truncateBefore: 0n };
      this.streams.set(streamName, state);
    }
    return state;
  }

  /** The server records a stream's metadata as an event of its `$$` stream, in $all. */
  private writeMetadata(streamName: string, metadata: object): void {
    const streamId = `$$${streamName}`;
    const revision = BigInt(this.log.filter((record) => record.streamId === streamId).length);
    this.write({
      streamId,
      id: randomUUID(),
      revision,
      type: '$metadata',
      data: JSON.stringify(metadata),
      metadata: '',
    });
  }

  private write(record: Omit<StoredRecord, 'position'>): StoredRecord {
    const position = { commit: this.nextPosition, prepare: this.nextPosition };
    const stored = { ...record, position };
    // A record takes room in the log: a header, the stream name, type, id, data and metadata.
    this.nextPosition += BigInt(
      86 +
        byteLength(record.streamId) +
        byteLength(record.type) +
        16 +
        byteLength(record.data) +
        byteLength(record.metadata),
    );
    this.log.push(stored);
    for (const subscriber of this.subscribers) subscriber.offer(stored);
    return stored;
  }
}

export type FaultType = 'deadline-exceeded' | 'unavailable' | 'not-leader' | 'timeout';

export interface Fault {
  readonly method: 'appendToStream' | 'readStream' | 'readAll';
  readonly error: FaultType;
  /** For appends: the events are stored, and the answer lost. */
  readonly committed?: boolean;
}

interface StreamState {
  last: bigint | undefined;
  softDeleted: boolean;
  tombstoned: boolean;
  truncateBefore: bigint;
  maxCount?: number;
}

export interface StoredRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  /** As the server holds them: bytes of JSON (here, the JSON text). */
  readonly data: string;
  readonly metadata: string;
  readonly position: EsdbPosition;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function passes(filter: EsdbFilter | undefined, record: StoredRecord): boolean {
  if (filter === undefined) return true;
  const value = filter.filterOn === 'streamName' ? record.streamId : record.type;
  if (filter.prefixes !== undefined)
    return filter.prefixes.some((prefix) => value.startsWith(prefix));
  if (filter.regex !== undefined) return new RegExp(filter.regex).test(value);
  return true;
}

/** The error a client of each library throws for a server answer. */
function clientError(
  library: EsdbClientLibrary,
  type: FaultType | 'stream-deleted' | 'stream-not-found',
  streamName = '',
): Error {
  const lib = library === 'kurrentdb-client' ? kurrentDbClient : eventStoreDbClient;
  const serviceError = {
    message: `${type} (stand-in)`,
    code: 14,
    details: type,
    metadata: {
      getMap: () => ({ 'leader-endpoint-host': '127.0.0.2', 'leader-endpoint-port': '2113' }),
    },
  } as never;
  switch (type) {
    case 'deadline-exceeded':
      return new lib.DeadlineExceededError(serviceError);
    case 'timeout':
      return new lib.TimeoutError(serviceError);
    case 'unavailable':
      return new lib.UnavailableError(serviceError);
    case 'not-leader':
      return new lib.NotLeaderError(serviceError);
    case 'stream-deleted':
      return new lib.StreamDeletedError(undefined, streamName);
    case 'stream-not-found':
      return new lib.StreamNotFoundError(undefined, streamName);
  }
}

type Overridable = 'appendToStream' | 'readStream' | 'subscribeToAll';

interface LibraryAppendOptions {
  readonly expectedRevision?: EsdbExpectedRevision;
  readonly streamState?: EsdbExpectedRevision;
}

/**
 * One connection to the fake, shaped as the library's client (its option names), with its own
 * disposal and a log of the calls made. `adapterClient()` wraps it as the adapter does.
 */
export class FakeEsdbClient {
  readonly calls: { readonly method: string; readonly args: readonly unknown[] }[] = [];
  disposed = false;
  private readonly subscriptions = new Set<FakeSubscription>();
  private readonly overrides: { [K in Overridable]?: ((...args: never[]) => unknown)[] } = {};

  constructor(
    readonly server: FakeEventStoreDb,
    readonly library: EsdbClientLibrary,
  ) {}

  /** This client behind the adapter's wrapper for its library. */
  adapterClient(): ReturnType<typeof wrapEventStoreDbClient> {
    return this.library === 'kurrentdb-client'
      ? wrapKurrentDbClient(this)
      : wrapEventStoreDbClient(this);
  }

  /** Makes the next call of a method answer this instead of the fake server. */
  once(method: 'appendToStream', implementation: () => Promise<EsdbAppendResult>): this;
  once(method: 'readStream', implementation: () => EsdbRead<EsdbResolvedEvent>): this;
  once(method: 'subscribeToAll', implementation: () => EsdbSubscriptionSource): this;
  once(method: Overridable, implementation: (...args: never[]) => unknown): this {
    const queue = this.overrides[method] ?? [];
    queue.push(implementation);
    this.overrides[method] = queue;
    return this;
  }

  appendToStream(
    streamName: string,
    events: EsdbEventData[],
    options: LibraryAppendOptions,
  ): Promise<EsdbAppendResult> {
    this.record('appendToStream', streamName, events, options);
    const override = this.overrides.appendToStream?.shift();
    if (override) return override() as Promise<EsdbAppendResult>;
    // Each library reads its own option name only: the other one would be ignored (ANY).
    const expected =
      this.library === 'kurrentdb-client' ? options.streamState : options.expectedRevision;
    return new Promise((resolve) => {
      resolve(this.server.append(this.library, streamName, events, expected ?? 'any'));
    });
  }

  readStream(streamName: string, options: EsdbReadStreamOptions): EsdbRead<EsdbResolvedEvent> {
    this.record('readStream', streamName, options);
    const override = this.overrides.readStream?.shift();
    if (override) return override() as EsdbRead<EsdbResolvedEvent>;
    return readable(() => this.server.readStream(this.library, streamName, options));
  }

  readAll(options: EsdbReadAllOptions): EsdbRead<EsdbResolvedEvent> {
    this.record('readAll', options);
    return readable(() => this.server.readAll(this.library, options));
  }

  subscribeToAll(options: EsdbSubscribeToAllOptions): EsdbSubscriptionSource {
    this.record('subscribeToAll', options);
    const override = this.overrides.subscribeToAll?.shift();
    if (override) return override() as EsdbSubscriptionSource;
    const subscription = new FakeSubscription(options, this.library, () => {
      this.server.unsubscribe(subscription);
      this.subscriptions.delete(subscription);
    });
    this.subscriptions.add(subscription);
    this.server.subscribe(subscription, options);
    return subscription;
  }

  dispose(): Promise<void> {
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.destroy();
    return Promise.resolve();
  }

  callsOf(method: string): (readonly unknown[])[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  private record(method: string, ...args: unknown[]): void {
    if (this.disposed) throw new Error('the fake client was disposed');
    this.calls.push({ method, args });
  }
}

/** Like the client's subscription: a stream of resolved events, filtered server-side. */
export class FakeSubscription extends PassThrough implements EsdbSubscriptionSource {
  unsubscribed = false;

  constructor(
    private readonly options: EsdbSubscribeToAllOptions,
    readonly library: EsdbClientLibrary,
    private readonly onUnsubscribe: () => void,
  ) {
    super({ objectMode: true });
  }

  offer(record: StoredRecord): void {
    if (this.unsubscribed || this.destroyed) return;
    if (!passes(this.options.filter, record)) return;
    this.write(resolved(record));
  }

  /** The connection broke: the stream fails, as the client's does. */
  breakOff(error: Error): void {
    this.onUnsubscribe();
    this.destroy(error);
  }

  unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.onUnsubscribe();
    return Promise.resolve();
  }
}

function readable<T extends StoredRecord>(produce: () => T[]): EsdbRead<EsdbResolvedEvent> {
  const stream = Readable.from(
    (function* () {
      for (const record of produce()) yield resolved(record);
    })(),
  );
  return Object.assign(stream, {
    cancel: () => {
      stream.destroy();
      return Promise.resolve();
    },
  });
}

/** What the client makes of a record: parsed JSON, undefined for empty metadata. */
export function resolved(record: StoredRecord): EsdbResolvedEvent {
  return {
    event: {
      streamId: record.streamId,
      id: record.id,
      revision: record.revision,
      type: record.type,
      data: record.data === '' ? null : (JSON.parse(record.data) as unknown),
      metadata: record.metadata === '' ? undefined : (JSON.parse(record.metadata) as unknown),
      position: record.position,
    },
  };
}
