/** A decider: the pure heart of an aggregate (Jérémie Chassaing's pattern). */
export interface Decider<Command, Event, State> {
  readonly initialState: State;
  readonly decide: (command: Command, state: State) => Event[];
  readonly evolve: (state: State, event: Event) => State;
}

export function fold<Event, State>(
  evolve: (state: State, event: Event) => State,
  initial: State,
  events: Iterable<Event>,
): State {
  let state = initial;
  for (const event of events) state = evolve(state, event);
  return state;
}
