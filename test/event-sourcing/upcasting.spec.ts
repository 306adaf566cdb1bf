import { storedVersion, upcaster } from '../../src/event-sourcing/upcasting.js';

/** A made-up event type whose shape changed twice: v1 `{ grade }`, v2 `{ mark }`, v3 `{ mark, scale }`. */
const marks = upcaster(
  { Marked: 3, Other: 1 },
  {
    Marked: {
      1: ({ grade, ...rest }) => ({ ...rest, mark: grade }),
      2: (data) => ({ ...data, scale: 'letters' }),
    },
  },
);

describe('upcasting: stored events of older schema versions read in the current shape', () => {
  it('given a v1 event, when read, then every step up to the current version applies in order', () => {
    const stored = { type: 'Marked', data: { grade: 'A', id: 1 }, metadata: { schemaVersion: 1 } };
    expect(marks.upcast(stored).data).toEqual({ mark: 'A', id: 1, scale: 'letters' });
  });

  it('given a v2 event, when read, then only the later steps apply', () => {
    const stored = { type: 'Marked', data: { mark: 'B' }, metadata: { schemaVersion: 2 } };
    expect(marks.upcast(stored).data).toEqual({ mark: 'B', scale: 'letters' });
  });

  it('given a current event, when read, then it is the same object, untouched', () => {
    const stored = {
      type: 'Marked',
      data: { mark: 'C', scale: 'x' },
      metadata: { schemaVersion: 3 },
    };
    expect(marks.upcast(stored)).toBe(stored);
  });

  it('given an upcast, then the metadata (version, hash) stays as stored so the chain still verifies', () => {
    const metadata = { schemaVersion: 1, hash: 'abc' };
    const lifted = marks.upcast({ type: 'Marked', data: { grade: 'D' }, metadata });
    expect(lifted.metadata).toBe(metadata);
  });

  it('given stored metadata without a version, then the event is version 1', () => {
    expect(storedVersion({ type: 'Marked', data: {}, metadata: {} })).toBe(1);
    expect(storedVersion({ type: 'Marked', data: {}, metadata: { schemaVersion: '2' } })).toBe(1);
    expect(marks.upcast({ type: 'Marked', data: { grade: 'A' }, metadata: {} }).data).toEqual({
      mark: 'A',
      scale: 'letters',
    });
  });

  it("given a decider's fresh event (no metadata), then it is already current", () => {
    const fresh = { type: 'Marked', data: { mark: 'A', scale: 'x' } };
    expect(marks.upcast(fresh)).toBe(fresh);
  });

  it('given a missing step, when the upcaster is built, then it refuses to start', () => {
    expect(() => upcaster({ Marked: 3 }, { Marked: { 1: (d) => d } })).toThrow(
      'no upcast of Marked from v2',
    );
  });

  it('reports the version each type is written with today', () => {
    expect(marks.current('Marked')).toBe(3);
    expect(marks.current('Other')).toBe(1);
  });
});
