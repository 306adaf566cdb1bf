import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import type {
  EsdbRead,
  EsdbSubscriptionSource,
  EventStoreDbClientLike,
} from '../../../src/adapters/eventstoredb/eventstoredb-event-store.js';

/**
 * An in-memory stand-in for an EventStoreDB server, reached through stand-ins of the client. It
 * copies the behaviour the adapter relies on, as the client and server document it:
 * - positions are byte offsets in one log, commit = prepare, the first record is not at 0;
 * - an append checks the expected revision and throws the client's WrongExpectedVersionError;
 * - reading an unknown stream fails with StreamNotFoundError;
 * - reading $all from a position includes the event at that position (both directions here);
 * - a subscription to $all starts after its position and applies an event-type regex filter;
 * - system events ($-prefixed types and streams) sit in $all between the application's events.
 * Not a server: it is how the adapter's own logic is tested without one.
 */
export class FakeEventStoreDb {
  readonly log: StoredRecord[] = [];
  private nextPosition = 1024n;
  private readonly subscribers = new Set<FakeSubscription>();
  private appends = 0;

  constructor(
    private readonly options: {
      /** Whether the server recognizes a retried append itself (only when the revision matches). */
      readonly serverIdempotency?: boolean;
      /** Writes a system event to $all after every n appends (0 = never). */
      readonly systemEventEvery?: number;
    } = {},
  ) {}

  connect(): FakeEsdbClient {
    return new FakeEsdbClient(this);
  }

  append(streamName: string, events: EventData[], expected: AppendExpectedRevision): AppendResult {
    const stream = this.log.filter((record) => record.streamId === streamName);
    const current = stream.length === 0 ? undefined : BigInt(stream.length - 1);

    if (this.options.serverIdempotency && typeof expected === 'bigint' && current !== undefined) {
      const already = stream.slice(Number(expected) + 1, Number(expected) + 1 + events.length);
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

    const matches =
      expected === ANY ||
      (expected === NO_STREAM && current === undefined) ||
      (expected === STREAM_EXISTS && current !== undefined) ||
      expected === current;
    if (!matches) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected,
        current: current ?? NO_STREAM,
      });
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
    this.appends += 1;
    const every = this.options.systemEventEvery ?? 0;
    if (every > 0 && this.appends % every === 0) this.writeSystemEvent();
    if (last === undefined) throw new Error('the fake does not take empty appends');
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  /** A system event, as the server writes them on its own (statistics, metadata, links). */
  writeSystemEvent(streamId = '$stats-127.0.0.1:2113', type = '$statsCollected'): StoredRecord {
    const revision = BigInt(this.log.filter((record) => record.streamId === streamId).length);
    return this.write({ streamId, id: randomUUID(), revision, type, data: '{}', metadata: '' });
  }

  readStream(streamName: string, options: ReadStreamOptions): Generator<ResolvedEvent> {
    const stream = this.log.filter((record) => record.streamId === streamName);
    if (stream.length === 0) throw new StreamNotFoundError(undefined, streamName);
    const backwards = options.direction === BACKWARDS;
    const from = options.fromRevision ?? (backwards ? END : START);
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const ordered = backwards ? [...stream].reverse() : stream;
    const selected = ordered.filter((record) => {
      if (from === START || from === END) return true;
      return backwards ? record.revision <= from : record.revision >= from;
    });
    return resolvedAll(selected.slice(0, maxCount));
  }

  readAll(options: ReadAllOptions): Generator<AllStreamResolvedEvent> {
    const backwards = options.direction === BACKWARDS;
    const from = options.fromPosition ?? (backwards ? END : START);
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const ordered = backwards ? [...this.log].reverse() : this.log;
    const selected = ordered.filter((record) => {
      if (from === START || from === END) return true;
      return backwards
        ? record.position.commit <= from.commit
        : record.position.commit >= from.commit;
    });
    return resolvedAll(selected.slice(0, maxCount)) as Generator<AllStreamResolvedEvent>;
  }

  subscribe(subscription: FakeSubscription, options: SubscribeToAllOptions): void {
    const from = options.fromPosition ?? START;
    for (const record of this.log) {
      if (from === END) break;
      if (from === START || record.position.commit > from.commit) subscription.offer(record);
    }
    this.subscribers.add(subscription);
  }

  unsubscribe(subscription: FakeSubscription): void {
    this.subscribers.delete(subscription);
  }

  private write(record: Omit<StoredRecord, 'position'>): StoredRecord {
    const position = { commit: this.nextPosition, prepare: this.nextPosition };
    const stored = { ...record, position };
    // Records take room in the log: the next one starts further on.
    this.nextPosition += 64n + BigInt(record.data.length + record.metadata.length);
    this.log.push(stored);
    for (const subscriber of this.subscribers) subscriber.offer(stored);
    return stored;
  }
}

export interface StoredRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  /** As the server holds them: bytes of JSON (here, the JSON text). */
  readonly data: string;
  readonly metadata: string;
  readonly position: Position;
}

type Overridable = 'appendToStream' | 'readStream' | 'subscribeToAll';

/** One connection to the fake, with its own disposal, and a log of the calls made. */
export class FakeEsdbClient implements EventStoreDbClientLike {
  readonly calls: { readonly method: string; readonly args: readonly unknown[] }[] = [];
  disposed = false;
  private readonly subscriptions = new Set<FakeSubscription>();

  constructor(readonly server: FakeEventStoreDb) {}

  private readonly overrides: { [K in Overridable]?: EventStoreDbClientLike[K][] } = {};

  /** Makes the next call of a method answer this instead of the fake server. */
  once<K extends Overridable>(method: K, implementation: EventStoreDbClientLike[K]): this {
    const queue: EventStoreDbClientLike[K][] = this.overrides[method] ?? [];
    queue.push(implementation);
    this.overrides[method] = queue as (typeof this.overrides)[K];
    return this;
  }

  appendToStream(
    streamName: string,
    events: EventData[],
    options: { expectedRevision: AppendExpectedRevision },
  ): Promise<AppendResult> {
    this.record('appendToStream', streamName, events, options);
    const override = this.overrides.appendToStream?.shift();
    if (override) return override(streamName, events, options);
    return new Promise((resolve) => {
      resolve(this.server.append(streamName, events, options.expectedRevision));
    });
  }

  readStream(streamName: string, options: ReadStreamOptions): EsdbRead<ResolvedEvent> {
    this.record('readStream', streamName, options);
    const override = this.overrides.readStream?.shift();
    if (override) return override(streamName, options);
    return readable(() => this.server.readStream(streamName, options));
  }

  readAll(options: ReadAllOptions): EsdbRead<AllStreamResolvedEvent> {
    this.record('readAll', options);
    return readable(() => this.server.readAll(options));
  }

  subscribeToAll(options: SubscribeToAllOptions): EsdbSubscriptionSource {
    this.record('subscribeToAll', options);
    const override = this.overrides.subscribeToAll?.shift();
    if (override) return override(options);
    const subscription = new FakeSubscription(options, () => {
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

/** Like the client's subscription: a stream of resolved events, filtered by event type. */
export class FakeSubscription extends PassThrough implements EsdbSubscriptionSource {
  unsubscribed = false;
  private readonly typeFilter: RegExp | undefined;

  constructor(
    options: SubscribeToAllOptions,
    private readonly onUnsubscribe: () => void,
  ) {
    super({ objectMode: true });
    const regex = options.filter && 'regex' in options.filter ? options.filter.regex : undefined;
    this.typeFilter = regex === undefined ? undefined : new RegExp(regex);
  }

  offer(record: StoredRecord): void {
    if (this.unsubscribed || this.destroyed) return;
    if (this.typeFilter && !this.typeFilter.test(record.type)) return;
    this.write(resolved(record));
  }

  unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.onUnsubscribe();
    return Promise.resolve();
  }
}

function readable<T>(produce: () => Generator<T>): EsdbRead<T> {
  const stream = Readable.from(
    (function* () {
      yield* produce();
    })(),
  );
  return Object.assign(stream, {
    cancel: () => {
      stream.destroy();
      return Promise.resolve();
    },
  });
}

function* resolvedAll(records: readonly StoredRecord[]): Generator<ResolvedEvent> {
  for (const record of records) yield resolved(record);
}

/** What the client makes of a record: parsed JSON, undefined for empty metadata. */
export function resolved(record: StoredRecord): ResolvedEvent {
  const event = {
    streamId: record.streamId,
    id: record.id,
    revision: record.revision,
    type: record.type,
    data: JSON.parse(record.data) as unknown,
    metadata: record.metadata === '' ? undefined : (JSON.parse(record.metadata) as unknown),
    isJson: true,
    created: new Date(0),
    position: record.position,
  };
  return { event } as unknown as ResolvedEvent;
}
