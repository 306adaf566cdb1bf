import { DomainError } from '../core/domain-error.js';
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
} from '../ports/event-store.port.js';
import { answer, type CommandAnswer } from './command-answer.js';
import type { OrganizationDecider } from './organization.decider.js';
import type { OrganizationEvent } from './organization.events.js';
import type { OrganizationState } from './organization.state.js';

/** What the write side knows of one organization's stream, folded up to its tip. */
export interface OrganizationStreamView {
  readonly state: OrganizationState;
  readonly tip: StreamTip;
  /** Global position of the stream's last event, 0 for an empty stream. */
  readonly position: number;
  /** Answers of keyed commands, by `userId NUL key`, for idempotent retries. */
  readonly keyed: ReadonlyMap<string, KeyedAnswer>;
}

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
  keyed: new Map(),
};

const keyOf = (userId: string, key: string): string => `${userId}\u0000${key}`;

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
    // One copy of the answers per load, not per event: views stay immutable to their readers.
    let keyed: Map<string, KeyedAnswer> | undefined;
    for await (const event of this.store.readStream(streamId, {
      fromRevision: cached.tip.revision + 1,
    })) {
      keyed ??= new Map(cached.keyed);
      view = fold(view, event, this.decider, keyed);
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
    const keyed = new Map(base.keyed);
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
      view = fold(view, recorded, this.decider, keyed);
    }
    this.put(streamId, view);
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
  keyed: Map<string, KeyedAnswer>,
): OrganizationStreamView {
  const metadata = event.metadata as Partial<EventMetadata>;
  if (metadata.idempotencyKey !== undefined && metadata.userId !== undefined) {
    const id = keyOf(metadata.userId, metadata.idempotencyKey);
    const previous = keyed.get(id);
    const sameCommand = previous?.causationId === metadata.causationId;
    // The id is filled in when the answer is given again.
    const next = answer('', event.revision, event.position, [event], true);
    keyed.set(id, {
      requestHash: String(metadata.requestHash),
      causationId: String(metadata.causationId),
      answer: sameCommand && previous ? { ...previous.answer, ...next } : next,
    });
  }
  return {
    state: decider.evolve(view.state, event as unknown as OrganizationEvent),
    tip: tipOf(event),
    position: event.position,
    keyed,
  };
}

/** When this command was already written by an earlier try with the same key, its answer. */
export function answerFromEarlierTry(
  organizationId: string,
  view: OrganizationStreamView,
  context: CommandContext,
): CommandAnswer | undefined {
  if (!context.idempotency) return undefined;
  const earlier = view.keyed.get(keyOf(context.actor.id, context.idempotency.key));
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
