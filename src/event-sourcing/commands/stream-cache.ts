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
 * Keeps recently used streams folded in memory (LRU), so a command on a warm stream reads only
 * the events appended since, instead of reading and parsing its whole history again. Safe with
 * several writers: the cache only saves reading; every append still checks the revision.
 */
export class StreamCache<State, Event> {
  private readonly views = new Map<string, StreamView<State>>();
  private readonly empty: StreamView<State>;

  constructor(
    private readonly store: EventStore,
    private readonly evolve: (state: State, event: Event) => State,
    initialState: State,
    private readonly capacity = 10_000,
  ) {
    this.empty = { state: initialState, tip: EMPTY_TIP, position: LOG_START, keyed: undefined };
  }

  async load(streamId: string): Promise<StreamView<State>> {
    const cached = this.views.get(streamId) ?? this.empty;
    let view = cached;
    for await (const event of this.store.readStream(streamId, {
      fromRevision: cached.tip.revision + 1,
    })) {
      view = this.fold(view, event);
    }
    this.put(streamId, view);
    return view;
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
    if ((this.views.get(streamId) ?? this.empty) !== base) return;
    if (events.length === 0 || result.nextExpectedRevision !== base.tip.revision + events.length)
      return;
    let view = base;
    for (const [index, event] of events.entries()) {
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
        data: JSON.parse(JSON.stringify(event.data)) as unknown,
        metadata: event.metadata,
      };
      view = this.fold(view, recorded);
    }
    this.put(streamId, view);
  }

  private fold(view: StreamView<State>, event: RecordedEvent): StreamView<State> {
    const id = keyedIdOf(event);
    // The events of one command follow each other: one entry for all of them.
    const keyed =
      id === undefined
        ? view.keyed
        : {
            id,
            revision: event.revision,
            next: view.keyed?.id === id ? view.keyed.next : view.keyed,
          };
    return {
      state: this.evolve(view.state, event as unknown as Event),
      tip: tipOf(event),
      position: event.position,
      keyed,
    };
  }

  private put(streamId: string, view: StreamView<State>): void {
    this.views.delete(streamId);
    if (view !== this.empty) this.views.set(streamId, view);
    if (this.views.size > this.capacity) {
      const oldest = this.views.keys().next().value;
      if (oldest !== undefined) this.views.delete(oldest);
    }
  }
}
