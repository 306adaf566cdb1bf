import type {
  EventMetadata,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../../event-sourcing/ports/event-store.port.js';
import {
  positionFromJson,
  positionToJson,
  type Position as PortPosition,
} from '../../event-sourcing/ports/event-store.port.js';
import type {
  EsdbEventData,
  EsdbExpectedRevision,
  EsdbFilter,
  EsdbPosition,
  EsdbReadPosition,
  EsdbRecordedEvent,
} from './eventstoredb-client.js';

/**
 * Pure translations between the port and the EventStoreDB clients (both libraries, see
 * eventstoredb-client.ts): expected revisions, log
 * positions, event payloads and the client's errors. Kept apart from the I/O so that each rule is
 * unit-tested on its own.
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What this adapter reads from a recorded event of the client (JSON or binary). */
export type StoredEvent = EsdbRecordedEvent;

// The clients' constants: the same strings in both libraries.
export const ANY = 'any';
export const NO_STREAM = 'no_stream';
export const STREAM_EXISTS = 'stream_exists';
export const START = 'start';
export const END = 'end';
export const FORWARDS = 'forwards';
export const BACKWARDS = 'backwards';

// ---------------------------------------------------------------------------------------------
// Expected revisions

/** Port → client. -1 is the revision of a stream without events, which EventStoreDB calls NO_STREAM. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): EsdbExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected === -1 ? NO_STREAM : BigInt(expected);
  }
}

/** Client → port, for the expectation EventStoreDB reports back in a WrongExpectedVersionError. */
export function fromEsdbExpectedRevision(expected: EsdbExpectedRevision): ExpectedRevision {
  switch (expected) {
    case NO_STREAM:
      return 'no_stream';
    case STREAM_EXISTS:
      return 'stream_exists';
    case ANY:
      return 'any';
    default:
      return toSafeNumber(expected, 'expected revision');
  }
}

/** The stream's actual revision as EventStoreDB reports it, in the port's terms. */
export function fromEsdbCurrentRevision(current: bigint | 'no_stream'): number | 'no_stream' {
  return current === NO_STREAM ? 'no_stream' : toSafeNumber(current, 'stream revision');
}

/** The check EventStoreDB makes, for the appends this adapter answers without the server. */
export function matchesExpectedRevision(
  expected: ExpectedRevision,
  current: number | undefined,
): boolean {
  return (
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    expected === (current ?? -1)
  );
}

/** The revision the first event of an append lands on when the expectation is an exact one. */
export function firstRevisionAfter(expected: ExpectedRevision): number | undefined {
  if (expected === 'no_stream') return 0;
  if (typeof expected === 'number') return expected + 1;
  // 'any' and 'stream_exists' say nothing about where the append landed.
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Positions

/**
 * THE boundary from the server's positions to the port's: the one place that knows what the
 * port's position is (opaque: a JSON integer on the wire; see the port). Inside this adapter
 * positions stay as the
 * server gives them ({commit, prepare} byte offsets, bigint) and are only compared.
 *
 * The commit position is a byte offset in the log, so it grows strictly in log order (but not by
 * one: by each record's size) and is far below 2^53 for any realistic log (8 PiB). Events
 * appended through the gRPC API commit themselves, so their commit and prepare positions are
 * equal; only events written in an explicit transaction of the legacy TCP API share a commit
 * position, and those cannot be told apart by one number, so they are refused here rather than
 * silently breaking checkpoints.
 */
export function toPortPosition(position: EsdbPosition | undefined, what: string): PortPosition {
  if (position === undefined) {
    throw new Error(
      `EventStoreDB returned no log position for ${what}: stream reads carry positions only on ` +
        'servers 22.6 and later',
    );
  }
  const { commit, prepare } = position;
  if (commit <= 0n || commit > MAX_SAFE) {
    throw new RangeError(
      `The log position of ${what} (commit ${String(commit)}) is not a usable position: ` +
        `expected an integer in [1, ${String(Number.MAX_SAFE_INTEGER)}]`,
    );
  }
  if (commit !== prepare) {
    throw new RangeError(
      `${what} shares commit position ${String(commit)} with other events (prepare ` +
        `${String(prepare)}): it was written in an explicit transaction, which the port's ` +
        'one-number positions cannot express',
    );
  }
  return positionFromJson(Number(commit));
}

/**
 * The inverse boundary: a port position (a checkpoint) as the server's. 0 is the start of the
 * log; any other value must be the position of an event this store gave out, else the server
 * refuses reads from it.
 */
export function fromPortPosition(port: PortPosition): EsdbPosition | typeof START {
  const position = positionToJson(port);
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`A position must be a safe integer >= 0, got ${String(position)}`);
  }
  if (position === 0) return START;
  const at = BigInt(position);
  return { commit: at, prepare: at };
}

/** Where a read of $all starts for a checkpoint; reads from a position include the event there. */
export function toEsdbPosition(position: PortPosition): EsdbReadPosition {
  return fromPortPosition(position);
}

/** Whether an event lies strictly after a checkpoint (START: everything does). */
export function isAfter(position: EsdbPosition, after: EsdbPosition | typeof START): boolean {
  return after === START || position.commit > after.commit;
}

/** The later of two places in the log (START is before every event). */
export function laterOf(
  a: EsdbPosition | typeof START,
  b: EsdbPosition | typeof START,
): EsdbPosition | typeof START {
  if (a === START) return b;
  if (b === START) return a;
  return b.commit > a.commit ? b : a;
}

// ---------------------------------------------------------------------------------------------
// System events

/** EventStoreDB's own events: `$`-prefixed types (`$>` links, `$metadata`, …) or streams. */
export function isSystemEvent(event: Pick<StoredEvent, 'type' | 'streamId'>): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/**
 * The server-side filter of $all: this application's stream prefixes when known (other
 * applications sharing the database never reach it), else every non-system event type.
 */
export function allFilter(streamPrefixes: readonly string[]): EsdbFilter {
  return streamPrefixes.length > 0
    ? { filterOn: 'streamName', prefixes: [...streamPrefixes], checkpointInterval: 1 }
    : { filterOn: 'eventType', regex: '^[^$].*', checkpointInterval: 1 };
}

/** The same choice, made again on what arrives, so no server version can break it. */
export function isOurs(
  event: Pick<StoredEvent, 'type' | 'streamId'>,
  streamPrefixes: readonly string[],
): boolean {
  if (isSystemEvent(event)) return false;
  return (
    streamPrefixes.length === 0 ||
    streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))
  );
}

// ---------------------------------------------------------------------------------------------
// Events

export function validateStreamId(streamId: string): void {
  if (streamId.length === 0) throw new RangeError('A stream id must not be empty');
  if (streamId.startsWith('$')) {
    throw new RangeError(
      `Stream id ${streamId} starts with $, which EventStoreDB reserves for system streams`,
    );
  }
}

export function validateAppend(events: readonly NewEvent[], expected: ExpectedRevision): void {
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < -1)) {
    throw new RangeError(`Expected revision must be an integer >= -1, got ${String(expected)}`);
  }
  for (const event of events) {
    if (!UUID.test(event.id)) {
      throw new TypeError(`Event id ${event.id} is not a UUID, which EventStoreDB requires`);
    }
    if (event.type.length === 0 || event.type.startsWith('$')) {
      throw new RangeError(
        `Event type "${event.type}" is empty or starts with $, which EventStoreDB reserves`,
      );
    }
  }
  const ids = new Set(events.map((event) => normalizeId(event.id)));
  if (ids.size !== events.length) {
    throw new Error('The events of one append must have distinct ids');
  }
}

/** EventStoreDB stores ids as UUIDs and returns them in lower case. */
export function normalizeId(id: string): string {
  return id.toLowerCase();
}

/**
 * The event as JSON, exactly as the SQLite adapter stores it: data as given (absent data is
 * null) and metadata untouched, since the hash chain was computed over it before the append.
 */
export function toEventData(event: NewEvent): EsdbEventData {
  const data = event.data ?? null;
  if (JSON.stringify(data) === (undefined as string | undefined)) {
    throw new TypeError(`The data of event ${event.id} is not JSON`);
  }
  if (JSON.stringify(event.metadata) === (undefined as string | undefined)) {
    throw new TypeError(`The metadata of event ${event.id} is not JSON`);
  }
  // What both clients' jsonEvent make. Any JSON value round-trips: the client stringifies it,
  // the server stores the bytes.
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    data,
    metadata: event.metadata,
  };
}

export function toRecordedEvent(event: StoredEvent): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    revision: toSafeNumber(event.revision, `the revision of event ${event.id}`),
    position: toPortPosition(event.position, `event ${event.id} in stream ${event.streamId}`),
    type: event.type,
    data: event.data,
    metadata: toMetadata(event.metadata),
  };
}

/** Our events always carry a JSON object; absent metadata (other writers) reads as empty. */
function toMetadata(metadata: unknown): EventMetadata {
  if (
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    !ArrayBuffer.isView(metadata)
  ) {
    return metadata as EventMetadata;
  }
  return {};
}

export function toSafeNumber(value: bigint, what: string): number {
  if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > MAX_SAFE) {
    throw new RangeError(`${what} is not a safe integer: ${String(value)}`);
  }
  return Number(value);
}

// ---------------------------------------------------------------------------------------------
// Errors
//
// Both libraries throw their own classes, so errors are told apart by the `type` both give them
// (the same strings); fields are read under either library's name.

/** The client error's type (`wrong-expected-version`, `unavailable`, …), if it is one. */
export function errorType(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

export function isWrongExpectedVersion(error: unknown): boolean {
  return errorType(error) === 'wrong-expected-version';
}

/** The stream's revision a WrongExpectedVersion reports (`actualVersion` in 6.x, `actualState` in kurrentdb-client). */
export function actualRevisionOf(error: unknown): number | 'no_stream' | undefined {
  const fields = error as { actualVersion?: unknown; actualState?: unknown };
  const actual = fields.actualVersion ?? fields.actualState;
  if (actual === NO_STREAM) return 'no_stream';
  return typeof actual === 'bigint' ? toSafeNumber(actual, 'stream revision') : undefined;
}

export function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === 'stream-not-found';
}

/** A tombstoned (hard-deleted) stream; kurrentdb-client names some of these `stream-tombstoned`. */
export function isStreamDeleted(error: unknown): boolean {
  const type = errorType(error);
  return type === 'stream-deleted' || type === 'stream-tombstoned';
}

export function isAppendTooLarge(error: unknown): boolean {
  const type = errorType(error);
  return type === 'maximum-append-size-exceeded' || type === 'append-record-size-exceeded';
}

/** The limit a MaximumAppendSizeExceeded names, when it names one. */
export function maxAppendSizeOf(error: unknown): number | undefined {
  const size = (error as { maxAppendSize?: unknown }).maxAppendSize;
  return typeof size === 'number' && size > 0 ? size : undefined;
}

/**
 * The server refused a read of $all from a position inside a record, not at an event's start
 * (gRPC status Unknown, "Trying to read from an invalid position.").
 */
export function isInvalidPosition(error: unknown): boolean {
  return (
    error instanceof Error &&
    (errorType(error) === 'unknown' || errorType(error) === 'invalid-argument') &&
    /invalid position/i.test(error.message)
  );
}

/**
 * Errors after which the server may or may not have committed a write: it did not answer in
 * time, the connection was lost, or the node stepped down. Everything else the server says is a
 * refusal of the whole append (it is atomic), or an error raised before anything was sent.
 */
const DEFINITE_REFUSALS = new Set([
  'wrong-expected-version',
  'stream-deleted',
  'stream-tombstoned',
  'maximum-append-size-exceeded',
  'append-record-size-exceeded',
  'access-denied',
  'invalid-argument',
  'invalid-transaction',
  'not-found',
  'no-stream',
  'stream-not-found',
  'unsupported',
  'missing-required-metadata-property',
]);

export function isOutcomeUnknown(error: unknown): boolean {
  const type = errorType(error);
  return type !== undefined && !DEFINITE_REFUSALS.has(type);
}

/** Errors a subscription cannot get past by resubscribing: it stops and reports them. */
const FATAL_FOR_SUBSCRIPTIONS = new Set(['access-denied', 'invalid-argument', 'unsupported']);

export function isFatalForSubscription(error: unknown): boolean {
  const type = errorType(error);
  return (type !== undefined && FATAL_FOR_SUBSCRIPTIONS.has(type)) || isInvalidPosition(error);
}
