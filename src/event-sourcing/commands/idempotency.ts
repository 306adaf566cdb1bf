import { createHash } from 'node:crypto';
import type { CommandContext } from '../command-context.js';
import { DomainError } from '../domain-error.js';
import type { EventMetadata } from '../event-envelope.js';
import type { EventStore, Position, RecordedEvent } from '../ports/event-store.port.js';
import type { StreamView } from './stream-cache.js';

/** The events an earlier try of a keyed command wrote, read back from its stream. */
export interface EarlierTry {
  /** Revision and position of the command's last event. */
  readonly revision: number;
  readonly position: Position;
  readonly events: readonly RecordedEvent[];
}

/** `userId NUL key`: a key belongs to the user who sent it. */
export const keyedId = (userId: string, key: string): string => `${userId}\u0000${key}`;

/** The `userId NUL key` of the command that wrote the event, if it was keyed. */
export function keyedIdOf(event: RecordedEvent): string | undefined {
  const metadata = event.metadata as Partial<EventMetadata>;
  if (metadata.idempotencyKey === undefined || metadata.userId === undefined) return undefined;
  return keyedId(metadata.userId, metadata.idempotencyKey);
}

/** The id a keyed command creating a stream gives its aggregate, so a retry finds the stream it wrote. */
export function idempotentId(userId: string, key: string): string {
  const hex = createHash('sha256')
    .update(keyedId(userId, key))
    .digest('hex')
    .slice(0, 32)
    .split('');
  hex[12] = '5'; // a name-based UUID (RFC 9562 version 5 layout, sha256 here)
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * When this command was already written by an earlier try with the same key, what that try
 * wrote. Only a retry reads: the view's keyed list tells whether the key was used, then the
 * earlier try's events and request hash are read back from the stream. Another request under
 * the same key is refused.
 */
export async function earlierTry<State>(
  store: EventStore,
  streamId: string,
  view: StreamView<State>,
  context: CommandContext,
): Promise<EarlierTry | undefined> {
  if (!context.idempotency) return undefined;
  const id = keyedId(context.actor.id, context.idempotency.key);
  let revision: number | undefined;
  for (let command = view.keyed; command; command = command.next) {
    if (command.id === id) {
      revision = command.revision;
      break;
    }
  }
  if (revision === undefined) return undefined;
  let events: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId, { maxCount: revision + 1 })) {
    if (keyedIdOf(event) !== id) continue;
    // The events of one command share its causation id: keep those of the last command.
    const previous = events.at(-1);
    if (previous !== undefined && causationOf(previous) === causationOf(event)) events.push(event);
    else events = [event];
  }
  const last = events.at(-1);
  if (last === undefined) return undefined;
  if (
    String((last.metadata as Partial<EventMetadata>).requestHash) !==
    context.idempotency.requestHash
  ) {
    throw new DomainError(
      'rule',
      'idempotency-key-reused',
      'This Idempotency-Key was already used with a different request',
    );
  }
  return { revision: last.revision, position: last.position, events };
}

const causationOf = (event: RecordedEvent): string =>
  String((event.metadata as Partial<EventMetadata>).causationId);
