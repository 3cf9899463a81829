/**
 * Splits an RFC 6901 JSON Pointer into its unescaped reference tokens.
 *
 * `''` (the whole document) gives `[]`. Returns `undefined` when `pointer` is not a valid JSON
 * Pointer: it does not start with `/`, or a `~` is not followed by `0` or `1`. Array indices are
 * not checked here, because whether a token is an index depends on the document it is applied to.
 *
 * @example
 * parsePointer('/a~1b/~0c/0'); // ['a/b', '~c', '0']
 * parsePointer('a'); // undefined
 */
export function parsePointer(pointer: string): string[] | undefined {
  const tokens = pointer.split('/');
  // What precedes the first '/' must be empty: that is '' itself, or a pointer starting with '/'.
  if (tokens.shift()) return undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    // Most tokens have no escapes; only they pay for the check and the replace.
    if (t.includes('~')) {
      if (/~(?![01])/.test(t)) return undefined;
      // [RFC 6901 §4] ~1 before ~0, so that '~01' becomes '~1', not '/'.
      tokens[i] = t.replace(/~1/g, '/').replace(/~0/g, '~');
    }
  }
  return tokens;
}
