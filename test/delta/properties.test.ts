import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAnywireError } from '../../src/core/errors.js';
import { applyJsonPatch, applyMergePatch, jsonEqual } from '../../src/delta/index.js';

/** Freezes `value` and everything in it, so any write into it throws (test modules are strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
    Object.freeze(value);
  }
  return value;
}

// Deliberately naive reference implementations: they mutate a deep copy, trust their input (the
// generators below only make valid patches), and share no code with src/delta.

type Json = unknown;
type Bag = Record<string, Json>;

/**
 * A deep copy that shares nothing. Not structuredClone: it keeps two references to one object as
 * two references to one copy, and a snapshot may legitimately share a subtree in two places.
 */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const escapeToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

const tokensOf = (pointer: string): string[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));

const define = (obj: Bag, key: string, value: Json): void => {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
};

/** The value at `pointer` in `doc`. */
function refGet(doc: Json, pointer: string): Json {
  let node = doc;
  for (const t of tokensOf(pointer)) node = (node as Bag)[t];
  return node;
}

/** A JSON Patch op with the members the reference reads. */
interface RefOp {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function refAdd(doc: Json, pointer: string, value: Json): Json {
  const t = tokensOf(pointer);
  if (t.length === 0) return value;
  const last = t.pop() as string;
  const parent = refGet(doc, t.map((x) => `/${escapeToken(x)}`).join(''));
  if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, value);
  else define(parent as Bag, last, value);
  return doc;
}

function refRemove(doc: Json, pointer: string): Json {
  const t = tokensOf(pointer);
  if (t.length === 0) return null;
  const last = t.pop() as string;
  const parent = refGet(doc, t.map((x) => `/${escapeToken(x)}`).join(''));
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Bag)[last];
  return doc;
}

/** Applies one op to `doc` in place (returning the new root, which may be a new value). */
function refApplyOp(doc: Json, op: RefOp): Json {
  switch (op.op) {
    case 'add':
      return refAdd(doc, op.path, clone(op.value));
    case 'remove':
      return refRemove(doc, op.path);
    case 'replace':
      return refAdd(refRemove(doc, op.path), op.path, clone(op.value));
    case 'move': {
      const value = refGet(doc, op.from as string);
      return refAdd(refRemove(doc, op.from as string), op.path, value);
    }
    case 'copy':
      return refAdd(doc, op.path, clone(refGet(doc, op.from as string)));
    default:
      return doc; // test: the generator only makes passing tests
  }
}

/** RFC 7396 §2 pseudocode, on a deep copy. */
function refMerge(target: Json, patch: Json): Json {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return clone(patch);
  const out: Bag = typeof target === 'object' && target !== null && !Array.isArray(target) ? clone(target as Bag) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else define(out, key, refMerge(Object.hasOwn(out, key) ? out[key] : undefined, value));
  }
  return out;
}

// Fixed seeds: a failure reproduces on every run; fast-check prints the counterexample.
// toEqual, not toStrictEqual: the generators make members named 'constructor', which
// toStrictEqual's class check would compare as if they were the objects' classes.
const settings = { numRuns: 200, seed: 6902 };

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Every location in `value`, the root first. */
function pointers(value: unknown, base = '', out: string[] = []): string[] {
  out.push(base);
  if (isContainer(value))
    for (const k of Object.keys(value)) pointers((value as Record<string, unknown>)[k], `${base}/${escapeToken(k)}`, out);
  return out;
}

/** Raw random choices; {@link makeOp} turns them into an op that is valid for the state. */
interface Choice {
  kind: number;
  a: number;
  b: number;
  key: string;
  value: unknown;
}

const key = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('__proto__', 'constructor', 'prototype', '~', '/', '~1', '', 'a/b~'));
// Through JSON text, as documents arrive: that also turns -0 into 0.
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const choice: fc.Arbitrary<Choice> = fc.record({
  kind: fc.nat(5),
  a: fc.nat(),
  b: fc.nat(),
  key,
  value: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
});

const pick = (list: string[], n: number): string => list[n % list.length] as string;

/** A location where a value may be added in `state`: a new or existing member, an index, '-', or the root. */
function addTarget(state: unknown, c: Choice): string {
  const parents = pointers(state).filter((p) => isContainer(refGet(state, p)));
  const i = c.a % (parents.length + 1);
  if (i === parents.length) return '';
  const parent = parents[i] as string;
  const node = refGet(state, parent);
  if (!Array.isArray(node)) return `${parent}/${escapeToken(c.key)}`;
  const index = c.b % (node.length + 2);
  return `${parent}/${index > node.length ? '-' : index}`;
}

/** A valid op for `state` made from `c`. */
function makeOp(state: unknown, c: Choice): RefOp {
  const all = pointers(state);
  const inner = all.slice(1);
  const test = (path: string): RefOp => ({ op: 'test', path, value: clone(refGet(state, path)) });
  switch (c.kind) {
    case 0:
      return { op: 'add', path: addTarget(state, c), value: c.value };
    case 1:
      return inner.length ? { op: 'remove', path: pick(inner, c.a) } : test('');
    case 2:
      return { op: 'replace', path: pick(all, c.a), value: c.value };
    case 3:
      return test(pick(all, c.b));
    case 4: {
      if (!inner.length) return test('');
      const from = pick(inner, c.b);
      // The target is resolved after the removal (RFC 6902 §4.4), and must not lie inside `from`.
      const path = addTarget(refApplyOp(clone(state), { op: 'remove', path: from }), c);
      return { op: 'move', from, path: path.startsWith(`${from}/`) ? from : path };
    }
    default:
      // Copies can double the document; past a few hundred locations, test instead.
      if (all.length > 300) return test('');
      return { op: 'copy', from: pick(all, c.b), path: addTarget(state, c) };
  }
}

/** Valid ops for `doc` and the state the reference reaches by applying them one by one to a copy. */
function compile(doc: unknown, choices: Choice[]): { ops: RefOp[]; expected: unknown } {
  let expected = clone(doc);
  const ops: RefOp[] = [];
  for (const c of choices) {
    const op = makeOp(expected, c);
    ops.push(op);
    expected = refApplyOp(expected, op);
  }
  return { ops: clone(ops), expected };
}

describe('applyJsonPatch properties', () => {
  it('matches the reference, op by op on a copy, and never changes a snapshot', () => {
    fc.assert(
      fc.property(json, fc.array(fc.array(choice, { maxLength: 6 }), { maxLength: 4 }), (doc, patches) => {
        const snapshots = [deepFreeze(doc)];
        const clones = [clone(doc)];
        for (const choices of patches) {
          const current = snapshots[snapshots.length - 1];
          const { ops, expected } = compile(current, choices);
          const patch = deepFreeze(ops);
          const next = applyJsonPatch(current, patch);
          expect(next).toEqual(expected);
          if (ops.every((op) => op.op === 'test')) expect(next).toBe(current);
          snapshots.push(deepFreeze(next));
          clones.push(clone(next));
        }
        for (const [i, s] of snapshots.entries()) expect(s).toEqual(clones[i]);
      }),
      settings,
    );
  });

  it('is atomic: an invalid op anywhere throws and leaves the document as it was', () => {
    const invalid: unknown[] = [
      { op: 'nope', path: '' },
      { op: 'remove', path: '/\u0001missing' },
      { op: 'add', path: '/\u0001missing/x', value: 1 },
      { op: 'test', path: '', value: { '\u0001': [] } },
      { op: 'replace', path: 'no-slash', value: 1 },
      { op: 'move', from: '', path: '/x' },
    ];
    fc.assert(
      fc.property(json, fc.array(choice, { maxLength: 6 }), fc.nat(), fc.nat(), (doc, choices, at, which) => {
        deepFreeze(doc);
        const before = clone(doc);
        const ops: unknown[] = compile(doc, choices).ops;
        const index = at % (ops.length + 1);
        ops.splice(index, 0, invalid[which % invalid.length]);
        let error: unknown;
        try {
          applyJsonPatch(doc, deepFreeze(ops));
        } catch (e) {
          error = e;
        }
        expect(isAnywireError(error) && error.code).toBe('delta');
        expect((error as Error).message).toContain(`op ${index} `);
        expect(doc).toEqual(before);
      }),
      settings,
    );
  });
});

describe('applyMergePatch properties', () => {
  const mergeValue = fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
  const objectPatch = fc.dictionary(key, fc.oneof(mergeValue, fc.dictionary(key, mergeValue, { maxKeys: 3, noNullPrototype: true })), {
    maxKeys: 4,
    noNullPrototype: true,
  });

  it('matches the RFC 7396 pseudocode, changes neither input, and keeps the root when nothing changed', () => {
    fc.assert(
      fc.property(json, fc.oneof(objectPatch, json), (doc, patch) => {
        deepFreeze(doc);
        deepFreeze(patch);
        const docClone = clone(doc);
        const patchClone = clone(patch);
        const next = applyMergePatch(doc, patch);
        expect(next).toEqual(refMerge(doc, patch));
        expect(doc).toEqual(docClone);
        expect(patch).toEqual(patchClone);
        if (jsonEqual(next, doc)) expect(next).toBe(doc);
      }),
      { ...settings, seed: 7396 },
    );
  });

  it('keeps the identity of members the patch does not name', () => {
    fc.assert(
      fc.property(fc.dictionary(key, json, { maxKeys: 6, noNullPrototype: true }), objectPatch, (doc, patch) => {
        const next = applyMergePatch(doc, patch) as Record<string, unknown>;
        for (const k of Object.keys(doc)) if (!Object.hasOwn(patch, k)) expect(next[k]).toBe(doc[k]);
      }),
      { ...settings, seed: 7397 },
    );
  });
});
