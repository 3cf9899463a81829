import { AnywireError } from '../core/errors.js';
import { jsonEqual } from './equal.js';
import { parsePointer } from './pointer.js';

type Container = Record<string | number, unknown>;

/** The members of an operation this engine reads; any other member is ignored (RFC 6902 §4). */
interface Operation {
  op?: unknown;
  path?: unknown;
  from?: unknown;
  value?: unknown;
}

/**
 * The state of one {@link applyJsonPatch} call. It is also the container that holds the document
 * under the key `root`, so the whole document (pointer `""`) is a member like any other and no
 * operation needs a special case for it.
 */
export interface Work {
  /** The document as patched so far. */
  root: unknown;
  /**
   * The containers this call (or this batch, see batch.ts) copied (see {@link made}). Nobody has
   * seen them yet, so they are written in place: a container is copied at most once per patch
   * (per batch) however many operations touch it. A `copy` starts a new list, and forgetting a
   * container is always safe: it is only copied again.
   */
  own: object[];
  /** The parent found by the last {@link locate}. */
  node: Container;
}

/**
 * Every container this module copied. It is here to keep V8 fast: only these reach the spread in
 * {@link locate}, so that site sees the few shapes of the app's own state and V8 12+ clones them
 * whole (a 200-key object in under a microsecond) instead of key by key. One shape V8 cannot
 * clone that way (a big object straight from `JSON.parse` is one) would slow that site down for
 * good, so foreign containers are copied by {@link adopt} instead.
 */
const made = /* @__PURE__ */ new WeakSet<object>();

/** Copies a container this module did not make, at a spread site of its own (see {@link made}). */
const adopt = (v: object): object => ({ ...v });

type Name = 'path' | 'from';

/**
 * Parsed pointers by their text. A stream of patches names the same few paths again and again;
 * reusing their tokens skips the split and lets V8 look the same token strings up each time.
 * The tokens are only read, never changed. Cleared when full, so distinct paths cannot pile up.
 */
const pointers = /* @__PURE__ */ new Map<unknown, string[]>();

const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

/** A failure inside one operation; {@link applyJsonPatch} adds the operation's index and name. */
const fail = (why: string): never => {
  throw new Error(why);
};

/**
 * Writes an own data property: assigning `__proto__` would replace the prototype instead.
 * Internal (index.ts does not re-export it); merge-patch.ts shares it.
 */
export function put(node: Container, key: string | number, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
  } else node[key] = value;
}

/**
 * Resolves `token` in `node` to the key of an existing member or, when `adding`, of a place a
 * member may be added; -1 when there is none. Objects answer own members only, so `__proto__`,
 * `constructor` and `prototype` can never reach a prototype.
 */
function member(node: unknown, token: string, adding: boolean): string | number {
  if (Array.isArray(node)) {
    // [RFC 6902 §4.1] '-' is the index past the end: in range only where a value is added.
    const i = token === '-' ? node.length : +token;
    // Canonical indices only: the round trip rejects '01', '1.0', '1e1', ' 1' and ''.
    return (token === '-' || `${i}` === token) && i >= 0 && i < node.length + +adding ? i : -1;
  }
  return isContainer(node) && (adding || Object.hasOwn(node, token)) ? token : -1;
}

/**
 * Finds the location the pointer `op[name]` names: leaves its parent in `w.node` and returns its
 * key there. With `write`, the parent and every container above it are first made this patch's
 * own (copied once per patch), so the caller may change the parent in place.
 */
function locate(w: Work, op: Operation, name: Name, write: boolean, adding: boolean): string | number {
  const pointer = op[name];
  // A missing member fails here too: undefined is not a JSON Pointer. ('' parses to [], truthy.)
  let t = pointers.get(pointer);
  if (t === undefined) {
    t = (typeof pointer === 'string' && parsePointer(pointer)) || fail(`${name} ${pointer} is not a JSON Pointer`);
    if (pointers.size > 999) pointers.clear();
    pointers.set(pointer, t);
  }
  let node = w as unknown as Container;
  let key: string | number = 'root';
  for (let i = 0; i < t.length; i++) {
    let child = node[key];
    if (write && isContainer(child) && !w.own.includes(child)) {
      // Spread copies own enumerable members as data, so an own '__proto__' stays a member.
      child = Array.isArray(child) ? child.slice() : made.has(child) ? { ...child } : adopt(child);
      made.add(child as Container);
      w.own.push(child as Container);
      put(node, key, child);
    }
    node = child as Container;
    key = member(node, t[i] as string, adding && i === t.length - 1);
    if (key === -1) fail(`${name} ${pointer} does not exist`);
  }
  w.node = node;
  return key;
}

/** [RFC 6902 §4.1] Adds `value` at `op.path`: inserts into an array, sets an object member. */
function add(w: Work, op: Operation, value: unknown): void {
  const key = locate(w, op, 'path', true, true);
  if (Array.isArray(w.node)) w.node.splice(key as number, 0, value);
  else put(w.node, key, value);
}

/** [RFC 6902 §4.2] Removes the value at `op[name]`; removing the whole document leaves `null`. */
function remove(w: Work, op: Operation, name: Name): void {
  const key = locate(w, op, name, true, false);
  if (Array.isArray(w.node)) w.node.splice(key as number, 1);
  else if (w.node === (w as unknown)) w.root = null;
  else delete w.node[key];
}

/** The value at `op[name]`, which must exist. */
function get(w: Work, op: Operation, name: Name): unknown {
  const key = locate(w, op, name, false, false);
  return w.node[key];
}

/** The operation's `value`; null is a value, undefined is not JSON. */
function need(op: Operation): unknown {
  return op.value === undefined ? fail('missing value') : op.value;
}

/** Applies one operation to `w`. */
function step(w: Work, op: Operation): void {
  const name = op.op;
  if (name === 'add') add(w, op, need(op));
  else if (name === 'remove') remove(w, op, 'path');
  else if (name === 'replace') {
    const key = locate(w, op, 'path', true, false);
    put(w.node, key, need(op));
  } else if (name === 'test') {
    if (!jsonEqual(get(w, op, 'path'), need(op))) fail('test failed');
  } else if (name === 'move' || name === 'copy') {
    const value = get(w, op, 'from');
    if (name === 'copy') {
      // The value will sit in two places (or inside itself): forget what this call copied, so
      // that this and later writes copy again instead of writing through to both.
      w.own = [];
    } else if (op.from === op.path) {
      return;
    } else {
      // [RFC 6902 §4.4] a location cannot be moved into one of its own children.
      if (`${op.path}`.startsWith(`${op.from}/`)) fail('cannot move into itself');
      remove(w, op, 'from');
    }
    add(w, op, value);
  } else fail('unknown op');
}

/**
 * Applies an RFC 6902 JSON Patch to `doc` and returns the new document. Neither `doc` nor `patch`
 * is ever changed: the result shares every untouched subtree with `doc` and copies only the
 * containers on the way to a change, each at most once per patch. A patch that changes nothing
 * (`[]`, only `test`s) returns `doc` itself. Removing the whole document (`remove` at `""`) gives
 * `null`.
 *
 * The patch is atomic: if any operation fails, it throws and `doc` is as it was. Object members
 * are read and written as own properties only, so no path can reach a prototype, and a member
 * named `__proto__` is an ordinary member.
 *
 * @param doc - The current document, treated as immutable.
 * @param patch - The operations, usually straight from `JSON.parse`; validated in full.
 * @returns The patched document: `doc` when nothing changed, a new root otherwise.
 * @throws {@link AnywireError} with code `'delta'` when `patch` is not a JSON Patch or an
 * operation fails (a missing location, a bad index, a failed `test`); the message names the
 * operation's index and the reason.
 *
 * @example
 * const next = applyJsonPatch({ a: 1, b: { c: 2 } }, [{ op: 'replace', path: '/a', value: 3 }]);
 * // next is { a: 3, b: { c: 2 } }, and next.b is the very object it was before
 */
export function applyJsonPatch<T = unknown>(doc: T, patch: unknown): T {
  const w: Work = { root: doc, own: [], node: {} };
  writeJsonPatch(w, patch);
  return w.root as T;
}

/**
 * Applies `patch` to `w.root`, writing in place into the containers in `w.own`. Not atomic: a
 * failure may leave those containers half written (applyJsonPatch drops them; a batch rebuilds).
 */
export function writeJsonPatch(w: Work, patch: unknown): void {
  if (!Array.isArray(patch)) throw new AnywireError('delta', 'delta: patch is not an array');
  for (let i = 0; i < patch.length; i++) {
    const op: unknown = patch[i];
    try {
      if (!isContainer(op)) fail('not an object');
      step(w, op as Operation);
    } catch (e) {
      // String(), not the template alone: an op name that is a symbol must not throw here.
      throw new AnywireError('delta', `delta: op ${i} (${String((op as Operation | null)?.op)}): ${(e as Error).message}`);
    }
  }
}
