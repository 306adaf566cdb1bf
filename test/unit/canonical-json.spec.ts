import { canonicalJson } from '../../src/event-sourcing/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys, so key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it('sorts keys at every depth, including objects inside arrays', () => {
    const one = { z: { y: 1, x: [{ d: 1, c: 2 }] }, a: null };
    const two = { a: null, z: { x: [{ c: 2, d: 1 }], y: 1 } };
    expect(canonicalJson(one)).toBe('{"a":null,"z":{"x":[{"c":2,"d":1}],"y":1}}');
    expect(canonicalJson(two)).toBe(canonicalJson(one));
  });

  it('keeps the order of array items', () => {
    expect(canonicalJson([2, 1])).toBe('[2,1]');
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('writes no insignificant whitespace', () => {
    expect(canonicalJson({ a: [1, { b: 'x y' }] })).toBe('{"a":[1,{"b":"x y"}]}');
  });

  it('writes scalars as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(0)).toBe('0');
    expect(canonicalJson(-1.5)).toBe('-1.5');
    expect(canonicalJson('徐汇区 "天平" \\ \n')).toBe(JSON.stringify('徐汇区 "天平" \\ \n'));
    expect(canonicalJson(12_500_000_000)).toBe('12500000000');
  });

  it('drops object members whose value is undefined (as JSON.stringify does)', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('writes undefined, functions and symbols as null', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined, () => 1, Symbol('s')])).toBe('[null,null,null]');
  });

  it('escapes keys', () => {
    expect(canonicalJson({ 'a"b': 1 })).toBe('{"a\\"b":1}');
  });

  it('parses back to an equal value', () => {
    const value = { type: 'FundingGranted', data: { amountFen: 1, funder: { code: '310104003' } } };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('tells different values apart', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ a: [] })).not.toBe(canonicalJson({ a: {} }));
  });
});
