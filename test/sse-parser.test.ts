import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseParser, type SseParserOptions } from '../src/transports/sse-parser.js';

/** One handler call, as recorded. */
type Call = ['event', string | undefined, string, string] | ['position', string] | ['retry', number] | ['comment'];

/** A parser that records every handler call into `calls`. */
function recorder(options?: SseParserOptions): { parser: SseParser; calls: Call[] } {
  const calls: Call[] = [];
  const parser = createSseParser(
    {
      onEvent: (id, event, data) => calls.push(['event', id, event, data]),
      onPosition: (id) => calls.push(['position', id]),
      onRetry: (ms) => calls.push(['retry', ms]),
      onComment: () => calls.push(['comment']),
    },
    options,
  );
  return { parser, calls };
}

/** The calls made while feeding `chunks` in order. */
function run(chunks: readonly string[]): Call[] {
  const { parser, calls } = recorder();
  for (const chunk of chunks) parser.feed(chunk);
  return calls;
}

/**
 * WHATWG HTML §9.2.6 read literally, over a whole text: the oracle. A line without its end is not
 * a line yet, so a prefix of a stream gives exactly what a parser may have reported by then.
 */
function reference(text: string): Call[] {
  const calls: Call[] = [];
  // [spec] one leading U+FEFF is ignored; lines end in CRLF, LF or CR
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\r|\n/);
  lines.pop(); // unfinished (or '' after the last line end)
  let data = '';
  let type = '';
  let own: string | undefined; // the id field of this block (the spec's buffer, as far as it changed here)
  for (const line of lines) {
    if (line === '') {
      // [spec] dispatch: the last event ID string takes the buffer; no data, no event
      if (data === '') {
        if (own !== undefined) calls.push(['position', own]);
      } else {
        calls.push(['event', own, type || 'message', data.slice(0, -1)]);
      }
      data = '';
      type = '';
      own = undefined;
      continue;
    }
    if (line.startsWith(':')) {
      calls.push(['comment']);
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const raw = colon < 0 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    if (field === 'event') type = value;
    else if (field === 'data') data += `${value}\n`;
    else if (field === 'id' && !value.includes('\0')) own = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) calls.push(['retry', Number.parseInt(value, 10)]);
  }
  return calls;
}

/** After each chunk, the calls so far must be what the spec has dispatched by the end of that chunk. */
function expectStepwise(chunks: readonly string[], label: string): void {
  const { parser, calls } = recorder();
  let text = '';
  for (const chunk of chunks) {
    parser.feed(chunk);
    text += chunk;
    expect(calls, `${label}, after ${JSON.stringify(text)}`).toEqual(reference(text));
  }
}

/**
 * `text` gives `expected`, fed whole, split at every index, and (when short) at every pair of
 * indices; and after every chunk, nothing is held back that the spec would have dispatched.
 */
function expectSplits(text: string, expected: readonly Call[]): void {
  expect(reference(text), 'the oracle agrees with the test').toEqual(expected);
  expect(run([text])).toEqual(expected);
  const n = text.length;
  for (let i = 0; i <= n; i++) expectStepwise([text.slice(0, i), text.slice(i)], `split at ${i}`);
  if (n > 80) return;
  for (let i = 0; i <= n; i++) {
    for (let j = i; j <= n; j++) {
      expectStepwise([text.slice(0, i), text.slice(i, j), text.slice(j)], `split at ${i}, ${j}`);
    }
  }
}

describe('line endings', () => {
  const body = ['id: 1', 'event: a', 'data: x', 'data: y', '', 'id: 2', '', 'data: z', '', ''];
  const expected: Call[] = [
    ['event', '1', 'a', 'x\ny'],
    ['position', '2'],
    ['event', undefined, 'message', 'z'],
  ];

  it.each([
    ['LF', '\n'],
    ['CR', '\r'],
    ['CRLF', '\r\n'],
  ])('parses %s line endings, split anywhere', (_, eol) => {
    expectSplits(body.join(eol), expected);
  });

  it('parses mixed line endings, split anywhere', () => {
    expectSplits('data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r', [
      ['event', undefined, 'message', 'a\nb\nc'],
      ['event', undefined, 'message', 'd'],
    ]);
  });

  it('dispatches an event ending in CR CR at the end of a chunk at once', () => {
    const { parser, calls } = recorder();
    parser.feed('data: x\r\r');
    expect(calls).toEqual([['event', undefined, 'message', 'x']]);
  });

  it('dispatches at once when the blank line is a lone CR chunk', () => {
    const { parser, calls } = recorder();
    parser.feed('data: x');
    parser.feed('\r');
    expect(calls).toEqual([]);
    parser.feed('\r');
    expect(calls).toEqual([['event', undefined, 'message', 'x']]);
  });

  it('reads CR and LF in separate chunks as one CRLF, not two line ends', () => {
    expect(run(['data: a\r', '\n', 'data: b\r', '\n', '\r', '\n'])).toEqual([['event', undefined, 'message', 'a\nb']]);
    expect(run(['data: a\r', '', '\n', 'data: b\r\n', '\r', '', '\ndata: c\n\n'])).toEqual([
      ['event', undefined, 'message', 'a\nb'],
      ['event', undefined, 'message', 'c'],
    ]);
  });

  it('reads an LF after a CR chunk as CRLF only once', () => {
    // "\r" + "\n" is one line end; the next "\n" is a blank line of its own.
    expect(run(['data: x\r', '\n', '\n'])).toEqual([['event', undefined, 'message', 'x']]);
    expect(run(['data: x\r', '\n\n'])).toEqual([['event', undefined, 'message', 'x']]);
  });
});

describe('byte order mark', () => {
  it('ignores one U+FEFF opening the text, split anywhere', () => {
    expectSplits('\uFEFFdata: x\n\n', [['event', undefined, 'message', 'x']]);
    expect(run(['', '\uFEFF', 'data: x\n\n'])).toEqual([['event', undefined, 'message', 'x']]);
  });

  it('ignores only the first one', () => {
    // [spec] the second U+FEFF is part of the field name "\uFEFFdata", which is unknown
    expect(run(['\uFEFF\uFEFFdata: x\n\n'])).toEqual([]);
    expect(run(['\uFEFF', '\uFEFFdata: x\n\n'])).toEqual([]);
  });

  it('keeps U+FEFF after the start', () => {
    expect(run(['data: x\n\n\uFEFFdata: y\n\n'])).toEqual([['event', undefined, 'message', 'x']]);
  });

  it('reads the three characters ï»¿ as text, not as a BOM (eventsource-parser would strip them)', () => {
    expect(run(['\u00EF\u00BB\u00BFdata: x\n\ndata: y\n\n'])).toEqual([['event', undefined, 'message', 'y']]);
  });

  it('takes a BOM again after reset()', () => {
    const { parser, calls } = recorder();
    parser.feed('\uFEFFdata: a\n\n');
    parser.reset();
    parser.feed('\uFEFFdata: b\n\n');
    expect(calls.map((c) => c[3])).toEqual(['a', 'b']);
  });

  it.each([
    ['default TextDecoder drops the UTF-8 BOM', {}],
    ['TextDecoder with ignoreBOM keeps it, and the parser drops it', { ignoreBOM: true }],
  ])('%s, bytes split anywhere', (_, options) => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('data: é\n\n')]);
    for (let i = 0; i <= bytes.length; i++) {
      const decoder = new TextDecoder('utf-8', options);
      const chunks = [decoder.decode(bytes.subarray(0, i), { stream: true }), decoder.decode(bytes.subarray(i), { stream: true })];
      expect(run(chunks), `split at byte ${i}`).toEqual([['event', undefined, 'message', 'é']]);
    }
  });
});

describe('fields', () => {
  it('joins multi-line data with LF', () => {
    expectSplits('data: a\ndata:\ndata: c\n\n', [['event', undefined, 'message', 'a\n\nc']]);
  });

  it('reports comments, which are never events and do not end a block', () => {
    expectSplits(': keepalive\n:\ndata: x\n: inside\n\n', [['comment'], ['comment'], ['comment'], ['event', undefined, 'message', 'x']]);
  });

  it('works without an onComment handler', () => {
    const events: string[] = [];
    const parser = createSseParser({ onEvent: (_, __, data) => events.push(data), onPosition: () => {}, onRetry: () => {} });
    parser.feed(': hi\ndata: x\n\n');
    expect(events).toEqual(['x']);
  });

  it('reports a valid retry and ignores invalid ones', () => {
    expectSplits('retry: 1500\nretry:250\nretry: 1.5\nretry: -1\nretry: 12a\nretry:\nretry\nretry:  5\n\n', [
      ['retry', 1500],
      ['retry', 250],
    ]);
  });

  it('reads `data` with no colon as an empty data line, which still dispatches', () => {
    expectSplits('data\n\n', [['event', undefined, 'message', '']]);
    expectSplits('data\ndata\n\n', [['event', undefined, 'message', '\n']]);
    expectSplits('data:\n\n', [['event', undefined, 'message', '']]);
  });

  it('takes a value with no space after the colon whole, and drops only one space', () => {
    expectSplits('data:x\n\ndata:  x\n\ndata: \n\n', [
      ['event', undefined, 'message', 'x'],
      ['event', undefined, 'message', ' x'],
      ['event', undefined, 'message', ''],
    ]);
  });

  it('names events, defaults to message, and forgets the name after each block', () => {
    expectSplits('event: update\ndata: 1\n\nevent:\ndata: 2\n\nevent: lost\n\ndata: 3\n\n', [
      ['event', undefined, 'update', '1'],
      ['event', undefined, 'message', '2'],
      ['event', undefined, 'message', '3'],
    ]);
  });

  it('ignores unknown fields without throwing, field names are case-sensitive', () => {
    expectSplits('foo: bar\nDATA: x\nData: y\ndatum: z\ndata : w\ndata: ok\n\n', [['event', undefined, 'message', 'ok']]);
  });

  it('does not dispatch a block that never ends, nor one cut off by reset()', () => {
    const { parser, calls } = recorder();
    parser.feed('id: 1\ndata: x\n');
    parser.reset();
    parser.feed('\nid: 2\n');
    parser.reset();
    parser.feed('\n');
    expect(calls).toEqual([]);
  });
});

describe('event ids and the resume position', () => {
  /** The resume position after each call, as the spec's last event ID string, from `start`. */
  function positions(calls: readonly Call[], start = ''): string[] {
    let position = start;
    return calls.map((call) => {
      if (call[0] === 'position') position = call[1];
      if (call[0] === 'event' && call[1] !== undefined) position = call[1];
      return position;
    });
  }

  it('reports each event with its own id, or undefined', () => {
    const stream = 'id: 1\ndata: a\n\ndata: b\n\n';
    expectSplits(stream, [
      ['event', '1', 'message', 'a'],
      ['event', undefined, 'message', 'b'],
    ]);
    // [spec] the buffer persists: event b still resumes from 1
    expect(positions(run([stream]))).toEqual(['1', '1']);
  });

  it('reports an id-only block as a position', () => {
    const stream = 'data: a\n\nid: 7\n\ndata: b\n\n';
    expectSplits(stream, [
      ['event', undefined, 'message', 'a'],
      ['position', '7'],
      ['event', undefined, 'message', 'b'],
    ]);
    expect(positions(run([stream]), '3')).toEqual(['3', '7', '7']);
  });

  it('resets the position to empty on `id:`, `id: ` and `id`', () => {
    expectSplits('id: 1\n\nid:\n\nid: 2\n\nid: \n\nid: 3\n\nid\n\n', [
      ['position', '1'],
      ['position', ''],
      ['position', '2'],
      ['position', ''],
      ['position', '3'],
      ['position', ''],
    ]);
    expectSplits('id: 1\ndata: a\n\nid\ndata: b\n\n', [
      ['event', '1', 'message', 'a'],
      ['event', '', 'message', 'b'],
    ]);
  });

  it('ignores an id containing NUL', () => {
    expectSplits('id: 1\n\nid: a\0b\n\nid: c\0\ndata: x\n\nid: 2\nid: \0\ndata: y\n\n', [
      ['position', '1'],
      ['event', undefined, 'message', 'x'],
      ['event', '2', 'message', 'y'],
    ]);
  });

  it('takes the last id of a block, wherever it stands', () => {
    expectSplits('id: 1\nid: 2\n\ndata: x\nid: 3\n\nid: 4\ndata: y\nid: 5\n\n', [
      ['position', '2'],
      ['event', '3', 'message', 'x'],
      ['event', '5', 'message', 'y'],
    ]);
  });

  it('reports a position for an id-only block with other fields', () => {
    expectSplits('event: e\nid: 1\nretry: 9\n: c\nfoo\n\n', [['retry', 9], ['comment'], ['position', '1']]);
  });

  it('keeps empty data lines when the block has data before its id', () => {
    expectSplits('data\nid: 1\n\ndata:\ndata:\nevent: e\nid: 2\n\n', [
      ['event', '1', 'message', ''],
      ['event', '2', 'e', '\n'],
    ]);
  });

  it('does not take look-alike fields for id or data', () => {
    expectSplits('idx: 1\n\nidentity\n\ndatabase: 2\nid: 3\n\nid : 4\ndataset\n\n', [['position', '3']]);
    expectSplits('i\nd: 1\n\nid: 2\ndat\n\n', [['position', '2']]);
    expectSplits('data: a\n\nidx: 1\nid: 2\n\nident\nid\n\n', [
      ['event', undefined, 'message', 'a'],
      ['position', '2'],
      ['position', ''],
    ]);
  });

  it('keeps ids and positions in stream order across many blocks', () => {
    const stream = 'id: 1\n\ndata: a\n\nid: 2\ndata: b\n\nid: 3\n\nid: 4\n\ndata: c\nid: 5\n\n';
    expectSplits(stream, [
      ['position', '1'],
      ['event', undefined, 'message', 'a'],
      ['event', '2', 'message', 'b'],
      ['position', '3'],
      ['position', '4'],
      ['event', '5', 'message', 'c'],
    ]);
  });

  it('does not mistake an id-only block for part of the next event when value lengths line up', () => {
    // "id:" has an empty value; the next event's id has length 1, so a jump of 1 from the first
    // line's value lands on the blank line's LF.
    expectSplits('id:\n\nid:X\ndata: y\n\n', [
      ['position', ''],
      ['event', 'X', 'message', 'y'],
    ]);
    expectSplits('id:\n\nid:X\nid:X\ndata: y\n\n', [
      ['position', ''],
      ['event', 'X', 'message', 'y'],
    ]);
    expectSplits('event:\nid: 1\n\nevent:Q\ndata: y\n\n', [
      ['position', '1'],
      ['event', undefined, 'Q', 'y'],
    ]);
    expectSplits('data: A\ndata: B\ndata: CCCCC\n\n', [['event', undefined, 'message', 'A\nB\nCCCCC']]);
    // The first "event:" jump (7) ends on the blank line; two event lines of 7 would follow.
    expectSplits('event:\nid: 5\n\nevent: FFFFFFF\nevent: EEEEEEE\ndata: y\n\n', [
      ['position', '5'],
      ['event', undefined, 'EEEEEEE', 'y'],
    ]);
    // "dataX" is an unknown field, not data, though 4 + 1 + 6 characters on is the end of "id: 5".
    expectSplits('dataX\nid: 5\n\ndata: yyyyyy\n\n', [
      ['position', '5'],
      ['event', undefined, 'message', 'yyyyyy'],
    ]);
  });

  it('reports positions in order with retries and comments, with or without onComment', () => {
    const stream = 'id: 1\n\nretry: x\nid: 2\n\nretry: 5\n: c\nid: 3\n\n: d\ndata: x\n\n';
    expectSplits(stream, [
      ['position', '1'],
      ['position', '2'],
      ['retry', 5],
      ['comment'],
      ['position', '3'],
      ['comment'],
      ['event', undefined, 'message', 'x'],
    ]);
    const calls: string[] = [];
    const parser = createSseParser({
      onEvent: (_, __, data) => calls.push(data),
      onPosition: (id) => calls.push(`@${id}`),
      onRetry: (ms) => calls.push(`${ms}ms`),
    });
    parser.feed(stream);
    expect(calls).toEqual(['@1', '@2', '5ms', '@3', 'x']);
  });

  it('keeps up through a data line many chunks long', () => {
    const text = `data: ${'x'.repeat(100_000)}\n\nid: 9\n\n`;
    const chunks = Array.from({ length: Math.ceil(text.length / 1000) }, (_, k) => text.slice(k * 1000, k * 1000 + 1000));
    expect(run(chunks)).toEqual([
      ['event', undefined, 'message', 'x'.repeat(100_000)],
      ['position', '9'],
    ]);
  });

  it('finds id-only blocks that end many chunks after their id', () => {
    const { parser, calls } = recorder();
    for (const chunk of ['id: 12', '34', '5\nev', 'ent: x\n', ': c\n', 'ret', 'ry: 1\n', '\n']) parser.feed(chunk);
    expect(calls).toEqual([['comment'], ['retry', 1], ['position', '12345']]);
  });
});

describe('properties', () => {
  const value = fc.string({ unit: fc.constantFrom('a', 'i', 'd', ':', ' ', 'é', '\uFEFF', '"', '😀'), maxLength: 6 });
  const block = fc.record({
    id: fc.option(value, { nil: undefined }),
    idLast: fc.boolean(),
    event: fc.option(
      value.filter((v) => !v.startsWith(' ')),
      { nil: undefined },
    ),
    data: fc.array(value, { maxLength: 3 }),
    comment: fc.boolean(),
  });
  type Block = typeof block extends fc.Arbitrary<infer T> ? T : never;

  /** A field line; `value` keeps its leading space (a second space is added) and may be written with no colon. */
  const line = (name: string, v: string, bare: boolean): string => (v === '' && bare ? name : `${name}: ${v}`);

  function lines(b: Block, bare: boolean): string[] {
    const out: string[] = [];
    if (b.comment) out.push(': c');
    if (b.event !== undefined) out.push(line('event', b.event, bare));
    if (b.id !== undefined && !b.idLast) out.push(line('id', b.id, bare));
    for (const d of b.data) out.push(line('data', d, bare));
    if (b.id !== undefined && b.idLast) out.push(line('id', b.id, bare));
    out.push('');
    return out;
  }

  function model(blocks: readonly Block[]): Call[] {
    return blocks.flatMap((b): Call[] => {
      const calls: Call[] = b.comment ? [['comment']] : [];
      if (b.data.length > 0) calls.push(['event', b.id, b.event || 'message', b.data.join('\n')]);
      else if (b.id !== undefined) calls.push(['position', b.id]);
      return calls;
    });
  }

  /** `text` cut at the given points (taken modulo its length). */
  function cut(text: string, points: readonly number[]): string[] {
    const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
    return [0, ...at].map((p, k) => text.slice(p, at[k] ?? text.length));
  }

  it('parses random events, with random line endings and chunks, to the same events', () => {
    fc.assert(
      fc.property(
        fc.array(block, { maxLength: 8 }),
        fc.array(fc.constantFrom('\n', '\r', '\r\n'), { minLength: 1 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        (blocks, eols, points, bare, bom) => {
          let text = bom ? '\uFEFF' : '';
          let previous = '';
          blocks
            .flatMap((b) => lines(b, bare))
            .forEach((l, k) => {
              let eol = eols[k % eols.length] as string;
              // A CR then an LF blank line would be one CRLF: write that blank line another way.
              if (previous === '\r' && l === '' && eol === '\n') eol = '\r';
              text += l + eol;
              previous = eol;
            });
          expect(run(cut(text, points))).toEqual(model(blocks));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees with the spec on short fields whose value lengths line up by chance', () => {
    // Values of 0 to 2 characters make a field's length point at other lines' ends often.
    const value = fc.string({ unit: fc.constantFrom('a', ' ', ':'), maxLength: 2 });
    const field = fc.tuple(fc.constantFrom('data', 'id', 'event'), fc.constantFrom(':', ': '), value).map((f) => f.join(''));
    const line = fc.tuple(fc.oneof(field, fc.constant('')), fc.constantFrom('\n', '\r', '\r\n'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 14 }), fc.array(fc.nat(), { maxLength: 4 }), (lines, points) => {
        let text = '';
        for (const [l, eol] of lines) text += l + (text.endsWith('\r') && l === '' && eol === '\n' ? '\r' : eol);
        expectStepwise(cut(text, points), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the spec on any text, cut anywhere, after every chunk', () => {
    const piece = fc.constantFrom(
      ...['\n', '\r', '\r\n', '\n\n', ':', ' ', 'x', '1', '\0', '\uFEFF', 'd', 'i', 'data', 'id', 'event', 'retry'],
      ...['\ndata:', '\nid:', '\nid\n', '\nidx', '\ndat', '\n: c'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }), (pieces, points) => {
        const text = pieces.join('');
        expectStepwise(cut(text, points), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('hostile streams', () => {
  const MAX = 10_000;
  const KIB64 = 65_536;

  /** A recorder bounded at `max` whose `feed` returns the error it threw, if any. */
  function bounded(max: number): { feed(chunk: string): unknown; calls: Call[] } {
    const { parser, calls } = recorder({ maxEventSize: max });
    return {
      calls,
      feed(chunk) {
        try {
          parser.feed(chunk);
        } catch (error) {
          return error;
        }
        return undefined;
      },
    };
  }

  /** Feeds `text` in chunks of `size` until the parser throws: how much was fed by then, and the error. */
  function feedUntilThrow(p: { feed(chunk: string): unknown }, text: string, size: number): { fed: number; error: unknown } {
    for (let at = 0; at < text.length; at += size) {
      const error = p.feed(text.slice(at, at + size));
      if (error !== undefined) return { fed: Math.min(at + size, text.length), error };
    }
    return { fed: text.length, error: undefined };
  }

  /**
   * The characters handed to string searches (String indexOf, includes and split, RegExp test: how
   * this layer and eventsource-parser read text) while `run` runs. A deterministic measure of the
   * work, which grows with the square of a line's length if a held line is read again on every chunk.
   */
  function scanned(run: () => void): number {
    const { indexOf, includes, split } = String.prototype;
    const { test } = RegExp.prototype;
    let count = 0;
    String.prototype.indexOf = function (this: string, search: string, from?: number): number {
      const at = indexOf.call(this, search, from);
      count += (at < 0 ? this.length : at + search.length) - Math.max(0, from ?? 0);
      return at;
    };
    String.prototype.includes = function (this: string, search: string, from?: number): boolean {
      count += this.length - Math.max(0, from ?? 0);
      return includes.call(this, search, from);
    };
    String.prototype.split = function (this: string, ...args: unknown[]): string[] {
      count += this.length;
      return Reflect.apply(split, this, args);
    } as typeof split;
    RegExp.prototype.test = function (this: RegExp, text: string): boolean {
      count += String(text).length;
      return test.call(this, text);
    };
    try {
      run();
    } finally {
      Object.assign(String.prototype, { indexOf, includes, split });
      RegExp.prototype.test = test;
    }
    return count;
  }

  it.each([
    ['a data', 'data: '],
    ['an id', 'id: '],
    ['a retry', 'retry: '],
    ['a comment', ': '],
    ['an event', 'event: '],
    ['an unknown field', 'x'],
  ])('reads %s line 8 MiB long, fed in 64 KiB chunks, in work linear in its length', (_, head) => {
    const n = 8 * 1_048_576;
    const piece = '1'.repeat(KIB64);
    const { parser, calls } = recorder({ maxEventSize: Infinity });
    const work = scanned(() => {
      parser.feed(head);
      for (let fed = 0; fed < n; fed += KIB64) parser.feed(piece);
      parser.feed('\n\n');
    });
    // About 8 looks at each character, counting both parsers' (eventsource-parser's and this
    // layer's); reading the held line again on every chunk would add 64 (128 chunks / 2).
    expect(work).toBeLessThan(12 * n);
    if (head === 'id: ') expect(calls).toEqual([['position', '1'.repeat(n)]]);
    if (head === 'data: ') expect(calls).toEqual([['event', undefined, 'message', '1'.repeat(n)]]);
  });

  it('reads a chunk of many CR-ended lines in work linear in its length', () => {
    const text = `${': c\r'.repeat(20_000)}data: y\n\n`;
    let calls: Call[] = [];
    const work = scanned(() => {
      calls = run([text]);
    });
    expect(calls).toHaveLength(20_001);
    // About 5 looks at each character; searching for the next CR and LF afresh on each line would
    // be thousands.
    expect(work).toBeLessThan(8 * text.length);
  });

  it.each([
    ['a data line', 'data: '],
    ['an id line', 'id: '],
    ['a retry line', 'retry: '],
    ['a comment line', ': '],
    ['an unknown field', 'x'],
  ])('throws too-large once %s that never ends passes maxEventSize, holding at most one chunk more', (_, head) => {
    const p = bounded(MAX);
    const { fed, error } = feedUntilThrow(p, head + '1'.repeat(5 * MAX), 1000);
    expect(error).toMatchObject({ code: 'too-large', transport: 'sse' });
    expect((error as Error).message).toContain(`maxEventSize (${MAX} characters)`);
    expect(fed).toBeGreaterThan(MAX);
    expect(fed).toBeLessThanOrEqual(MAX + 1000);
  });

  it('throws too-large once the data lines of a block that never ends pass maxEventSize', () => {
    const p = bounded(MAX);
    const { fed, error } = feedUntilThrow(p, 'data: 123456789\n'.repeat(MAX), 1000);
    expect(error).toMatchObject({ code: 'too-large' });
    // The data counts without its field names: 10 of each line's 16 characters.
    expect(fed).toBeLessThanOrEqual((MAX * 16) / 10 + 1000);
  });

  it('refuses an event with more data than maxEventSize however it is cut, after reporting all before it', () => {
    const text = `id: 1\ndata: a\n\nid: 2\n\ndata: ${'x'.repeat(MAX + 1)}\n\ndata: after\n\n`;
    for (const size of [text.length, 1000, 7]) {
      const p = bounded(MAX);
      expect(feedUntilThrow(p, text, size).error, `chunks of ${size}`).toMatchObject({ code: 'too-large' });
      expect(p.calls, `chunks of ${size}`).toEqual([
        ['event', '1', 'message', 'a'],
        ['position', '2'],
      ]);
    }
  });

  it('reports what ended before the block that passes maxEventSize, in the same chunk, before throwing', () => {
    const p = bounded(MAX);
    expect(p.feed('data: a\n\nid: 2\n\n: c\ndata: ')).toBeUndefined();
    expect(p.feed('x'.repeat(MAX))).toMatchObject({ code: 'too-large' });
    const q = bounded(MAX);
    expect(q.feed(`data: a\n\nid: 2\n\n: c\ndata: ${'x'.repeat(MAX)}`)).toMatchObject({ code: 'too-large' });
    for (const { calls } of [p, q]) expect(calls).toEqual([['event', undefined, 'message', 'a'], ['position', '2'], ['comment']]);
  });

  it('accepts a block of exactly maxEventSize characters as sent, however it is cut', () => {
    const block = `id: 7\nevent: e\ndata: ${'x'.repeat(MAX - 23)}\n\n`;
    expect(block).toHaveLength(MAX);
    const text = `${block}${block}data: z\n\n`;
    for (const size of [text.length, MAX - 1, 1000, 7]) {
      const p = bounded(MAX);
      expect(feedUntilThrow(p, text, size).error, `chunks of ${size}`).toBeUndefined();
      expect(p.calls.map((c) => c[3]?.length)).toEqual([MAX - 23, MAX - 23, 1]);
    }
  });

  it('parses again after reset() once it threw', () => {
    const { parser, calls } = recorder({ maxEventSize: MAX });
    expect(() => parser.feed(`data: ${'x'.repeat(MAX)}`)).toThrow(/maxEventSize/);
    parser.reset();
    parser.feed('data: ok\n\n');
    expect(calls).toEqual([['event', undefined, 'message', 'ok']]);
  });
});
