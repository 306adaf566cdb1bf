import { LRUCache } from 'lru-cache';
import { EMPTY_TIP, tipOf, type StreamTip } from '../event-envelope.js';
import {
  LOG_START,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type Position,
  type RecordedEvent,
} from '../ports/event-store.port.js';
import { keyedIdOf } from './idempotency.js';

/** What the write side knows of one stream, folded up to its tip. */
export interface StreamView<State> {
  readonly state: State;
  readonly tip: StreamTip;
  /** Global position of the stream's last event, `LOG_START` for an empty stream. */
  readonly position: Position;
  /** The keyed commands of the stream, newest first, to recognise an idempotent retry. */
  readonly keyed: KeyedCommand | undefined;
}

/**
 * A keyed command of the stream: `userId NUL key` and the revision of its last event. A list
 * rather than a map: a new view shares its predecessor's list instead of copying it, and an entry
 * is small. A whole city of organizations is kept in memory by the seed, so what each command
 * leaves there (and what it leaves to the garbage collector) counts.
 */
export interface KeyedCommand {
  readonly id: string;
  readonly revision: number;
  readonly next: KeyedCommand | undefined;
}

/**
 * What the cache charges for one stream beside its events' JSON: the view, its tip and hash, the
 * map's entry and key (an estimate, measured on the city: see docs/performance.md).
 */
export const STREAM_ENTRY_BYTES = 600;
/** The default budget of the folded streams, about 64 MiB of estimated bytes. */
export const DEFAULT_STREAM_CACHE_BYTES = 64 * 1024 * 1024;

/** What the cache holds and has let go, for /metrics. */
export interface StreamCacheStats {
  /** Estimated bytes of the streams kept (what the budget counts). */
  readonly bytes: number;
  readonly entries: number;
  /** Streams dropped to stay within the budget since start. */
  readonly evictions: number;
  readonly budgetBytes: number;
}

/** A cached view and what it is charged: the length of its events' JSON plus the entry's own. */
interface CachedStream<State> {
  readonly view: StreamView<State>;
  readonly bytes: number;
}

/**
 * Keeps recently used streams folded in memory (LRU), so a command on a warm stream reads only
 * the events appended since, instead of reading and parsing its whole history again. Safe with
 * several writers: the cache only saves reading; every append still checks the revision.
 *
 * Bounded by bytes, not streams: an organization with years of grants and reports weighs many
 * times a fresh one. Each stream is charged the length of the JSON of the events it was folded
 * from, counted once as each event is folded in (the state grows with them, and keeps much of
 * what they carry), plus `STREAM_ENTRY_BYTES`; the least recently used streams go once the total
 * passes the budget. A stream charged more than the whole budget is not kept.
 */
export class StreamCache<State, Event> {
  private readonly streams: LRUCache<string, CachedStream<State>>;
  private readonly empty: CachedStream<State>;
  private evictions = 0;

  constructor(
    private readonly store: EventStore,
    private readonly evolve: (state: State, event: Event) => State,
    initialState: State,
    private readonly budgetBytes = DEFAULT_STREAM_CACHE_BYTES,
  ) {
    const view = { state: initialState, tip: EMPTY_TIP, position: LOG_START, keyed: undefined };
    this.empty = { view, bytes: STREAM_ENTRY_BYTES };
    this.streams = new LRUCache({
      maxSize: budgetBytes,
      sizeCalculation: (cached) => cached.bytes,
      dispose: (_cached, _streamId, reason) => {
        if (reason === 'evict') this.evictions += 1;
      },
    });
  }

  async load(streamId: string): Promise<StreamView<State>> {
    const cached = this.streams.get(streamId) ?? this.empty;
    let folded = cached;
    for await (const event of this.store.readStream(streamId, {
      fromRevision: cached.view.tip.revision + 1,
    })) {
      folded = this.fold(folded, event, JSON.stringify(event.data).length);
    }
    if (folded !== cached) this.streams.set(streamId, folded);
    return folded.view;
  }

  /**
   * Folds in what an append just stored on top of `base`, the view its command was decided on,
   * so that the next load does not read those events back. Only while the cache still holds
   * `base` and the append landed right after it (then the stream is exactly base + events);
   * otherwise nothing changes and the next load reads as usual.
   */
  remember(
    streamId: string,
    base: StreamView<State>,
    events: readonly NewEvent[],
    result: AppendResult,
  ): void {
    const cached = this.streams.peek(streamId) ?? this.empty;
    if (cached.view !== base) return;
    if (events.length === 0 || result.nextExpectedRevision !== base.tip.revision + events.length)
      return;
    let folded = cached;
    for (const [index, event] of events.entries()) {
      const json = JSON.stringify(event.data);
      const recorded: RecordedEvent = {
        id: event.id,
        streamId,
        revision: base.tip.revision + 1 + index,
        // The port tells the position of the append's last event only. It is the one a view
        // keeps: the stream's position and the command's answer are those of its last event.
        position: result.position,
        type: event.type,
        // As a read would give it back: the store keeps JSON, and the state must not share
        // objects with the command that produced the events.
        data: JSON.parse(json) as unknown,
        metadata: event.metadata,
      };
      folded = this.fold(folded, recorded, json.length);
    }
    // The most recently used now; a stream charged more than the whole budget is dropped.
    this.streams.set(streamId, folded);
  }

  stats(): StreamCacheStats {
    return {
      bytes: this.streams.calculatedSize,
      entries: this.streams.size,
      evictions: this.evictions,
      budgetBytes: this.budgetBytes,
    };
  }

  /** Folds one event in; `dataBytes` is the length of its data's JSON. */
  private fold(
    { view, bytes }: CachedStream<State>,
    event: RecordedEvent,
    dataBytes: number,
  ): CachedStream<State> {
    const id = keyedIdOf(event);
    const head = view.keyed;
    // The events of one command follow each other: one entry for all of them.
    const sameCommand = id !== undefined && head?.id === id;
    const keyed =
      id === undefined
        ? head
        : { id, revision: event.revision, next: sameCommand ? head.next : head };
    return {
      view: {
        state: this.evolve(view.state, event as unknown as Event),
        tip: tipOf(event),
        position: event.position,
        keyed,
      },
      bytes: bytes + dataBytes + (id === undefined || sameCommand ? 0 : id.length),
    };
  }
}
