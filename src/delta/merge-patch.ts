import { jsonEqual } from './equal.js';
import { put } from './json-patch.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Applies an RFC 7396 JSON Merge Patch to `doc` and returns the new document, without changing
 * `doc` or `patch`. A `null` member removes that member; arrays and every other non-object value
 * replace the target whole; a patch that is not an object replaces the whole document; an
 * object patch applied to a non-object starts from `{}`.
 *
 * Untouched subtrees keep their identity, and a patch that changes nothing (including one that
 * sets a value JSON-equal to the current one) returns `doc` itself. Members are read and written
 * as own properties, so a `__proto__` key (which `JSON.parse` creates as an own member) is an
 * ordinary member and never reaches a prototype.
 *
 * @param doc - The current document, treated as immutable.
 * @param patch - The merge patch, usually straight from `JSON.parse`.
 * @returns The patched document: `doc` when nothing changed, a new root otherwise.
 *
 * @example
 * applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { a: null, b: { c: 4 } });
 * // { b: { c: 4, d: 3 } }
 */
export function applyMergePatch<T = unknown>(doc: T, patch: unknown): T {
  return merge(doc, patch, []) as T;
}

/**
 * {@link applyMergePatch}, writing in place into the objects in `own` (objects this call or batch
 * made, which nobody has seen yet) and adding the objects it makes to it.
 */
export function merge(doc: unknown, patch: unknown, own: object[]): unknown {
  // [RFC 7396 §2] a non-object patch is the new value; keep `doc` when it is the same JSON.
  if (!isObject(patch)) return jsonEqual(doc, patch) ? doc : patch;
  // A non-object target starts from a fresh {}, ours to write; `doc` is copied on its first
  // change only (unless it is ours already), so a patch without effect returns `doc` itself.
  let out: Record<string, unknown> | undefined = isObject(doc) ? (own.includes(doc) ? doc : undefined) : {};
  const target = out ?? (doc as Record<string, unknown>);
  for (const key of Object.keys(patch)) {
    const has = Object.hasOwn(target, key);
    const before = has ? target[key] : undefined;
    const value = patch[key];
    // undefined: [RFC 7396 §2] null removes the member.
    const after = value === null ? undefined : merge(before, value, own);
    if (has ? after === before : after === undefined) continue;
    out ??= { ...target };
    if (after === undefined) delete out[key];
    // put, not assignment: assigning '__proto__' would replace the prototype.
    else put(out, key, after);
  }
  if (out !== undefined && out !== doc) own.push(out);
  return out ?? target;
}
