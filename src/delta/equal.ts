/** A JSON object or array, indexed by key. */
type Json = Record<string, unknown>;

/**
 * Deep equality of two JSON values, as RFC 6902 `test` defines it: object member order does not
 * matter, array order does, and values of different types (`1` and `"1"`, `[]` and `{}`) are
 * never equal. Only own enumerable members count, so nothing inherited can make two values equal.
 *
 * @example
 * jsonEqual({ a: 1, b: [2] }, { b: [2], a: 1 }); // true
 * jsonEqual(1, '1'); // false
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Object(v) === v only for objects and arrays (JSON has no functions); other values are
  // primitives, which are equal only when ===.
  if (Object(a) !== a || Object(b) !== b || Array.isArray(a) !== Array.isArray(b)) return false;
  // Arrays too: their keys are their indices, so equal key counts mean equal lengths.
  const keys = Object.keys(a as object);
  return (
    keys.length === Object.keys(b as object).length &&
    keys.every((k) => Object.hasOwn(b as object, k) && jsonEqual((a as Json)[k], (b as Json)[k]))
  );
}
