import {
  isAfter,
  LOG_START,
  positionToJson,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '../event-sourcing/ports/event-store.port.js';
import { ChainVerifier, type ChainCheck } from './chain-verification.js';
import { logDigest } from './log-digest.js';

/** One event as auditors see it: everything stored, in order, with its place in the chain. */
export interface HistoryEntry {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly prevHash: unknown;
  readonly hash: unknown;
}

export interface LogCheck {
  readonly ok: boolean;
  /** Events checked. */
  readonly checked: number;
  readonly streams: number;
  /** Position the check (and its digest) covers: every event at or before it. */
  readonly upToPosition: number;
  readonly digest: string;
  /** The broken streams (at most `limit`), each with its first broken revision. */
  readonly broken: ChainCheck[];
  readonly brokenStreams: number;
}

export const toHistoryEntry = (event: RecordedEvent): HistoryEntry => ({
  streamId: event.streamId,
  revision: event.revision,
  position: positionToJson(event.position),
  eventId: event.id,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  prevHash: event.metadata['prevHash'],
  hash: event.metadata['hash'],
});

const PAGE = 2000;

/** Integrity checks over the event store (DOMAIN §6); reads only, never writes. */
export class AuditService {
  constructor(private readonly store: EventStore) {}

  async *history(streamId: string): AsyncGenerator<HistoryEntry> {
    for await (const event of this.store.readStream(streamId)) yield toHistoryEntry(event);
  }

  async verifyStream(streamId: string): Promise<ChainCheck> {
    const verifier = new ChainVerifier(streamId);
    for await (const event of this.store.readStream(streamId)) verifier.add(event);
    return verifier.result();
  }

  /** Every stream's chain, and the digest over all stream heads, up to a position (default: the head). */
  async verifyLog(
    upTo?: Position,
    limit = 100,
    /** Events checked so far, of how many (null where the store cannot count them cheaply). */
    onProgress?: (checked: number, total: number | null) => void,
  ): Promise<LogCheck> {
    const head = await this.store.headPosition();
    const until = upTo === undefined || isAfter(upTo, head) ? head : upTo;
    const total = onProgress ? await this.store.countBetween(LOG_START, until) : null;
    const verifiers = new Map<string, ChainVerifier>();
    let checked = 0;
    // Pages are read after the last position seen and cut at `until`: positions are compared,
    // never subtracted (on EventStoreDB they are byte offsets).
    for (let after = LOG_START; isAfter(until, after);) {
      const page = await this.store.readAll({ fromPosition: after, maxCount: PAGE });
      const last = page.at(-1);
      if (last === undefined) break;
      for (const event of page) {
        if (isAfter(event.position, until)) break;
        let verifier = verifiers.get(event.streamId);
        if (!verifier) {
          verifier = new ChainVerifier(event.streamId);
          verifiers.set(event.streamId, verifier);
        }
        verifier.add(event);
        checked++;
      }
      after = last.position;
      onProgress?.(checked, total);
    }
    const results = [...verifiers.values()].map((v) => v.result());
    // Walking the log in position order meets a moved event at another revision than walking
    // its stream does; report broken streams as the per-stream check sees them, so both agree.
    const broken = await Promise.all(
      results
        .filter((r) => !r.ok)
        .slice(0, limit)
        .map((r) => this.verifyStream(r.streamId)),
    );
    const brokenStreams = results.filter((r) => !r.ok).length;
    const heads = results.flatMap((r) => (r.head ? [{ streamId: r.streamId, ...r.head }] : []));
    return {
      ok: brokenStreams === 0,
      checked,
      streams: results.length,
      upToPosition: positionToJson(until),
      digest: logDigest(heads),
      broken,
      brokenStreams,
    };
  }
}
