import { eventHash, GENESIS_HASH } from '../event-sourcing/hash-chain.js';
import { positionToJson, type RecordedEvent } from '../event-sourcing/ports/event-store.port.js';

export interface BrokenLink {
  /** The first revision whose stored event does not fit the chain. */
  readonly revision: number;
  readonly position: number;
  readonly reason: 'revision-gap' | 'prev-hash-mismatch' | 'hash-mismatch' | 'missing-hash';
  readonly detail: string;
}

export interface ChainCheck {
  readonly streamId: string;
  readonly ok: boolean;
  readonly checked: number;
  /** Hash of the stream's last event (its head), as recomputed. */
  readonly head: {
    readonly revision: number;
    readonly position: number;
    readonly hash: string;
  } | null;
  readonly firstBroken?: BrokenLink;
}

/**
 * Walks one stream's events in revision order and recomputes the chain (DESIGN §5): each event's
 * revision follows the previous one, its prevHash is the previous hash, and its hash is
 * sha256(prevHash ‖ canonical type, data, metadata and revision). The first break is reported.
 */
export class ChainVerifier {
  private expectedRevision = 0;
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private broken: BrokenLink | undefined;
  private last: RecordedEvent | undefined;

  constructor(readonly streamId: string) {}

  add(event: RecordedEvent): void {
    this.checked++;
    this.last = event;
    if (this.broken) return;
    const metadata = event.metadata;
    const fail = (reason: BrokenLink['reason'], detail: string): void => {
      this.broken = {
        revision: event.revision,
        position: positionToJson(event.position),
        reason,
        detail,
      };
    };
    if (event.revision !== this.expectedRevision) {
      fail('revision-gap', `expected revision ${this.expectedRevision}, found ${event.revision}`);
      return;
    }
    if (typeof metadata['hash'] !== 'string' || typeof metadata['prevHash'] !== 'string') {
      fail('missing-hash', 'the event carries no hash chain');
      return;
    }
    if (metadata['prevHash'] !== this.prevHash) {
      fail(
        'prev-hash-mismatch',
        'prevHash is not the hash of the previous event: an event before it was altered, removed or moved',
      );
      return;
    }
    const recomputed = eventHash(this.prevHash, {
      type: event.type,
      data: event.data,
      metadata,
      revision: event.revision,
    });
    if (recomputed !== metadata['hash']) {
      fail(
        'hash-mismatch',
        'the stored hash does not match the event: its type, data or metadata were altered',
      );
      return;
    }
    this.prevHash = recomputed;
    this.expectedRevision++;
  }

  result(): ChainCheck {
    const head = this.last
      ? {
          revision: this.last.revision,
          position: positionToJson(this.last.position),
          hash: this.prevHash,
        }
      : null;
    return {
      streamId: this.streamId,
      ok: this.broken === undefined,
      checked: this.checked,
      head,
      ...(this.broken && { firstBroken: this.broken }),
    };
  }
}
