import { afterEach, describe, expect, it } from 'vitest';
import { applyMergePatch } from '../../src/delta/index.js';

/** Freezes `value` and everything in it, so any write into it throws (test modules are strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
    Object.freeze(value);
  }
  return value;
}

const doc = () => ({ a: { b: 1, c: [1, 2] }, d: { e: 'x' }, n: null as null | number });

describe('applyMergePatch shares structure', () => {
  it('copies only the path to a change and keeps untouched siblings', () => {
    const d = deepFreeze(doc());
    const next = applyMergePatch(d, { a: { b: 2 } });
    expect(next).toStrictEqual({ a: { b: 2, c: [1, 2] }, d: { e: 'x' }, n: null });
    expect(next.a.c).toBe(d.a.c);
    expect(next.d).toBe(d.d);
  });

  it.each([
    ['an empty patch', {}],
    ['equal values', { a: { b: 1 }, d: { e: 'x' } }],
    ['an equal array', { a: { c: [1, 2] } }],
    ['null for absent members', { x: null, a: { y: null } }],
  ])('returns the same root for %s', (_name, patch) => {
    const d = doc();
    expect(applyMergePatch(d, patch)).toBe(d);
  });

  it('returns the document itself for an equal non-object patch', () => {
    const d = [1, { a: 2 }];
    expect(applyMergePatch(d, [1, { a: 2 }])).toBe(d);
  });

  it('keeps a null member in the document (only the patch uses null to remove)', () => {
    expect(applyMergePatch(doc(), { d: null }).n).toBeNull();
  });

  it('never changes the document or the patch', () => {
    const d = deepFreeze(doc());
    const patch = deepFreeze({ a: { c: [3], z: { y: { x: null } } }, n: 1, d: null });
    expect(applyMergePatch(d, patch)).toStrictEqual({ a: { b: 1, c: [3], z: { y: {} } }, n: 1 });
    expect(d).toStrictEqual(doc());
    expect(patch).toStrictEqual({ a: { c: [3], z: { y: { x: null } } }, n: 1, d: null });
  });

  it('starts from {} when an object patch meets a non-object', () => {
    expect(applyMergePatch('text', { a: { b: null } })).toStrictEqual({ a: {} });
    expect(applyMergePatch(null, {})).toStrictEqual({});
  });
});

describe('applyMergePatch cannot reach a prototype', () => {
  const clean = Object.getOwnPropertyNames(Object.prototype).sort();
  afterEach(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toStrictEqual(clean);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('adds a __proto__ key from JSON.parse as an own member', () => {
    const next = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":1}}')) as object;
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
    expect(JSON.stringify(next)).toBe('{"__proto__":{"polluted":1}}');
  });

  it('merges into an own __proto__ member', () => {
    const d = JSON.parse('{"__proto__":{"a":1}}');
    const next = applyMergePatch(d, JSON.parse('{"__proto__":{"polluted":1,"a":null}}')) as object;
    expect(JSON.stringify(next)).toBe('{"__proto__":{"polluted":1}}');
    expect(JSON.stringify(d)).toBe('{"__proto__":{"a":1}}');
  });

  it('adds constructor and prototype keys as own members', () => {
    const next = applyMergePatch({}, JSON.parse('{"constructor":{"prototype":{"polluted":1}}}')) as object;
    expect(Object.hasOwn(next, 'constructor')).toBe(true);
  });

  it('treats null for an inherited name as absent', () => {
    const d = {};
    expect(applyMergePatch(d, JSON.parse('{"__proto__":null,"toString":null}'))).toBe(d);
  });
});
