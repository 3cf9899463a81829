import { describe, expect, it } from 'vitest';
import { AnywireError } from '../../src/core/errors.js';
import { type DeltaCodec, jsonPatch, mergePatch } from '../../src/delta/index.js';

describe('delta codecs', () => {
  it('jsonPatch applies RFC 6902 patches', () => {
    expect(jsonPatch.apply({ a: 1 }, [{ op: 'replace', path: '/a', value: 2 }])).toStrictEqual({ a: 2 });
  });

  it('mergePatch applies RFC 7396 patches', () => {
    expect(mergePatch.apply({ a: 1, b: 2 }, { a: null })).toStrictEqual({ b: 2 });
  });

  it('accepts a custom codec with its own state type', () => {
    const counter: DeltaCodec<number> = {
      apply(state, patch) {
        const add = (patch as { add?: unknown }).add;
        if (typeof add !== 'number') throw new AnywireError('delta', 'delta: expected { add: number }');
        return state + add;
      },
    };
    expect(counter.apply(1, { add: 2 })).toBe(3);
    expect(() => counter.apply(1, {})).toThrow(AnywireError);
  });
});
