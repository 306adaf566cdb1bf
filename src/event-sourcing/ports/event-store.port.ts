/**
 * The event-store port. Shaped after what EventStoreDB offers (streams with revisions, one
 * ordered log with global positions, catch-up subscriptions), so that the embedded SQLite
 * adapter is the one that adapts.
 */

/** Revision the caller expects the stream to be at; a number is the revision of its last event. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface EventMetadata {
  readonly [key: string]: unknown;
}

export interface NewEvent {
  /** Unique id; appending an event whose id is already stored in the same place is a no-op. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  /** 0-based index of the event in its stream. */
  readonly revision: number;
  /** Position in the whole log: strictly increasing in append order, usable as a checkpoint. */
  readonly position: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event of this append. */
  readonly position: number;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive); defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events whose position is strictly greater than this; 0 or absent = from the start. */
  readonly fromPosition?: number;
  readonly maxCount: number;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscribeToAllOptions {
  /** Deliver events whose position is strictly greater than this (a checkpoint). */
  readonly fromPosition?: number;
  /** Called in log order, one event at a time; the next is delivered after the promise settles. */
  readonly onEvent: (event: RecordedEvent) => Promise<void> | void;
  readonly onError?: (error: unknown) => void;
}

/** The expected revision did not match the stream's: nothing was written. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(
      `Stream ${streamId} is at ${String(actual)}, expected ${String(expected)}: nothing was written`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * The stream was deleted for good (EventStoreDB's tombstone, a hard delete): it can be neither
 * read nor written again under this name. A soft-deleted stream is not this: it reads as unknown
 * and an append recreates it.
 */
export class StreamDeletedError extends Error {
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} was deleted for good: it can no longer be read or written`);
    this.name = 'StreamDeletedError';
  }
}

/**
 * The store did not say whether an append committed (timeout, lost connection, leader change)
 * and could not find out. The events may be stored: retrying the same command with the same
 * event ids (the same Idempotency-Key) is safe, assuming nothing is not.
 */
export class AppendOutcomeUnknownError extends Error {
  constructor(
    readonly streamId: string,
    options?: { readonly cause?: unknown },
  ) {
    super(
      `The append to ${streamId} may or may not have been stored (the event store did not ` +
        'confirm it); retry with the same event ids',
      options,
    );
    this.name = 'AppendOutcomeUnknownError';
  }
}

/** The events of one append weigh more than the store takes at once: nothing was written. */
export class AppendTooLargeError extends Error {
  constructor(
    readonly streamId: string,
    readonly maxBytes: number | undefined,
  ) {
    super(
      `The append to ${streamId} is larger than the event store takes at once` +
        (maxBytes === undefined ? '' : ` (${String(maxBytes)} bytes)`) +
        ': nothing was written',
    );
    this.name = 'AppendTooLargeError';
  }
}

export interface HeadPositionOptions {
  /**
   * Ask the store itself rather than a head the adapter keeps up to date, for a caller that
   * must see a write just answered by another process (a read-your-writes guard).
   */
  readonly fresh?: boolean;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;
  /** Events of one stream; an unknown stream yields nothing. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** One page of the whole log in position order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the log, 0 when empty. */
  headPosition(options?: HeadPositionOptions): Promise<number>;
  /** Catch up from a position, then follow live appends until closed. */
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');
