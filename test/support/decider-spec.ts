/**
 * A tiny given/when/then helper for deciders, in the style of emmett's DeciderSpecification:
 *
 *   spec(decider).given(events).when(command).then(expectedEvents)
 *   spec(decider).given(events).when(command).thenThrows({ kind, rule })
 *   spec(decider).given(events).when(command).thenNothing()
 *
 * `given` folds the events through `evolve` from `initialState`; `when` runs `decide` on the
 * resulting state. Every assertion is exact: the events must be equal (same order, same data).
 */
import { DomainError, type DomainErrorKind } from '../../src/event-sourcing/domain-error.js';
import type { Decider } from '../../src/event-sourcing/decider.js';

export interface ExpectedRefusal {
  readonly kind: DomainErrorKind;
  /** The stable rule name; leave it out only when the rule's name is not decided yet. */
  readonly rule?: string;
  /** The request field the refusal names, when the test cares. */
  readonly field?: string;
}

export interface WhenStep<Event, State> {
  /** Asserts the command is accepted and decides exactly these events, in this order. */
  then(expected: readonly Event[]): void;
  /**
   * Asserts the command is refused with a DomainError of this kind (and rule, field), and
   * returns it (for assertions on its message).
   */
  thenThrows(expected: ExpectedRefusal): DomainError;
  /** Asserts the command is accepted and decides no event (an idempotent no-op). */
  thenNothing(): void;
  /** Runs the command and returns its events (for assertions the steps above do not cover). */
  events(): Event[];
  /** Runs the command and folds its events into the given state. */
  stateAfter(): State;
}

export interface GivenStep<Command, Event, State> {
  readonly state: State;
  when(command: Command): WhenStep<Event, State>;
}

export interface DeciderSpecification<Command, Event, State> {
  /** A plain function, so that `const given = spec(decider).given` works. */
  readonly given: (events: readonly Event[]) => GivenStep<Command, Event, State>;
}

export function foldEvents<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  events: readonly Event[],
  from: State = decider.initialState,
): State {
  return events.reduce((state, event) => decider.evolve(state, event), from);
}

export function spec<Command, Event, State>(
  decider: Decider<Command, Event, State>,
): DeciderSpecification<Command, Event, State> {
  return {
    given(givenEvents) {
      const state = foldEvents(decider, givenEvents);
      return {
        state,
        when(command) {
          const run = (): Event[] => decider.decide(command, state);
          return {
            then(expected) {
              expect(run()).toEqual(expected);
            },
            thenNothing() {
              expect(run()).toEqual([]);
            },
            thenThrows(expected) {
              let produced: Event[] | undefined;
              let error: unknown;
              try {
                produced = run();
              } catch (caught) {
                error = caught;
              }
              if (error === undefined) {
                throw new Error(
                  `Expected the command to be refused (${expected.kind}` +
                    `${expected.rule ? `: ${expected.rule}` : ''}) but it decided ` +
                    JSON.stringify(produced),
                );
              }
              expect(error).toBeInstanceOf(DomainError);
              const refusal = error as DomainError;
              expect({ kind: refusal.kind, rule: refusal.rule, field: refusal.field }).toEqual({
                kind: expected.kind,
                rule: expected.rule ?? refusal.rule,
                field: 'field' in expected ? expected.field : refusal.field,
              });
              return refusal;
            },
            events: run,
            stateAfter() {
              return foldEvents(decider, run(), state);
            },
          };
        },
      };
    },
  };
}
