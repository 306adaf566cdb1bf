import {
  LOG_START,
  positionFromJson,
  type Position,
} from '../../../src/event-sourcing/ports/event-store.port.js';
import { randomUUID } from 'node:crypto';
import * as eventStoreDbClient from '@eventstore/db-client';
import * as kurrentDbClient from '@kurrent/kurrentdb-client';
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  actualRevisionOf,
  allFilter,
  fromPortPosition,
  isAppendTooLarge,
  isFatalForSubscription,
  isInvalidPosition,
  isOurs,
  isOutcomeUnknown,
  isStreamDeleted,
  laterOf,
  firstRevisionAfter,
  fromEsdbCurrentRevision,
  fromEsdbExpectedRevision,
  isAfter,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  matchesExpectedRevision,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEventData,
  toPortPosition,
  toRecordedEvent,
  validateAppend,
  validateStreamId,
} from '../../../src/adapters/eventstoredb/eventstoredb-mapping.js';
import type {
  ExpectedRevision,
  NewEvent,
} from '../../../src/event-sourcing/ports/event-store.port.js';

const at = (n: bigint) => ({ commit: n, prepare: n });

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return { id: randomUUID(), type: 'Tested', data: { n: 1 }, metadata: {}, ...overrides };
}

describe('EventStoreDB mapping: expected revisions', () => {
  it('maps the port expectations to the client constants, -1 to NO_STREAM', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(-1)).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(41)).toBe(41n);
    expect(toEsdbExpectedRevision(Number.MAX_SAFE_INTEGER)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('maps the client expectations back to the port', () => {
    const portValues: ExpectedRevision[] = ['no_stream', 'stream_exists', 'any', 0, 7];
    for (const value of portValues) {
      expect(fromEsdbExpectedRevision(toEsdbExpectedRevision(value))).toBe(value);
    }
    expect(fromEsdbExpectedRevision(toEsdbExpectedRevision(-1))).toBe('no_stream');
  });

  it("maps the stream's actual revision, NO_STREAM to 'no_stream'", () => {
    expect(fromEsdbCurrentRevision(NO_STREAM)).toBe('no_stream');
    expect(fromEsdbCurrentRevision(0n)).toBe(0);
    expect(fromEsdbCurrentRevision(12n)).toBe(12);
    expect(() => fromEsdbCurrentRevision(2n ** 63n)).toThrow(RangeError);
  });

  it('checks an expectation against a stream head like EventStoreDB', () => {
    expect(matchesExpectedRevision('any', undefined)).toBe(true);
    expect(matchesExpectedRevision('any', 3)).toBe(true);
    expect(matchesExpectedRevision('no_stream', undefined)).toBe(true);
    expect(matchesExpectedRevision('no_stream', 0)).toBe(false);
    expect(matchesExpectedRevision('stream_exists', undefined)).toBe(false);
    expect(matchesExpectedRevision('stream_exists', 0)).toBe(true);
    expect(matchesExpectedRevision(-1, undefined)).toBe(true);
    expect(matchesExpectedRevision(-1, 0)).toBe(false);
    expect(matchesExpectedRevision(2, 2)).toBe(true);
    expect(matchesExpectedRevision(2, 3)).toBe(false);
    expect(matchesExpectedRevision(0, undefined)).toBe(false);
  });

  it('knows where an append with an exact expectation landed, and only then', () => {
    expect(firstRevisionAfter('no_stream')).toBe(0);
    expect(firstRevisionAfter(-1)).toBe(0);
    expect(firstRevisionAfter(4)).toBe(5);
    expect(firstRevisionAfter('any')).toBeUndefined();
    expect(firstRevisionAfter('stream_exists')).toBeUndefined();
  });
});

describe('EventStoreDB mapping: positions', () => {
  it('uses the commit position, a byte offset, as the port position', () => {
    expect(toPortPosition(at(1234n), 'e')).toBe(1234);
    expect(toPortPosition(at(BigInt(Number.MAX_SAFE_INTEGER)), 'e')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses positions a number cannot carry exactly', () => {
    expect(() => toPortPosition(at(2n ** 53n), 'e')).toThrow(RangeError);
    // What the server sends for "no position" (-1 as an unsigned 64-bit integer).
    expect(() => toPortPosition(at(2n ** 64n - 1n), 'e')).toThrow(RangeError);
  });

  it('refuses 0, which the port keeps for "nothing yet"', () => {
    expect(() => toPortPosition(at(0n), 'e')).toThrow(RangeError);
  });

  it('refuses events of explicit transactions, whose commit position is shared', () => {
    expect(() => toPortPosition({ commit: 5000n, prepare: 4800n }, 'e')).toThrow(/transaction/);
  });

  it('explains a missing position (stream reads on servers before 22.6)', () => {
    expect(() => toPortPosition(undefined, 'e')).toThrow(/22\.6/);
  });

  it('reads $all from a port position as {commit, prepare}, from START for 0', () => {
    expect(toEsdbPosition(LOG_START)).toBe(START);
    expect(toEsdbPosition(positionFromJson(1234))).toEqual({ commit: 1234n, prepare: 1234n });
    // Forged past positionFromJson (which refuses them too): the boundary checks again.
    for (const forged of [-1, 1.5, Number.NaN])
      expect(() => toEsdbPosition(forged as unknown as Position)).toThrow(RangeError);
  });

  it('converts a port position back in one place, the inverse of toPortPosition', () => {
    expect(fromPortPosition(LOG_START)).toBe(START);
    expect(
      toPortPosition(
        fromPortPosition(positionFromJson(7919)) as { commit: bigint; prepare: bigint },
        'e',
      ),
    ).toEqual(positionFromJson(7919));
  });

  it('treats a position as an exclusive checkpoint, compared and never counted', () => {
    expect(isAfter(at(1234n), at(1234n))).toBe(false);
    expect(isAfter(at(1233n), at(1234n))).toBe(false);
    expect(isAfter(at(1235n), at(1234n))).toBe(true);
    expect(isAfter(at(1n), START)).toBe(true);
    expect(laterOf(START, at(5n))).toEqual(at(5n));
    expect(laterOf(at(9n), at(5n))).toEqual(at(9n));
    expect(laterOf(at(9n), START)).toEqual(at(9n));
  });
});

describe('EventStoreDB mapping: system events', () => {
  it('recognizes $-prefixed types and streams', () => {
    expect(isSystemEvent({ type: '$>', streamId: '$ce-organization' })).toBe(true);
    expect(isSystemEvent({ type: '$metadata', streamId: '$$organization-1' })).toBe(true);
    expect(isSystemEvent({ type: '$statsCollected', streamId: 'anything' })).toBe(true);
    expect(isSystemEvent({ type: 'Created', streamId: '$users' })).toBe(true);
    expect(isSystemEvent({ type: 'OrganizationRegistered', streamId: 'organization-1' })).toBe(
      false,
    );
    expect(isSystemEvent({ type: 'Price$Changed', streamId: 'a$b' })).toBe(false);
  });
});

describe('EventStoreDB mapping: the filter of $all', () => {
  it("asks the server for this application's stream prefixes when known", () => {
    expect(allFilter(['organization-', 'unique-'])).toEqual({
      filterOn: 'streamName',
      prefixes: ['organization-', 'unique-'],
      checkpointInterval: 1,
    });
    expect(allFilter([])).toEqual({
      filterOn: 'eventType',
      regex: '^[^$].*',
      checkpointInterval: 1,
    });
  });

  it('checks what arrives against the same choice', () => {
    const prefixes = ['organization-', 'unique-'];
    expect(isOurs({ type: 'Registered', streamId: 'organization-1' }, prefixes)).toBe(true);
    expect(isOurs({ type: 'Taken', streamId: 'unique-name-x' }, prefixes)).toBe(true);
    expect(isOurs({ type: 'OrderPlaced', streamId: 'order-1' }, prefixes)).toBe(false);
    expect(isOurs({ type: '$metadata', streamId: 'organization-1' }, prefixes)).toBe(false);
    expect(isOurs({ type: 'OrderPlaced', streamId: 'order-1' }, [])).toBe(true);
    expect(isOurs({ type: 'Created', streamId: '$users' }, [])).toBe(false);
  });
});

describe('EventStoreDB mapping: events', () => {
  it('sends data and metadata as JSON, unchanged', () => {
    const metadata = { prevHash: 'a', hash: 'b', actor: { id: 'u-1' } };
    const event = newEvent({ data: { name: '社区', list: [1, 2] }, metadata });
    expect(toEventData(event)).toEqual({
      id: event.id,
      contentType: 'application/json',
      type: 'Tested',
      data: { name: '社区', list: [1, 2] },
      metadata,
    });
    // Not a copy with keys added or removed: the very metadata the hash chain covers.
    expect(toEventData(event).metadata).toBe(metadata);
  });

  it('sends absent data as null, like the SQLite adapter, and refuses what is not JSON', () => {
    expect(toEventData(newEvent({ data: undefined })).data).toBeNull();
    expect(toEventData(newEvent({ data: 0 })).data).toBe(0);
    expect(() => toEventData(newEvent({ data: () => 1 }))).toThrow(TypeError);
  });

  it('maps a recorded event, with bigint revision and position as numbers', () => {
    const id = randomUUID();
    expect(
      toRecordedEvent({
        streamId: 'organization-1',
        id,
        revision: 3n,
        type: 'Renamed',
        data: { name: 'x' },
        metadata: { hash: 'h' },
        position: at(4096n),
      }),
    ).toEqual({
      id,
      streamId: 'organization-1',
      revision: 3,
      position: 4096,
      type: 'Renamed',
      data: { name: 'x' },
      metadata: { hash: 'h' },
    });
  });

  it('reads absent or non-object metadata (other writers) as empty', () => {
    const base = { streamId: 's', id: randomUUID(), revision: 0n, type: 't', data: null };
    const position = at(100n);
    expect(toRecordedEvent({ ...base, metadata: undefined, position }).metadata).toEqual({});
    expect(toRecordedEvent({ ...base, metadata: new Uint8Array([1]), position }).metadata).toEqual(
      {},
    );
  });

  it('validates an append before anything is sent', () => {
    const event = newEvent();
    expect(() => {
      validateAppend([event], -2);
    }).toThrow(RangeError);
    expect(() => {
      validateAppend([event], 1.5);
    }).toThrow(RangeError);
    expect(() => {
      validateAppend([newEvent({ id: 'not-a-uuid' })], 'any');
    }).toThrow(/UUID/);
    expect(() => {
      validateAppend([event, { ...event, id: event.id.toUpperCase() }], 'any');
    }).toThrow(/distinct ids/);
    expect(() => {
      validateAppend([newEvent({ type: '$metadata' })], 'any');
    }).toThrow(RangeError);
    expect(() => {
      validateAppend([event], -1);
    }).not.toThrow();
  });

  it('refuses stream ids EventStoreDB keeps for itself', () => {
    expect(() => {
      validateStreamId('$users');
    }).toThrow(RangeError);
    expect(() => {
      validateStreamId('');
    }).toThrow(RangeError);
    expect(() => {
      validateStreamId('organization-1');
    }).not.toThrow();
  });
});

describe.each([
  ['@eventstore/db-client', eventStoreDbClient as unknown as typeof kurrentDbClient],
  ['@kurrent/kurrentdb-client', kurrentDbClient],
])('EventStoreDB mapping: errors of %s', (_, lib) => {
  const serviceError = {
    message: 'x',
    metadata: { getMap: () => ({ 'leader-endpoint-host': 'h', 'leader-endpoint-port': '1' }) },
  } as never;

  it('recognizes WrongExpectedVersion and reads its actual revision under either name', () => {
    const wrong = new lib.WrongExpectedVersionError(undefined, {
      streamName: 's',
      expected: 0n,
      current: 1n,
    });
    const none = new lib.WrongExpectedVersionError(undefined, {
      streamName: 's',
      expected: 0n,
      current: 'no_stream',
    });
    const notFound = new lib.StreamNotFoundError(undefined, 's');
    expect(isWrongExpectedVersion(wrong)).toBe(true);
    expect(actualRevisionOf(wrong)).toBe(1);
    expect(actualRevisionOf(none)).toBe('no_stream');
    expect(isWrongExpectedVersion(notFound)).toBe(false);
    expect(isStreamNotFound(notFound)).toBe(true);
    expect(isStreamNotFound(wrong)).toBe(false);
    expect(isStreamNotFound(new Error('stream-not-found'))).toBe(false);
    expect(isWrongExpectedVersion('wrong-expected-version')).toBe(false);
  });

  it('tells a deleted stream and an append too large', () => {
    const deleted = lib.StreamDeletedError.fromStreamName('s');
    expect(isStreamDeleted(deleted)).toBe(true);
    expect(isStreamNotFound(deleted)).toBe(false);
    expect(isAppendTooLarge(new lib.MaxAppendSizeExceededError(undefined, 1024))).toBe(true);
    expect(isOutcomeUnknown(deleted)).toBe(false);
  });

  it("knows which failures leave an append's outcome unknown", () => {
    expect(isOutcomeUnknown(new lib.DeadlineExceededError(serviceError))).toBe(true);
    expect(isOutcomeUnknown(new lib.UnavailableError(serviceError))).toBe(true);
    expect(isOutcomeUnknown(new lib.NotLeaderError(serviceError))).toBe(true);
    expect(isOutcomeUnknown(new lib.TimeoutError(serviceError))).toBe(true);
    expect(isOutcomeUnknown(new lib.AccessDeniedError(serviceError))).toBe(false);
    expect(
      isOutcomeUnknown(
        new lib.WrongExpectedVersionError(undefined, {
          streamName: 's',
          expected: 0n,
          current: 1n,
        }),
      ),
    ).toBe(false);
    // Not the client's: a bug of ours, not a doubt about the server.
    expect(isOutcomeUnknown(new TypeError('x'))).toBe(false);
  });

  it("recognizes the server's refusal of a position inside a record", () => {
    const invalid = new lib.UnknownError(undefined, 'Trying to read from an invalid position.');
    expect(isInvalidPosition(invalid)).toBe(true);
    expect(isFatalForSubscription(invalid)).toBe(true);
    expect(isFatalForSubscription(new lib.UnavailableError(serviceError))).toBe(false);
    expect(isFatalForSubscription(new lib.AccessDeniedError(serviceError))).toBe(true);
  });
});
