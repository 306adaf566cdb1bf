/**
 * An event store whose positions are far apart and start nowhere near 1, as EventStoreDB's byte
 * offsets are, over a SQLite one: code that subtracts, adds or counts with positions goes wrong
 * here, and a read from a position no event starts at is refused, as the server refuses it.
 * Like EventStoreDB, it cannot count the events between two positions cheaply.
 */
import {
  LOG_START,
  positionFromJson,
  positionToJson,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '../../src/event-sourcing/ports/event-store.port.js';

const STRIDE = 977;
const OFFSET = 40_961;

export class SparseEventStore implements EventStore {
  constructor(private readonly inner: EventStore) {}

  static outer(position: Position): Position {
    const n = positionToJson(position);
    return n === 0 ? LOG_START : positionFromJson(n * STRIDE + OFFSET);
  }

  /** The inner position, or undefined when no event could start there. */
  static inner(position: Position): Position | undefined {
    const n = positionToJson(position);
    if (n === 0) return LOG_START;
    const inner = (n - OFFSET) / STRIDE;
    return Number.isSafeInteger(inner) && inner > 0 ? positionFromJson(inner) : undefined;
  }

  private strictInner(position: Position | undefined): Position | undefined {
    if (position === undefined) return undefined;
    const inner = SparseEventStore.inner(position);
    if (inner === undefined) {
      throw new RangeError(
        `${String(positionToJson(position))} is not the position of an event: the server refuses the read`,
      );
    }
    return inner;
  }

  private readonly map = (event: RecordedEvent): RecordedEvent => ({
    ...event,
    position: SparseEventStore.outer(event.position),
  });

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const result = await this.inner.appendToStream(streamId, events, expected);
    return { ...result, position: SparseEventStore.outer(result.position) };
  }

  async *readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.readStream(streamId, options)) yield this.map(event);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const page = await this.inner.readAll({
      ...options,
      fromPosition: this.strictInner(options.fromPosition),
    });
    return page.map(this.map);
  }

  async headPosition(): Promise<Position> {
    return SparseEventStore.outer(await this.inner.headPosition());
  }

  async eventAt(position: Position): Promise<RecordedEvent | undefined> {
    const inner = SparseEventStore.inner(position);
    if (inner === undefined) return undefined;
    const event = await this.inner.eventAt(inner);
    return event && this.map(event);
  }

  countBetween(): Promise<number | null> {
    return Promise.resolve(null);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll({
      ...options,
      fromPosition: this.strictInner(options.fromPosition),
      onEvent: (event) => options.onEvent(this.map(event)),
    });
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
