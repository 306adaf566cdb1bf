import { fold } from './decider.js';
import type { EventStore, RecordedEvent } from './ports/event-store.port.js';
import { tipOf, type StreamTip } from './event-envelope.js';

export interface LoadedStream<State> {
  readonly state: State;
  readonly events: readonly RecordedEvent[];
  readonly tip: StreamTip;
}

/** Reads a whole stream and folds it; streams here are one organization's life, so they stay small. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- Event types the caller's evolve: stored events are read as its domain events.
export async function loadStream<State, Event>(
  store: EventStore,
  streamId: string,
  evolve: (state: State, event: Event) => State,
  initialState: State,
): Promise<LoadedStream<State>> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) events.push(event);
  const state = fold(evolve, initialState, events as unknown as Event[]);
  return { state, events, tip: tipOf(events.at(-1)) };
}
