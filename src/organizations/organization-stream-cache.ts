import { DomainError } from '../event-sourcing/domain-error.js';
import type { CommandContext } from '../event-sourcing/command-context.js';
import {
  EMPTY_TIP,
  tipOf,
  type EventMetadata,
  type StreamTip,
} from '../event-sourcing/event-envelope.js';
import type {
  AppendResult,
  EventStore,
  NewEvent,
  RecordedEvent,
} from '../event-sourcing/ports/event-store.port.js';
import { answer, type CommandAnswer } from './command-answer.js';
import type { OrganizationDecider } from './domain/organization.decider.js';
import type { OrganizationEvent } from './domain/organization.events.js';
import type { OrganizationState } from './domain/organization.state.js';

/** What the write side knows of one organization's stream, folded up to its tip. */
export interface OrganizationStreamView {
  readonly state: OrganizationState;
  readonly tip: StreamTip;
  /** Global position of the stream's last event, 0 for an empty stream. */
  readonly position: number;
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

/** What an earlier try of a keyed command answered, read back from its events. */
interface KeyedAnswer {
  readonly requestHash: string;
  readonly causationId: string;
  /** The answer of the command, as of its last event read so far. */
  readonly answer: CommandAnswer;
}

const EMPTY_VIEW: OrganizationStreamView = {
  state: null,
  tip: EMPTY_TIP,
  position: 0,
  keyed: undefined,
};

const keyOf = (userId: string, key: string): string => `${userId}\u0000${key}`;

/** The `userId NUL key` of the command that wrote the event, if it was keyed. */
function keyedIdOf(event: RecordedEvent): string | undefined {
  const metadata = event.metadata as Partial<EventMetadata>;
  if (metadata.idempotencyKey === undefined || metadata.userId === undefined) return undefined;
  return keyOf(metadata.userId, metadata.idempotencyKey);
}

/**
 * Keeps recently used streams folded in memory (LRU), so a command on a warm stream reads only
 * the events appended since, instead of reading and parsing its whole history again. Safe with
 * several writers: the cache only saves reading; every append still checks the revision.
 */
export class OrganizationStreamCache {
  private readonly views = new Map<string, OrganizationStreamView>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: OrganizationDecider,
    private readonly capacity = 10_000,
  ) {}

  async load(streamId: string): Promise<OrganizationStreamView> {
    const cached = this.views.get(streamId) ?? EMPTY_VIEW;
    let view = cached;
    for await (const event of this.store.readStream(streamId, {
      fromRevision: cached.tip.revision + 1,
    })) {
      view = fold(view, event, this.decider);
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
    base: OrganizationStreamView,
    events: readonly NewEvent[],
    result: AppendResult,
  ): void {
    if ((this.views.get(streamId) ?? EMPTY_VIEW) !== base) return;
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
      view = fold(view, recorded, this.decider);
    }
    this.put(streamId, view);
  }

  /**
   * When this command was already written by an earlier try with the same key, its answer. Only
   * a retry reads: the answer and request hash of the earlier try are read back from its events.
   */
  async answerFromEarlierTry(
    streamId: string,
    organizationId: string,
    view: OrganizationStreamView,
    context: CommandContext,
  ): Promise<CommandAnswer | undefined> {
    if (!context.idempotency) return undefined;
    const id = keyOf(context.actor.id, context.idempotency.key);
    let revision: number | undefined;
    for (let command = view.keyed; command; command = command.next) {
      if (command.id === id) {
        revision = command.revision;
        break;
      }
    }
    if (revision === undefined) return undefined;
    let earlier: KeyedAnswer | undefined;
    for await (const event of this.store.readStream(streamId, { maxCount: revision + 1 })) {
      if (keyedIdOf(event) === id) earlier = keyedAnswer(earlier, event);
    }
    if (!earlier) return undefined;
    if (earlier.requestHash !== context.idempotency.requestHash) {
      throw new DomainError(
        'rule',
        'idempotency-key-reused',
        'This Idempotency-Key was already used with a different request',
      );
    }
    return { ...earlier.answer, id: organizationId, replayed: true };
  }

  private put(streamId: string, view: OrganizationStreamView): void {
    this.views.delete(streamId);
    if (view !== EMPTY_VIEW) this.views.set(streamId, view);
    if (this.views.size > this.capacity) {
      const oldest = this.views.keys().next().value;
      if (oldest !== undefined) this.views.delete(oldest);
    }
  }
}

function fold(
  view: OrganizationStreamView,
  event: RecordedEvent,
  decider: OrganizationDecider,
): OrganizationStreamView {
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
    state: decider.evolve(view.state, event as unknown as OrganizationEvent),
    tip: tipOf(event),
    position: event.position,
    keyed,
  };
}

/** Folds one more event of a keyed command into what the command answered. */
function keyedAnswer(previous: KeyedAnswer | undefined, event: RecordedEvent): KeyedAnswer {
  const metadata = event.metadata as Partial<EventMetadata>;
  const sameCommand = previous?.causationId === metadata.causationId;
  // The id is filled in when the answer is given again.
  const next = answer('', event.revision, event.position, [event], true);
  return {
    requestHash: String(metadata.requestHash),
    causationId: String(metadata.causationId),
    answer: sameCommand && previous ? { ...previous.answer, ...next } : next,
  };
}
