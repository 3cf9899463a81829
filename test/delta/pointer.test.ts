import { describe, expect, it } from 'vitest';
import { parsePointer } from '../../src/delta/index.js';

describe('parsePointer', () => {
  it.each([
    ['', []],
    ['/', ['']],
    ['/a/b', ['a', 'b']],
    ['//', ['', '']],
    ['/a~1b', ['a/b']],
    ['/m~0n', ['m~n']],
    ['/~01', ['~1']],
    ['/~10', ['/0']],
    ['/ ', [' ']],
    ['/0/-', ['0', '-']],
  ])('splits %j into %j (RFC 6901 §5)', (pointer, tokens) => {
    expect(parsePointer(pointer)).toStrictEqual(tokens);
  });

  it.each(['a', '#/a', ' /a', '/a~', '/~2', '/~a/b'])('rejects %j', (pointer) => {
    expect(parsePointer(pointer)).toBeUndefined();
  });
});
