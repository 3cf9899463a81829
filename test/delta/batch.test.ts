import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAnywireError } from '../../src/core/errors.js';
import { applyJsonPatch, applyMergePatch, jsonPatch, mergePatch } from '../../src/delta/index.js';

/** Freezes `value` and everything in it, so any write into it throws (test modules are strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
    Object.freeze(value);
  }
  return value;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** What `fn` throws, or undefined. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const metrics = (): Record<string, unknown> => {
  const doc: Record<string, unknown> = {};
  for (let i = 0; i < 200; i++) doc[`m${i}`] = i % 10 === 0 ? { value: i, unit: 'ms' } : i;
  return doc;
};

describe('jsonPatch.batch', () => {
  it('applies 20 patches into one working copy: the root is copied once, the start state never written', () => {
    const start = deepFreeze(metrics());
    const batch = jsonPatch.batch(start);
    let expected: unknown = start;
    let root: unknown;
    for (let i = 0; i < 20; i++) {
      const patch = [
        { op: 'replace', path: `/m${i * 7}`, value: -i },
        { op: 'replace', path: '/m10/value', value: i },
      ];
      const state = batch.apply(patch);
      expected = applyJsonPatch(expected, patch);
      expect(state).toEqual(expected);
      root ??= state;
      expect(state).toBe(root); // written in place after the first copy
    }
    expect(root).not.toBe(start);
    expect((root as Record<string, unknown>).m20).toBe(start.m20); // untouched subtrees are shared
  });

  it('stays right past the containers it remembers owning: 600 patches on 300 rows', () => {
    const start = deepFreeze({ rows: Array.from({ length: 300 }, (_, i) => ({ n: i })) });
    const batch = jsonPatch.batch<unknown>(start);
    let expected: unknown = start;
    for (let i = 0; i < 600; i++) {
      const patch = [{ op: 'replace', path: `/rows/${(i * 7) % 300}/n`, value: -i }];
      batch.apply(patch);
      expected = applyJsonPatch(expected, patch);
    }
    expect(batch.seal()).toEqual(expected);
  });

  it('keeps a patch that changes nothing from copying: the start state comes back', () => {
    const start = deepFreeze({ a: 1 });
    const batch = jsonPatch.batch(start);
    expect(batch.apply([{ op: 'test', path: '/a', value: 1 }])).toBe(start);
    expect(batch.seal()).toBe(start);
  });

  it('never writes into a sealed state: the next patch copies again', () => {
    const batch = jsonPatch.batch<unknown>({ a: { b: 1 }, c: [1] });
    batch.apply([{ op: 'replace', path: '/a/b', value: 2 }]);
    const sealed = deepFreeze(batch.seal()); // any later write into it would throw
    const copy = clone(sealed);
    const next = batch.apply([
      { op: 'replace', path: '/a/b', value: 3 },
      { op: 'add', path: '/c/-', value: 2 },
    ]);
    expect(next).not.toBe(sealed);
    expect(sealed).toEqual(copy);
    expect(next).toEqual({ a: { b: 3 }, c: [1, 2] });
  });

  it.each([
    [
      'a failed test after a write',
      [
        { op: 'replace', path: '/a', value: 9 },
        { op: 'test', path: '/a', value: 0 },
      ],
    ],
    ['a move whose target does not exist', [{ op: 'move', from: '/a', path: '/nope/x' }]],
    ['a document that is not a patch', { op: 'replace', path: '/a', value: 9 }],
  ])('is atomic per patch: %s leaves the working copy as after the previous patch', (_, bad) => {
    const batch = jsonPatch.batch<unknown>(deepFreeze({ a: 1, b: { c: 1 } }));
    batch.apply([{ op: 'replace', path: '/b/c', value: 2 }]);
    const error = thrown(() => batch.apply(bad));
    expect(isAnywireError(error) && error.code).toBe('delta');
    expect(batch.seal()).toEqual({ a: 1, b: { c: 2 } });
    expect(batch.apply([{ op: 'add', path: '/d', value: 3 }])).toEqual({ a: 1, b: { c: 2 }, d: 3 });
  });

  // Differential: a batch, sealed at random points, against applyJsonPatch patch by patch (which
  // properties.test.ts checks against a reference). Random ops on a few paths fail often.
  const path = fc.constantFrom('', '/a', '/a/b', '/a/b/c', '/l', '/l/0', '/l/1', '/l/-', '/x', '/x/y');
  const value = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
  const op = fc.record({ op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'), path, from: path, value });
  const step = fc.record({ patch: fc.array(op, { minLength: 1, maxLength: 3 }), seal: fc.boolean() });

  it('matches applyJsonPatch patch by patch, failures included, and never changes a sealed state', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        let expected: unknown = deepFreeze({ a: { b: { c: 1 } }, l: [1, 2] });
        const batch = jsonPatch.batch(expected);
        const sealed: Array<[unknown, unknown]> = [];
        for (const { patch, seal } of steps) {
          const before = expected;
          const failure = thrown(() => (expected = applyJsonPatch(before, patch)));
          const error = thrown(() => expect(batch.apply(patch)).toEqual(expected));
          expect(isAnywireError(error) && error.code).toBe(isAnywireError(failure) && failure.code);
          if (seal || error) {
            const state = batch.seal();
            expect(state).toEqual(expected);
            sealed.push([deepFreeze(state), clone(state)]);
          }
        }
        expect(batch.seal()).toEqual(expected);
        for (const [state, copy] of sealed) expect(state).toEqual(copy);
      }),
      { numRuns: 300, seed: 6903 },
    );
  });
});

describe('mergePatch.batch', () => {
  it('writes later patches into the objects the batch made, and never into the start state', () => {
    const start = deepFreeze({ a: { x: 1 }, b: { y: 1 } });
    const batch = mergePatch.batch<unknown>(start);
    const first = batch.apply({ a: { x: 2 } });
    const second = batch.apply({ a: { z: 3 }, c: { d: 1 } });
    expect(second).toBe(first);
    expect(second).toEqual({ a: { x: 2, z: 3 }, b: { y: 1 }, c: { d: 1 } });
    expect((second as typeof start).b).toBe(start.b);
  });

  const key = fc.constantFrom('a', 'b', 'c');
  const leaf = fc.oneof(fc.constant(null), fc.integer(), fc.constant([1]));
  const patch = fc.oneof(fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 2 })), { maxKeys: 3 }), leaf);

  it('matches applyMergePatch patch by patch and never changes a sealed state', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ patch, seal: fc.boolean() }), { maxLength: 25 }), (steps) => {
        let expected: unknown = deepFreeze({ a: { b: 1 } });
        const batch = mergePatch.batch(expected);
        const sealed: Array<[unknown, unknown]> = [];
        for (const { patch, seal } of steps) {
          expected = applyMergePatch(expected, patch);
          expect(batch.apply(patch)).toEqual(expected);
          if (seal) {
            const state = batch.seal();
            sealed.push([deepFreeze(state), clone(state)]);
          }
        }
        expect(batch.seal()).toEqual(expected);
        for (const [state, copy] of sealed) expect(state).toEqual(copy);
      }),
      { numRuns: 300, seed: 7398 },
    );
  });
});
