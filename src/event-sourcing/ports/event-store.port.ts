/**
 * The event-store port. Shaped after what EventStoreDB offers (streams with revisions, one
 * ordered log with global positions, catch-up subscriptions), so that the embedded SQLite
 * adapter is the one that adapts.
 */

declare const positionBrand: unique symbol;

/**
 * A place in the whole log. Opaque outside the adapters: on EventStoreDB it is a byte offset in
 * the transaction log, on SQLite a row number, so the distance between two positions says
 * nothing about how many events lie between them. An object type (not a branded number), so
 * `-`, `+` and `Math.max` on positions do not compile; comparisons go through the helpers below
 * (ESLint's `registry/no-position-arithmetic` refuses `<`, `Number()` and casts outside
 * `src/adapters/`, which the type alone cannot). On the wire (answers, `minPosition`, Kafka
 * headers, stored checkpoints) a position stays the JSON integer it always was.
 */
export interface Position {
  readonly [positionBrand]: 'Position';
}

/** Before the first event: reading after it reads the whole log; a checkpoint never written. */
export const LOG_START = 0 as unknown as Position;

/** A position from its JSON integer (a non-negative safe integer); RangeError otherwise. */
export function positionFromJson(value: unknown): Position {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`A position is a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value as unknown as Position;
}

/** The JSON integer of a position, for the wire and for stored checkpoints: never to count with. */
export function positionToJson(position: Position): number {
  return position as unknown as number;
}

/** Negative when `a` comes before `b` in the log, 0 when equal, positive after. */
export function comparePositions(a: Position, b: Position): number {
  return Math.sign(positionToJson(a) - positionToJson(b));
}

/** Whether `a` comes strictly after `b` in the log. */
export const isAfter = (a: Position, b: Position): boolean => comparePositions(a, b) > 0;

/** Whether `a` is `b` or comes after it. */
export const isAtOrAfter = (a: Position, b: Position): boolean => comparePositions(a, b) >= 0;

/** The later of two positions. */
export const laterOf = (a: Position, b: Position): Position => (isAfter(b, a) ? b : a);

/** The earliest of some positions; `LOG_START` when there are none. */
export function earliestOf(positions: Iterable<Position>): Position {
  let earliest: Position | undefined;
  for (const p of positions) if (earliest === undefined || isAfter(earliest, p)) earliest = p;
  return earliest ?? LOG_START;
}

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
  readonly position: Position;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event of this append. */
  readonly position: Position;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive); defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /**
   * Forwards (the default): events strictly after this position; absent or `LOG_START` = from
   * the start. Backwards: events strictly before it, latest first; absent = from the head.
   */
  readonly fromPosition?: Position;
  readonly maxCount: number;
  readonly direction?: 'forwards' | 'backwards';
}

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscribeToAllOptions {
  /** Deliver events whose position is strictly greater than this (a checkpoint). */
  readonly fromPosition?: Position;
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

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;
  /**
   * Appends to several distinct streams in one transaction, all or nothing, in the order given
   * (positions follow it), each part checked as `appendToStream` checks it: its expected
   * revision (a WrongExpectedRevisionError names the stream that did not match, and nothing is
   * written) and its event ids (a retry whose parts are all stored is a no-op). Answers each
   * part's result in order. Only where the store has multi-stream transactions (the embedded
   * SQLite store); EventStoreDB has none, and callers then append the parts one by one.
   */
  appendToStreams?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream; an unknown stream yields nothing. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** One page of the whole log in position order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the log, `LOG_START` when empty. */
  headPosition(options?: HeadPositionOptions): Promise<Position>;
  /**
   * The event stored exactly at a position; undefined when no event starts there (a position
   * of another store, or past the head). Checks checkpoints at start and dates lag.
   */
  eventAt(position: Position): Promise<RecordedEvent | undefined>;
  /**
   * How many events lie after `after` up to and including `upTo`, where the store can count
   * them cheaply (SQLite); null where it cannot without reading them (EventStoreDB).
   */
  countBetween(after: Position, upTo: Position): Promise<number | null>;
  /** Catch up from a position, then follow live appends until closed. */
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /**
   * A cheap round trip to where the data lives (the server, or the file), for /health: resolves
   * once it answered, rejects as the other operations do.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');
