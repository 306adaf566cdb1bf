import type { Clock } from '../clock.js';
import type { CommandContext } from '../command-context.js';
import type { Decider } from '../decider.js';
import { DomainError } from '../domain-error.js';
import { envelope, type DomainEvent } from '../event-envelope.js';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type Position,
  type StreamAppend,
} from '../ports/event-store.port.js';
import { earlierTry, idempotentId } from './idempotency.js';
import { StreamCache, type StreamCacheStats, type StreamView } from './stream-cache.js';

/** Attempts when a concurrent writer moved the stream and the caller did not pin a revision. */
const MAX_ATTEMPTS = 5;

export interface CommandHandlerOptions {
  /**
   * Estimated bytes of the streams kept folded in memory (default 64 MiB, see StreamCache). A
   * bulk writer that touches every aggregate again and again (the seed) wants them all, or most
   * commands re-read a stream.
   */
  readonly streamCacheBytes?: number;
  /** Schema version of each event type the handler stores. */
  readonly schemaVersion: number | ((type: string) => number);
  /** What a stream holds, as refusals name it: "… but the organization is at 3". */
  readonly subject: string;
}

/** What one command did to its stream: the aggregate turns it into its answer. */
export interface CommandOutcome {
  /** Revision and global position of the stream's last event after the command. */
  readonly revision: number;
  readonly position: Position;
  /** The events the command wrote (none when it changed nothing). */
  readonly events: readonly DomainEvent[];
  /** False when the command changed nothing because it was already so. */
  readonly written: boolean;
  /** True when an earlier try with the same Idempotency-Key already wrote it. */
  readonly replayed: boolean;
}

/** One command on one stream: the aggregate's own steps around the pure decision. */
export interface CommandSpec<Command, Event, State> {
  /** The revision the caller pinned (If-Match): a moved stream is then a conflict, not a retry. */
  readonly expectedRevision?: number;
  /** Refuses a stream the command does not apply to (e.g. an aggregate that does not exist). */
  readonly check?: (view: StreamView<State>) => void;
  /** The command to decide, on the state it will be decided on. */
  readonly command: (state: State, now: Date) => Command;
  /** Reworks the accepted events before they are stored (e.g. seals what they carry). */
  readonly accepted?: (events: Event[]) => Promise<Event[]>;
  /** Runs once the events are final, before they are appended; `state` is the one they were decided on. */
  readonly beforeAppend?: (events: readonly Event[], now: Date, state: State) => Promise<void>;
  /**
   * Appends to other streams that go with the command's own (e.g. reservations of unique
   * values), decided once its events are final: in one transaction with it where the store has
   * multi-stream transactions, else each before it. One of those streams moved meanwhile: the
   * command is decided again, as for a moved stream of its own.
   */
  readonly alongside?: (
    events: readonly Event[],
    now: Date,
    state: State,
  ) => Promise<readonly StreamAppend[]>;
  /** Runs once they are stored; `state` is the one they were decided on. */
  readonly afterAppend?: (events: readonly Event[], state: State, now: Date) => Promise<void>;
  /** When given, a concurrent append is not retried: what it throws is the answer. */
  readonly conflict?: (error: WrongExpectedRevisionError) => Error;
}

/**
 * The write side's application service, for any decider: load the stream (warm streams from the
 * cache), answer a retried Idempotency-Key from what its first try wrote, decide, wrap the events
 * in the hash chain, and append with the revision decided on, deciding again when a concurrent
 * writer moved the stream.
 */
export class CommandHandler<
  Command extends { readonly type: string },
  Event extends DomainEvent,
  State,
> {
  private readonly streams: StreamCache<State, Event>;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly options: CommandHandlerOptions,
  ) {
    this.streams = new StreamCache(
      store,
      decider.evolve,
      decider.initialState,
      options.streamCacheBytes,
    );
  }

  /** What the stream cache holds, for /metrics. */
  streamCacheStats(): StreamCacheStats {
    return this.streams.stats();
  }

  /** The stream folded to its tip. */
  load(streamId: string): Promise<StreamView<State>> {
    return this.streams.load(streamId);
  }

  /** The id of a new aggregate: derived from the Idempotency-Key when given, so a retry finds it. */
  idFor(context: CommandContext): string {
    return context.idempotency
      ? idempotentId(context.actor.id, context.idempotency.key)
      : this.newId();
  }

  async handle(
    streamId: string,
    spec: CommandSpec<Command, Event, State>,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    const pinned = spec.expectedRevision;
    for (let attempt = 1; ; attempt++) {
      const view = await this.streams.load(streamId);
      const earlier = await earlierTry(this.store, streamId, view, context);
      if (earlier) return { ...earlier, written: true, replayed: true };
      spec.check?.(view);
      if (pinned !== undefined && pinned !== view.tip.revision)
        throw this.staleRevision(pinned, view.tip.revision);
      const now = this.clock.now();
      const command = spec.command(view.state, now);
      const decided = this.decider.decide(command, view.state);
      const events = spec.accepted ? await spec.accepted(decided) : decided;
      if (events.length === 0) {
        const { revision } = view.tip;
        return { revision, position: view.position, events, written: false, replayed: false };
      }
      await spec.beforeAppend?.(events, now, view.state);
      const stored = envelope(
        events,
        view.tip,
        context,
        command.type,
        now,
        this.options.schemaVersion,
        this.newId,
      );
      const expected = view.tip.revision < 0 ? 'no_stream' : view.tip.revision;
      const others = (await spec.alongside?.(events, now, view.state)) ?? [];
      let result: AppendResult;
      try {
        result = await this.append(others, {
          streamId,
          events: stored,
          expectedRevision: expected,
        });
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (error.streamId !== streamId) {
          if (attempt >= MAX_ATTEMPTS) throw this.keptChanging();
          continue;
        }
        if (pinned !== undefined) throw this.staleRevision(pinned, error.actual);
        if (spec.conflict) throw spec.conflict(error);
        if (attempt >= MAX_ATTEMPTS) throw this.keptChanging();
        continue;
      }
      this.streams.remember(streamId, view, stored, result);
      await spec.afterAppend?.(events, view.state, now);
      const { nextExpectedRevision: revision, position } = result;
      return { revision, position, events, written: true, replayed: false };
    }
  }

  /** The command's own append, after or with the others (answers its own result). */
  private async append(others: readonly StreamAppend[], own: StreamAppend): Promise<AppendResult> {
    if (others.length > 0 && this.store.appendToStreams) {
      const results = await this.store.appendToStreams([...others, own]);
      const result = results.at(-1);
      if (result === undefined) throw new Error('appendToStreams answered no result');
      return result;
    }
    for (const other of others)
      await this.store.appendToStream(other.streamId, other.events, other.expectedRevision);
    return this.store.appendToStream(own.streamId, own.events, own.expectedRevision);
  }

  private staleRevision(expected: number, actual: number | 'no_stream'): DomainError {
    return new DomainError(
      'conflict',
      'stale-revision',
      `If-Match expected revision ${expected} but the ${this.options.subject} is at ${String(actual)}`,
    );
  }

  private keptChanging(): DomainError {
    const subject = this.options.subject;
    return new DomainError(
      'conflict',
      'concurrent-write',
      `The ${subject} kept changing under this command; retry`,
    );
  }
}
