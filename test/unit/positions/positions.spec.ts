import {
  comparePositions,
  earliestOf,
  isAfter,
  isAtOrAfter,
  laterOf,
  LOG_START,
  positionFromJson as pos,
  positionToJson,
} from '../../../src/event-sourcing/ports/event-store.port.js';

describe('positions: conversion at the wire', () => {
  it('round-trips the JSON integer the wire carries', () => {
    for (const n of [0, 1, 42, 8_192_345, Number.MAX_SAFE_INTEGER]) {
      expect(positionToJson(pos(n))).toBe(n);
    }
    expect(positionToJson(LOG_START)).toBe(0);
    // JSON sees the integer, so answers, headers and stored checkpoints keep their shape.
    expect(JSON.stringify({ position: pos(7) })).toBe('{"position":7}');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '7', null, undefined])(
    'refuses %p',
    (value) => {
      expect(() => pos(value)).toThrow(RangeError);
    },
  );
});

describe('positions: comparison', () => {
  it('orders positions as the log does', () => {
    expect(comparePositions(pos(3), pos(9))).toBeLessThan(0);
    expect(comparePositions(pos(9), pos(3))).toBeGreaterThan(0);
    expect(comparePositions(pos(9), pos(9))).toBe(0);
    expect(isAfter(pos(10), pos(9))).toBe(true);
    expect(isAfter(pos(9), pos(9))).toBe(false);
    expect(isAtOrAfter(pos(9), pos(9))).toBe(true);
    expect(isAtOrAfter(pos(8), pos(9))).toBe(false);
    expect(isAfter(pos(1), LOG_START)).toBe(true);
  });

  it('picks the later and the earliest', () => {
    expect(positionToJson(laterOf(pos(3), pos(9)))).toBe(9);
    expect(positionToJson(laterOf(pos(9), pos(3)))).toBe(9);
    expect(positionToJson(earliestOf([pos(5), pos(2), pos(8)]))).toBe(2);
    expect(earliestOf([])).toBe(LOG_START);
  });

  it('sorts byte offsets far apart (EventStoreDB) as well as row numbers (SQLite)', () => {
    const offsets = [pos(1_048_576_000), pos(512), pos(8_388_608)];
    expect([...offsets].sort(comparePositions).map(positionToJson)).toEqual([
      512, 8_388_608, 1_048_576_000,
    ]);
  });
});
