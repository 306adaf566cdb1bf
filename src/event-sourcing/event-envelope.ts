import { eventHash, GENESIS_HASH } from './hash-chain.js';
import type { NewEvent, RecordedEvent } from './ports/event-store.port.js';
import type { CommandContext } from './command-context.js';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

/** Metadata every stored event carries (DOMAIN §4), including the hash chain (DESIGN §5). */
export type EventMetadata = {
  readonly userId: string;
  readonly role: string;
  readonly jurisdiction: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly command: string;
  readonly schemaVersion: number;
  readonly idempotencyKey?: string;
  readonly requestHash?: string;
  readonly prevHash: string;
  readonly hash: string;
};

export interface StreamTip {
  /** Revision of the stream's last event, or -1 for a stream that does not exist. */
  readonly revision: number;
  readonly hash: string;
}

export const EMPTY_TIP: StreamTip = { revision: -1, hash: GENESIS_HASH };

/**
 * Wraps decided events for storage: ids, metadata and the hash chain continuing from the tip.
 * Every event of one command is caused by the command itself; event ids come from `newEventId`.
 */
export function envelope(
  events: readonly DomainEvent[],
  tip: StreamTip,
  context: CommandContext,
  command: string,
  recordedAt: Date,
  /** The schema version of each event's type (one number when all share it). */
  schemaVersion: number | ((type: string) => number),
  newEventId: () => string,
): NewEvent[] {
  let prevHash = tip.hash;
  return events.map((event, index) => {
    const revision = tip.revision + 1 + index;
    const partial = {
      userId: context.actor.id,
      role: context.actor.role,
      jurisdiction: context.actor.jurisdiction,
      recordedAt: recordedAt.toISOString(),
      correlationId: context.correlationId,
      // Every event of one command is caused by the command itself.
      causationId: context.commandId,
      command,
      schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : schemaVersion(event.type),
      ...(context.idempotency && {
        idempotencyKey: context.idempotency.key,
        requestHash: context.idempotency.requestHash,
      }),
      prevHash,
    };
    const hash = eventHash(prevHash, {
      type: event.type,
      data: event.data,
      metadata: partial,
      revision,
    });
    prevHash = hash;
    const metadata: EventMetadata = { ...partial, hash };
    return { id: newEventId(), type: event.type, data: event.data, metadata };
  });
}

export function tipOf(last: RecordedEvent | undefined): StreamTip {
  if (!last) return EMPTY_TIP;
  const hash = (last.metadata as Partial<EventMetadata>).hash;
  return { revision: last.revision, hash: typeof hash === 'string' ? hash : GENESIS_HASH };
}
