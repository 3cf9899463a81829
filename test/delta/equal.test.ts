import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/delta/index.js';

describe('jsonEqual', () => {
  it.each([
    [
      { a: 1, b: [1, { c: null }] },
      { b: [1, { c: null }], a: 1 },
    ],
    [[], []],
    [{}, {}],
    ['x', 'x'],
    [null, null],
  ])('holds for %j and %j', (a, b) => {
    expect(jsonEqual(a, b)).toBe(true);
  });

  it.each([
    [1, '1'],
    [
      [1, 2],
      [2, 1],
    ],
    [[], {}],
    [{ 0: 1 }, [1]],
    [{ a: 1 }, { a: 1, b: 1 }],
    [{ a: undefined }, { b: undefined }],
    [null, {}],
    [0, false],
  ])('fails for %j and %j', (a, b) => {
    expect(jsonEqual(a, b)).toBe(false);
    expect(jsonEqual(b, a)).toBe(false);
  });

  it('ignores inherited members', () => {
    expect(jsonEqual(Object.create({ a: 1 }), {})).toBe(true);
    expect(jsonEqual({ toString: 1 }, {})).toBe(false);
  });
});
