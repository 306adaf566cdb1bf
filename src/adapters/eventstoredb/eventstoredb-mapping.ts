import {
  ANY,
  ErrorType,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  isCommandError,
  jsonEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type JSONType,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import type {
  EventMetadata,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../../event-sourcing/ports/event-store.port.js';
import { positionFromJson } from '../../event-sourcing/ports/event-store.port.js';

/**
 * Pure translations between the port and @eventstore/db-client: expected revisions, log
 * positions, event payloads and the client's errors. Kept apart from the I/O so that each rule is
 * unit-tested on its own.
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What this adapter reads from a recorded event of the client (JSON or binary). */
export interface StoredEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

// ---------------------------------------------------------------------------------------------
// Expected revisions

/** Port → client. -1 is the revision of a stream without events, which EventStoreDB calls NO_STREAM. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
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
export function fromEsdbExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
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
export function fromEsdbCurrentRevision(current: CurrentRevision): number | 'no_stream' {
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
 * The port's global position of an event: its commit position in EventStoreDB's transaction log.
 *
 * The commit position is a byte offset in the log, so it grows strictly in log order and is far
 * below 2^53 for any realistic log (2^53 bytes is 8 PiB). Events appended through the gRPC API
 * commit themselves, so their commit and prepare positions are equal; only events written in an
 * explicit transaction of the legacy TCP API share a commit position, and those cannot be told
 * apart by one number, so they are refused here rather than silently breaking checkpoints.
 */
export function toPortPosition(position: Position | undefined, what: string): number {
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
  const number = Number(commit);
  if (!Number.isSafeInteger(number)) {
    throw new RangeError(`The log position of ${what} is not a safe integer: ${String(commit)}`);
  }
  return number;
}

/** Where a read of $all starts for a port position; reads from a position include it. */
export function toEsdbPosition(position: number): ReadPosition {
  assertPortPosition(position);
  if (position === 0) return START;
  const at = BigInt(position);
  return { commit: at, prepare: at };
}

export function assertPortPosition(position: number): void {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`A position must be a safe integer >= 0, got ${String(position)}`);
  }
}

/** Whether an event lies strictly after a port position (positions are exclusive checkpoints). */
export function isAfter(position: Position, after: number): boolean {
  return position.commit > BigInt(after);
}

// ---------------------------------------------------------------------------------------------
// System events

/** EventStoreDB's own events: `$`-prefixed types (`$>` links, `$metadata`, …) or streams. */
export function isSystemEvent(event: Pick<StoredEvent, 'type' | 'streamId'>): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
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
export function toEventData(event: NewEvent): EventData {
  const data = event.data ?? null;
  if (JSON.stringify(data) === (undefined as string | undefined)) {
    throw new TypeError(`The data of event ${event.id} is not JSON`);
  }
  if (JSON.stringify(event.metadata) === (undefined as string | undefined)) {
    throw new TypeError(`The metadata of event ${event.id} is not JSON`);
  }
  return jsonEvent({
    id: event.id,
    type: event.type,
    // Any JSON value round-trips: the client stringifies it, the server stores the bytes.
    data: data as JSONType,
    metadata: event.metadata,
  });
}

export function toRecordedEvent(event: StoredEvent): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    revision: toSafeNumber(event.revision, `the revision of event ${event.id}`),
    position: positionFromJson(
      toPortPosition(event.position, `event ${event.id} in stream ${event.streamId}`),
    ),
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

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return (
    error instanceof WrongExpectedVersionError ||
    (error instanceof Error &&
      isCommandError(error) &&
      error.type === ErrorType.WRONG_EXPECTED_VERSION)
  );
}

export function isStreamNotFound(error: unknown): boolean {
  return (
    error instanceof StreamNotFoundError ||
    (error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND)
  );
}
