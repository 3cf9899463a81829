import { afterEach, describe, expect, it } from 'vitest';
import { isAnywireError } from '../../src/core/errors.js';
import { applyJsonPatch } from '../../src/delta/index.js';

/** Every object and array inside `value`, depth first: to check that none was replaced in place. */
function containers(value: unknown, out: object[] = []): object[] {
  if (typeof value === 'object' && value !== null) {
    out.push(value);
    for (const k of Object.keys(value)) containers((value as Record<string, unknown>)[k], out);
  }
  return out;
}

/** Freezes `value` and everything in it, so any write into it throws (test modules are strict). */
function deepFreeze<T>(value: T): T {
  for (const c of containers(value)) Object.freeze(c);
  return value;
}

/**
 * Runs `apply(doc, patch)`, expects an AnywireError with code 'delta' whose message contains
 * `message`, and checks that neither `doc` nor `patch` changed: deep-equal to clones taken before,
 * and every container in them is still the very same object.
 */
function expectDeltaError<D, P>(apply: (doc: D, patch: P) => unknown, doc: D, patch: P, message: string): void {
  const docClone = structuredClone(doc);
  const patchClone = structuredClone(patch);
  const docParts = containers(doc);
  let error: unknown;
  try {
    apply(doc, patch);
  } catch (e) {
    error = e;
  }
  expect(isAnywireError(error)).toBe(true);
  expect((error as { code?: unknown }).code).toBe('delta');
  expect((error as Error).message).toContain(message);
  expect(doc).toStrictEqual(docClone);
  expect(patch).toStrictEqual(patchClone);
  const after = containers(doc);
  expect(after.length).toBe(docParts.length);
  for (const [i, c] of after.entries()) expect(c).toBe(docParts[i]);
}

const doc = () => ({ a: { b: 1, c: [1, 2, 3] }, d: { e: 'x' }, f: [{ g: 1 }, { h: 2 }] });

describe('applyJsonPatch failures are atomic and say which op failed', () => {
  const cases: [name: string, patch: unknown, message: string][] = [
    ['a test that does not match', [{ op: 'test', path: '/a/b', value: 2 }], 'op 0 (test): test failed'],
    ['remove of a missing member', [{ op: 'remove', path: '/a/x' }], 'op 0 (remove): path /a/x does not exist'],
    ['replace of a missing member', [{ op: 'replace', path: '/x', value: 1 }], 'op 0 (replace): path /x does not exist'],
    ['move from a missing member', [{ op: 'move', from: '/x', path: '/y' }], 'op 0 (move): from /x does not exist'],
    ['copy from a missing member', [{ op: 'copy', from: '/a/c/3', path: '/y' }], 'op 0 (copy): from /a/c/3 does not exist'],
    ['test of a missing member', [{ op: 'test', path: '/nope', value: null }], 'path /nope does not exist'],
    ['add under a missing parent', [{ op: 'add', path: '/x/y', value: 1 }], 'path /x/y does not exist'],
    ['add under a primitive', [{ op: 'add', path: '/a/b/z', value: 1 }], 'path /a/b/z does not exist'],
    ['an index past the end on remove', [{ op: 'remove', path: '/a/c/3' }], 'does not exist'],
    ['an index past the end on replace', [{ op: 'replace', path: '/a/c/3', value: 0 }], 'does not exist'],
    ['an index past length on add', [{ op: 'add', path: '/a/c/4', value: 0 }], 'does not exist'],
    ['an index with a leading zero', [{ op: 'replace', path: '/a/c/01', value: 0 }], 'does not exist'],
    ['a negative index', [{ op: 'add', path: '/a/c/-1', value: 0 }], 'does not exist'],
    ['a non-digit index', [{ op: 'remove', path: '/a/c/x' }], 'does not exist'],
    ['a fractional index', [{ op: 'remove', path: '/a/c/1.0' }], 'does not exist'],
    ['an exponent index', [{ op: 'remove', path: '/a/c/1e0' }], 'does not exist'],
    ['a padded index', [{ op: 'remove', path: '/a/c/ 1' }], 'does not exist'],
    ['a plus-signed index', [{ op: 'remove', path: '/a/c/+1' }], 'does not exist'],
    ['an empty index', [{ op: 'remove', path: '/a/c/' }], 'does not exist'],
    ['"-" on remove', [{ op: 'remove', path: '/a/c/-' }], 'does not exist'],
    ['"-" on replace', [{ op: 'replace', path: '/a/c/-', value: 0 }], 'does not exist'],
    ['"-" on test', [{ op: 'test', path: '/a/c/-', value: 3 }], 'does not exist'],
    ['"-" as move from', [{ op: 'move', from: '/a/c/-', path: '/z' }], 'from /a/c/- does not exist'],
    ['"-" as copy from', [{ op: 'copy', from: '/a/c/-', path: '/z' }], 'from /a/c/- does not exist'],
    ['"-" before the last token', [{ op: 'add', path: '/f/-/g', value: 0 }], 'does not exist'],
    ['an unknown op', [{ op: 'merge', path: '/a', value: {} }], 'op 0 (merge): unknown op'],
    ['a missing op', [{ path: '/a', value: {} }], 'op 0 (undefined): unknown op'],
    ['a missing path', [{ op: 'add', value: 1 }], 'op 0 (add): path undefined is not a JSON Pointer'],
    ['a path that is not a string', [{ op: 'remove', path: 1 }], 'path 1 is not a JSON Pointer'],
    ['a path without a leading slash', [{ op: 'remove', path: 'a' }], 'path a is not a JSON Pointer'],
    ['a path with a bad escape', [{ op: 'remove', path: '/a~2' }], 'is not a JSON Pointer'],
    ['a path with a trailing ~', [{ op: 'remove', path: '/a~' }], 'is not a JSON Pointer'],
    ['a missing value on add', [{ op: 'add', path: '/z' }], 'op 0 (add): missing value'],
    ['a missing value on replace', [{ op: 'replace', path: '/a' }], 'missing value'],
    ['a missing value on test', [{ op: 'test', path: '/a' }], 'missing value'],
    ['a missing from on move', [{ op: 'move', path: '/z' }], 'op 0 (move): from undefined is not a JSON Pointer'],
    ['a missing from on copy', [{ op: 'copy', path: '/z' }], 'from undefined is not a JSON Pointer'],
    ['a move into its own child', [{ op: 'move', from: '/a', path: '/a/z' }], 'op 0 (move): cannot move into itself'],
    ['a move of the root into a child', [{ op: 'move', from: '', path: '/z' }], 'cannot move into itself'],
    ['an operation that is null', [null], 'op 0 (undefined): not an object'],
    ['an operation that is a string', ['add'], 'not an object'],
    ['a patch that is an object', { op: 'add', path: '/z', value: 1 }, 'delta: patch is not an array'],
    ['a patch that is null', null, 'patch is not an array'],
    ['a patch that is JSON text', '[]', 'patch is not an array'],
  ];

  it.each(cases)('rejects %s', (_name, patch, message) => {
    expectDeltaError(applyJsonPatch, doc(), patch, message);
  });

  it('names the failing op by index and leaves the document untouched by the ops before it', () => {
    const patch = [
      { op: 'replace', path: '/a/b', value: 9 },
      { op: 'add', path: '/a/c/0', value: 0 },
      { op: 'remove', path: '/a/x' },
    ];
    expectDeltaError(applyJsonPatch, doc(), patch, '[anywire] delta: op 2 (remove): path /a/x does not exist');
  });

  it('never writes into the document, so a frozen one patches fine', () => {
    const frozen = deepFreeze(doc());
    expect(applyJsonPatch(frozen, [{ op: 'add', path: '/a/c/-', value: 4 }])).toStrictEqual({ ...doc(), a: { b: 1, c: [1, 2, 3, 4] } });
  });
});

describe('applyJsonPatch shares structure', () => {
  it('returns the same root for an empty patch', () => {
    const d = doc();
    expect(applyJsonPatch(d, [])).toBe(d);
  });

  it('returns the same root for a patch of tests only', () => {
    const d = doc();
    const patch = [
      { op: 'test', path: '/a', value: { c: [1, 2, 3], b: 1 } },
      { op: 'test', path: '', value: doc() },
    ];
    expect(applyJsonPatch(d, patch)).toBe(d);
  });

  it('returns the same root for a move onto itself', () => {
    const d = doc();
    expect(applyJsonPatch(d, [{ op: 'move', from: '/a/b', path: '/a/b' }])).toBe(d);
  });

  it('copies only the path to a change and keeps untouched siblings', () => {
    const d = doc();
    const next = applyJsonPatch(d, [{ op: 'replace', path: '/a/b', value: 2 }]);
    expect(next).not.toBe(d);
    expect(next.a).not.toBe(d.a);
    expect(next.a.c).toBe(d.a.c);
    expect(next.d).toBe(d.d);
    expect(next.f).toBe(d.f);
    expect(d.a.b).toBe(1);
  });

  it('keeps untouched array elements', () => {
    const d = doc();
    const next = applyJsonPatch(d, [{ op: 'replace', path: '/f/1/h', value: 3 }]);
    expect(next.f).not.toBe(d.f);
    expect(next.f[0]).toBe(d.f[0]);
    expect(next.f[1]).toStrictEqual({ h: 3 });
    expect(d.f[1]).toStrictEqual({ h: 2 });
  });

  it('always writes a new value on replace, even an equal one', () => {
    const d = doc();
    const next = applyJsonPatch(d, [{ op: 'replace', path: '/d', value: { e: 'x' } }]);
    expect(next).not.toBe(d);
    expect(next).toStrictEqual(d);
  });

  it('copies a container at most once per patch however many ops touch it', () => {
    const big: Record<string, number> = {};
    for (let i = 0; i < 200; i++) big[`m${i}`] = i;
    let copies = 0;
    // Spreading a proxy asks for its keys once per copy.
    const watched = new Proxy(big, {
      ownKeys(target) {
        copies++;
        return Reflect.ownKeys(target);
      },
    });
    const patch = [1, 2, 3, 4].map((i) => ({ op: 'replace', path: `/m${i}`, value: -i }));
    const next = applyJsonPatch(
      { metrics: watched },
      patch.map((op) => ({ ...op, path: `/metrics${op.path}` })),
    );
    expect(copies).toBe(1);
    expect(next.metrics.m1).toBe(-1);
    expect(next.metrics.m4).toBe(-4);
    expect(big.m1).toBe(1);
  });

  it('does not write through a copied value that a later op changes', () => {
    const d = doc();
    const next = applyJsonPatch(d, [
      { op: 'replace', path: '/a/b', value: 5 },
      { op: 'copy', from: '/a', path: '/copy' },
      { op: 'replace', path: '/a/b', value: 6 },
      { op: 'add', path: '/copy/c/-', value: 4 },
    ]) as ReturnType<typeof doc> & { copy: { b: number; c: number[] } };
    expect(next.a).toStrictEqual({ b: 6, c: [1, 2, 3] });
    expect(next.copy).toStrictEqual({ b: 5, c: [1, 2, 3, 4] });
    expect(d).toStrictEqual(doc());
  });

  it('never changes a snapshot handed out earlier', () => {
    const s0 = deepFreeze(doc());
    const s1 = deepFreeze(applyJsonPatch(s0, [{ op: 'add', path: '/a/c/1', value: 9 }]));
    const s2 = applyJsonPatch(s1, [
      { op: 'move', from: '/a/c/0', path: '/d/moved' },
      { op: 'remove', path: '/f/0' },
    ]);
    expect(s0).toStrictEqual(doc());
    expect(s1.a.c).toStrictEqual([1, 9, 2, 3]);
    expect(s2).toStrictEqual({ a: { b: 1, c: [9, 2, 3] }, d: { e: 'x', moved: 1 }, f: [{ h: 2 }] });
  });

  it('does not share containers it made with the patch', () => {
    const patch = deepFreeze([
      { op: 'add', path: '/n', value: { x: [1] } },
      { op: 'add', path: '/n/x/-', value: 2 },
    ]);
    expect(applyJsonPatch(doc(), patch)).toMatchObject({ n: { x: [1, 2] } });
    expect(patch[0]?.value).toStrictEqual({ x: [1] });
  });
});

describe('applyJsonPatch at the root', () => {
  it.each([
    ['add', [{ op: 'add', path: '', value: [1] }], [1]],
    ['replace', [{ op: 'replace', path: '', value: 'whole' }], 'whole'],
    ['remove (leaves null)', [{ op: 'remove', path: '' }], null],
    ['move a member to the root', [{ op: 'move', from: '/d', path: '' }], { e: 'x' }],
    ['copy the root into a member', [{ op: 'copy', from: '', path: '/d/self' }], { ...doc(), d: { e: 'x', self: doc() } }],
  ])('supports %s', (_name, patch, expected) => {
    const d = doc();
    expect(applyJsonPatch(d, patch)).toStrictEqual(expected);
    expect(d).toStrictEqual(doc());
  });

  it('patches a primitive document', () => {
    expect(applyJsonPatch(1, [{ op: 'test', path: '', value: 1 }])).toBe(1);
    expect(
      applyJsonPatch(1, [
        { op: 'replace', path: '', value: { a: 1 } },
        { op: 'add', path: '/b', value: 2 },
      ]),
    ).toStrictEqual({ a: 1, b: 2 });
    expectDeltaError(applyJsonPatch, 1, [{ op: 'add', path: '/b', value: 2 }], 'path /b does not exist');
  });

  it('adds and removes with escaped and empty keys', () => {
    const next = applyJsonPatch({ '': 0 }, [
      { op: 'add', path: '/a~1b', value: 1 },
      { op: 'add', path: '/~0', value: 2 },
      { op: 'replace', path: '/', value: 3 },
    ]);
    expect(next).toStrictEqual({ '': 3, 'a/b': 1, '~': 2 });
  });

  it('inserts at an index, at the length and at "-"', () => {
    expect(
      applyJsonPatch(
        [1, 2],
        [
          { op: 'add', path: '/0', value: 0 },
          { op: 'add', path: '/3', value: 3 },
          { op: 'add', path: '/-', value: 4 },
        ],
      ),
    ).toStrictEqual([0, 1, 2, 3, 4]);
  });

  it('replaces an existing object member on add', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/a', value: 2 }])).toStrictEqual({ a: 2 });
  });

  it('resolves a pointer it has seen before exactly as the first time (parsed pointers are cached)', () => {
    // The same escaped pointers, over and over, in different documents and as both path and from.
    let doc: unknown = { 'a/b': { '~': [0] }, c: {} };
    for (let i = 1; i <= 3; i++) {
      doc = applyJsonPatch(doc, [
        { op: 'add', path: '/a~1b/~0/-', value: i },
        { op: 'copy', from: '/a~1b/~0', path: '/c/~0' },
        { op: 'test', path: '/c/~0/0', value: 0 },
      ]);
    }
    expect(doc).toStrictEqual({ 'a/b': { '~': [0, 1, 2, 3] }, c: { '~': [0, 1, 2, 3] } });
    // A pointer that failed is not cached as valid, and a valid one is not poisoned by it.
    for (let i = 0; i < 2; i++) {
      expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/a~2b' }])).toThrow(/is not a JSON Pointer/);
      expect(applyJsonPatch(doc, [{ op: 'remove', path: '/a~1b' }])).toStrictEqual({ c: { '~': [0, 1, 2, 3] } });
    }
  });
});

describe('applyJsonPatch cannot reach a prototype', () => {
  const clean = Object.getOwnPropertyNames(Object.prototype).sort();
  afterEach(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toStrictEqual(clean);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['add through __proto__', { op: 'add', path: '/__proto__/polluted', value: 1 }],
    ['replace through __proto__', { op: 'replace', path: '/__proto__/polluted', value: 1 }],
    ['add through constructor/prototype', { op: 'add', path: '/constructor/prototype/polluted', value: 1 }],
    ['add through an array __proto__', { op: 'add', path: '/f/__proto__/polluted', value: 1 }],
    ['test of an inherited member', { op: 'test', path: '/toString', value: {} }],
    ['copy from __proto__', { op: 'copy', from: '/__proto__', path: '/p' }],
    ['remove of an inherited member', { op: 'remove', path: '/hasOwnProperty' }],
    ['an array length', { op: 'replace', path: '/f/length', value: 0 }],
  ])('rejects %s', (_name, op) => {
    expectDeltaError(applyJsonPatch, doc(), [op], 'does not exist');
  });

  it('adds a member named __proto__ as an own data member', () => {
    const next = applyJsonPatch({}, JSON.parse('[{"op":"add","path":"/__proto__","value":{"polluted":1}}]')) as object;
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
    expect(Object.hasOwn(next, '__proto__')).toBe(true);
    expect(JSON.stringify(next)).toBe('{"__proto__":{"polluted":1}}');
  });

  it('writes inside an own __proto__ member from JSON.parse', () => {
    const d = JSON.parse('{"__proto__":{"a":1}}');
    const next = applyJsonPatch(d, [
      { op: 'add', path: '/__proto__/polluted', value: 1 },
      { op: 'replace', path: '/__proto__/a', value: 2 },
    ]) as object;
    expect(JSON.stringify(next)).toBe('{"__proto__":{"a":2,"polluted":1}}');
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
    expect(JSON.stringify(d)).toBe('{"__proto__":{"a":1}}');
  });

  it('adds a member named constructor as an own member', () => {
    const next = applyJsonPatch({}, [{ op: 'add', path: '/constructor', value: { prototype: { polluted: 1 } } }]);
    expect(Object.hasOwn(next, 'constructor')).toBe(true);
  });
});

describe('applyJsonPatch copy', () => {
  it('copies the root into itself after an earlier op changed it, without a cycle', () => {
    const next = applyJsonPatch({ a: 1 }, [
      { op: 'replace', path: '/a', value: 2 },
      { op: 'copy', from: '', path: '/self' },
      { op: 'replace', path: '/a', value: 3 },
    ]);
    expect(next).toStrictEqual({ a: 3, self: { a: 2 } });
  });
});
