import { describe, expect, it } from 'vitest';
import { isAnywireError } from '../../src/core/errors.js';
import { applyJsonPatch } from '../../src/delta/index.js';

/**
 * RFC 6902 Appendix A, every example, written as wire text so the patches are exactly what the
 * RFC shows (A.13 depends on JSON.parse keeping the last of two duplicate members).
 */
const succeeds: [name: string, doc: string, patch: string, expected: string][] = [
  ['A.1 adds an object member', '{"foo":"bar"}', '[{"op":"add","path":"/baz","value":"qux"}]', '{"baz":"qux","foo":"bar"}'],
  ['A.2 adds an array element', '{"foo":["bar","baz"]}', '[{"op":"add","path":"/foo/1","value":"qux"}]', '{"foo":["bar","qux","baz"]}'],
  ['A.3 removes an object member', '{"baz":"qux","foo":"bar"}', '[{"op":"remove","path":"/baz"}]', '{"foo":"bar"}'],
  ['A.4 removes an array element', '{"foo":["bar","qux","baz"]}', '[{"op":"remove","path":"/foo/1"}]', '{"foo":["bar","baz"]}'],
  ['A.5 replaces a value', '{"baz":"qux","foo":"bar"}', '[{"op":"replace","path":"/baz","value":"boo"}]', '{"baz":"boo","foo":"bar"}'],
  [
    'A.6 moves a value',
    '{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}',
    '[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]',
    '{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}',
  ],
  [
    'A.7 moves an array element',
    '{"foo":["all","grass","cows","eat"]}',
    '[{"op":"move","from":"/foo/1","path":"/foo/3"}]',
    '{"foo":["all","cows","eat","grass"]}',
  ],
  [
    'A.8 passes tests of equal values',
    '{"baz":"qux","foo":["a",2,"c"]}',
    '[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]',
    '{"baz":"qux","foo":["a",2,"c"]}',
  ],
  [
    'A.10 adds a nested member object',
    '{"foo":"bar"}',
    '[{"op":"add","path":"/child","value":{"grandchild":{}}}]',
    '{"foo":"bar","child":{"grandchild":{}}}',
  ],
  [
    'A.11 ignores unrecognized members of an operation',
    '{"foo":"bar"}',
    '[{"op":"add","path":"/baz","value":"qux","xyz":123}]',
    '{"foo":"bar","baz":"qux"}',
  ],
  ['A.14 unescapes ~01 to ~1, not /', '{"/":9,"~1":10}', '[{"op":"test","path":"/~01","value":10}]', '{"/":9,"~1":10}'],
  [
    'A.16 adds an array value at the end',
    '{"foo":["bar"]}',
    '[{"op":"add","path":"/foo/-","value":["abc","def"]}]',
    '{"foo":["bar",["abc","def"]]}',
  ],
];

const fails: [name: string, doc: string, patch: string, message: string][] = [
  ['A.9 fails a test of a different value', '{"baz":"qux"}', '[{"op":"test","path":"/baz","value":"bar"}]', 'op 0 (test)'],
  [
    'A.12 fails to add to a nonexistent target',
    '{"foo":"bar"}',
    '[{"op":"add","path":"/baz/bat","value":"qux"}]',
    'op 0 (add): path /baz/bat does not exist',
  ],
  [
    'A.13 rejects an operation with two op members (JSON.parse keeps "remove", and /baz is absent)',
    '{"foo":"bar"}',
    '[{"op":"add","path":"/baz","value":"qux","op":"remove"}]',
    'op 0 (remove): path /baz does not exist',
  ],
  ['A.15 tells the string "10" from the number 10', '{"/":9,"~1":10}', '[{"op":"test","path":"/~01","value":"10"}]', 'op 0 (test)'],
];

describe('RFC 6902 Appendix A', () => {
  it.each(succeeds)('%s', (_name, doc, patch, expected) => {
    const before = JSON.parse(doc);
    expect(applyJsonPatch(before, JSON.parse(patch))).toStrictEqual(JSON.parse(expected));
    expect(before).toStrictEqual(JSON.parse(doc));
  });

  it.each(fails)('%s', (_name, doc, patch, message) => {
    const before = JSON.parse(doc);
    let error: unknown;
    try {
      applyJsonPatch(before, JSON.parse(patch));
    } catch (e) {
      error = e;
    }
    expect(isAnywireError(error) && error.code).toBe('delta');
    expect((error as Error).message).toContain(message);
    expect(before).toStrictEqual(JSON.parse(doc));
  });
});
