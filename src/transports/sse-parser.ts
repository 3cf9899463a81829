/**
 * Server-Sent Events parsing as WHATWG HTML §9.2.6 "event stream interpretation" says, as a thin
 * layer over eventsource-parser's `createParser` that closes its two gaps (measured on 3.1.1):
 *
 * 1. It holds a CR at the end of a chunk back until the next chunk shows whether an LF follows, so
 *    a stream with CR-only line endings stalls one chunk behind; and it looks for the next CR and
 *    the next LF afresh on every line of a chunk with a CR in it, so a chunk of many short CR-ended
 *    lines costs time quadratic in its length. Here every line end is fed as an LF (a CR at the end
 *    of a chunk at once), and an LF opening the next chunk is dropped as the second half of a CRLF.
 * 2. It forgets a block that sets `id` but has no `data`, though the spec moves the last event ID
 *    there too. No callback or state of the parser shows such a block (feeding `id: 5\n\n` and
 *    feeding nothing look the same), so this layer reads the text alongside the parser, with a
 *    cursor that each parser callback brings up to the line it came from (`walk`, a small line
 *    parser that keeps only what positions need). An event in the usual shape costs a few
 *    character checks instead (`skipBlock`).
 *
 * Hostile streams: every character is read a bounded number of times, however a line is cut into
 * chunks (a line that spans chunks is kept as a list of its pieces, joined once when it ends), and
 * what is buffered of one block (the unfinished line and the data before it) is bounded by
 * `maxEventSize` plus one chunk: past it `feed` throws a `too-large` error.
 *
 * Cost (bench/sse-parser.ts, node 20): 1.1–1.5× the bare parser's time when the handler does
 * nothing, 1.0–1.2× when it `JSON.parse`s each event; without (2) the layer costs about 5%. Any
 * reading of the text costs about this much, as the parser spends only 50–100 ns on an event.
 * CRLF text costs about 1 ns a character more (1.8–1.9×, from 1.3×): rewriting its line ends to
 * LF is the price of never running the parser's quadratic CR path.
 *
 * The byte order mark: decode with `new TextDecoder()` (its default `ignoreBOM: false` drops a
 * UTF-8 BOM); this layer also drops one U+FEFF opening the text, for decoders that keep it.
 * eventsource-parser's own check (for the BOM's three bytes read as Latin-1, `ï»¿`) is turned off:
 * in decoded text those are three characters of a field name.
 */
import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import { type AnywireError, transportError } from '../core/errors.js';
import { DEFAULT_MAX_EVENT_SIZE } from '../core/options.js';

/** What a {@link SseParser} reports, in stream order. */
export interface SseHandlers {
  /** An event was dispatched: its own id (undefined when the block had no id field), its type ('message' default), its data text. */
  onEvent(id: string | undefined, event: string, data: string): void;
  /**
   * The resume position changed WITHOUT an event being dispatched (an id-only block, including an
   * empty id resetting it to ''). Called for every such block, even when it repeats the current
   * position: the parser does not know the position the caller resumed from.
   */
  onPosition(id: string): void;
  /** A valid `retry:` field (integer ms). */
  onRetry(ms: number): void;
  /** Optional: any comment line (`: keepalive`). Comments are never events. */
  onComment?(): void;
}

/** Options of {@link createSseParser}. */
export interface SseParserOptions {
  /**
   * The most characters of one block to buffer: its unfinished line plus the data of its earlier
   * lines (what arrives in one chunk is checked after it is read). An event whose data is longer
   * is never dispatched, however the text is cut into chunks. Past either, `feed` throws an
   * `AnywireError` with code `too-large`.
   * @defaultValue `4194304` (4 MiB, `DEFAULT_MAX_EVENT_SIZE`)
   */
  maxEventSize?: number;
}

/** A streaming event-stream parser; see {@link createSseParser}. */
export interface SseParser {
  /**
   * Parses the next piece of decoded text. Handlers run synchronously, before `feed` returns.
   * Throws a `too-large` `AnywireError` past `maxEventSize`, after every handler call for the text
   * before the block that was too large; call `reset()` before feeding again.
   */
  feed(chunk: string): void;
  /** Forgets every partial line and block, for a new connection; its text may open with a BOM again. */
  reset(): void;
}

const LF = 10;
const CR = 13;
/** How much of an unfinished line `take` needs, unless it is an `id` or `retry` line: `retry:`. */
const HEAD = 6;
/** What a line read by `walk` was, when a parser callback waits for it. */
const NONE = 0;
const EVENT = 1; // the blank line ending a block with data
const RETRY = 2;
const COMMENT = 3;
const END = -1; // no line: read all complete lines

/**
 * Creates a spec-exact event-stream parser over eventsource-parser (see this module's comment).
 * Unknown fields and invalid `retry` values are ignored, as the spec says; nothing throws but a
 * block past `maxEventSize`.
 *
 * @example
 * ```ts
 * const parser = createSseParser({ onEvent, onPosition, onRetry }, { maxEventSize: 1_048_576 });
 * const decoder = new TextDecoder();
 * for await (const bytes of body) parser.feed(decoder.decode(bytes, { stream: true }));
 * ```
 */
export function createSseParser(handlers: SseHandlers, options: SseParserOptions = {}): SseParser {
  const max = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  let c = ''; // the chunk being fed, its line ends all LF
  let p = 0; // c[0, p) is read
  let carry = ''; // the unfinished line before c: its first HEAD characters ('' when there is none)
  let parts: string[] | undefined; // all of it in pieces, when it is an `id` or `retry` line
  let start = true; // p starts a block: no line of it read yet
  let data = false; // the block being read has a data field
  let id: string | undefined; // its last valid id field (the spec's buffer, as set in this block)
  let cr = false; // the last chunk ended in a CR, fed as LF
  let fresh = true; // no text since the start or reset(): a BOM may come
  let over = false; // the parser's buffer passed `max`

  const tooLarge = (): AnywireError =>
    transportError(
      'too-large',
      'sse',
      `an event is over maxEventSize (${max} characters); raise \`maxEventSize\` if the server sends events this large`,
    );

  /** Reads one complete line; says whether it is what a callback waits for. */
  function take(line: string): number {
    if (line === '') {
      // [spec] dispatch: the last event ID string takes the buffer; with no data, no event
      const was = data;
      if (!data && id !== undefined) handlers.onPosition(id);
      data = false;
      id = undefined;
      start = true;
      return was ? EVENT : NONE;
    }
    start = false;
    // [spec] a line starting with a colon is a comment
    if (line.charCodeAt(0) === 58) return COMMENT;
    // [spec] the field name runs to the first colon; the value drops one leading space
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (name === 'data') data = true;
    // [spec] an id containing U+0000 NULL is ignored
    else if (name === 'id' && !value.includes('\0')) id = value;
    // [spec] only ASCII digits make a valid retry
    else if (name === 'retry' && /^\d+$/.test(value)) return RETRY;
    return NONE;
  }

  /**
   * Keeps the unfinished line c[p, end): all of it (in pieces) for an `id` or `retry` line, else
   * only its first HEAD characters, all `take` needs. Each piece is looked at once.
   */
  function hold(rest: string): void {
    if (parts !== undefined) parts.push(rest);
    else if (carry.length < HEAD) {
      const head = carry + rest.slice(0, HEAD);
      if (head.startsWith('id:') || head.startsWith('retry:')) parts = carry === '' ? [rest] : [carry, rest];
      carry = head.slice(0, HEAD);
    }
  }

  /** Reads lines from p until one is `until` (a callback's line) or c has no complete line left. */
  function walk(until: number): void {
    while (p < c.length) {
      const end = c.indexOf('\n', p);
      if (end < 0) {
        hold(c.slice(p));
        p = c.length;
        return;
      }
      let line = c.slice(p, end);
      if (carry !== '') {
        // The line began in an earlier chunk: joined once, now that it is whole.
        if (parts === undefined) line = carry + line;
        else {
          parts.push(line);
          line = parts.join('');
          parts = undefined;
        }
        carry = '';
      }
      p = end + 1;
      if (take(line) === until) return;
    }
  }

  const parser = createParser({
    onEvent(e: EventSourceMessage): void {
      // Bring the cursor past this event's block, reporting any id-only block on the way.
      const q = start && carry === '' ? skipBlock(c, p, e) : -1;
      if (q < 0) walk(EVENT);
      else p = q;
      if (e.data.length > max) throw tooLarge();
      // [spec] an empty event type buffer means `message`
      handlers.onEvent(e.id, e.event ?? 'message', e.data);
    },
    onRetry(ms: number): void {
      walk(RETRY);
      handlers.onRetry(ms);
    },
    // Only when wanted: with `onComment` set, the parser slices every comment's text.
    ...(handlers.onComment && {
      onComment: (): void => {
        walk(COMMENT);
        handlers.onComment?.();
      },
    }),
    // The parser counts its unfinished line and the data of its unfinished block against this after
    // each chunk, then forgets both and refuses more text until reset().
    maxBufferSize: max,
    onError(error: ParseError): void {
      if (error.type === 'max-buffer-size-exceeded') over = true;
    },
  });
  parser.feed(''); // a first chunk turns off the parser's BOM check, which this layer replaces

  return {
    feed(chunk: string): void {
      if (chunk === '') return;
      if (fresh) {
        fresh = false;
        // [spec] one leading U+FEFF BYTE ORDER MARK is ignored
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      // [spec] lines end in CRLF, a lone LF, or a lone CR: all are fed as LF, a CR ending the chunk
      // too (it ends its line now), so the next chunk's opening LF is the second half of a CRLF.
      if (cr && chunk.charCodeAt(0) === LF) chunk = chunk.slice(1);
      cr = chunk.charCodeAt(chunk.length - 1) === CR;
      if (chunk.indexOf('\r') >= 0) {
        // split + join: on CRLF text, faster than replace(/\r\n?/g, '\n') (node 20)
        chunk = chunk.split('\r\n').join('\n');
        if (chunk.indexOf('\r') >= 0) chunk = chunk.split('\r').join('\n');
      }
      c = chunk;
      p = 0;
      parser.feed(chunk);
      walk(END); // the rest: id-only blocks after the last callback, and the unfinished block
      if (over) throw tooLarge();
    },
    reset(): void {
      parser.reset();
      parser.feed('');
      c = carry = '';
      parts = undefined;
      p = 0;
      start = fresh = true;
      data = cr = over = false;
      id = undefined;
    },
  };
}

/**
 * Where the block of `e` ends in `c`, if it starts at `q` in the usual shape, else -1. The usual
 * shape: one line each of `data`, `id` (when `e` has an id) and `event` (when it has a type), in
 * any order, each `name:` plus an optional space, then a blank line. Each line's end is looked for
 * only where the length of `e`'s value puts it, so the data is not scanned.
 *
 * Why a pass means the text is exactly `e`'s block: every jump lands on a line end, so each line
 * checked starts a real line, and the one checked `data` line puts `e`'s block (the first with
 * data) inside the span. Say some jump skipped lines. Then some field's own line in `e`'s block
 * (its last valid `id`; its last `event`; all its `data` lines) is not the line checked for it, and
 * is skipped; every such field's skipped own lines are longer, by 3 characters or more, than its
 * jump covers beyond the line checked (the value's length). Fields whose checked line is their own
 * skip nothing. So the skipped text would be longer than the jumps cover: nothing is skipped, and
 * the lines are one block with data, the one `e` came from.
 */
function skipBlock(c: string, q: number, e: EventSourceMessage): number {
  let want = 4 | (e.id === undefined ? 0 : 1) | (e.event === undefined ? 0 : 2); // data 4, id 1, event 2
  for (;;) {
    const ch = c.charCodeAt(q);
    let value: string;
    if (ch === 100) {
      // "data:"
      if ((want & 4) === 0 || c.charCodeAt(q + 1) !== 97 || c.charCodeAt(q + 2) !== 116) return -1;
      if (c.charCodeAt(q + 3) !== 97 || c.charCodeAt(q + 4) !== 58) return -1;
      want ^= 4;
      value = e.data;
      q += 4;
    } else if (ch === 105) {
      // "id:"
      // A bit of `want` is set only while `e` has that field and its line is still to come.
      if ((want & 1) === 0 || c.charCodeAt(q + 1) !== 100 || c.charCodeAt(q + 2) !== 58) return -1;
      want ^= 1;
      value = e.id as string;
      q += 2;
    } else if (ch === LF) {
      return want !== 0 ? -1 : q + 1;
    } else if (ch === 101) {
      // "event:"
      if ((want & 2) === 0 || c.charCodeAt(q + 1) !== 118 || c.charCodeAt(q + 2) !== 101) return -1;
      if (c.charCodeAt(q + 3) !== 110 || c.charCodeAt(q + 4) !== 116 || c.charCodeAt(q + 5) !== 58) return -1;
      want ^= 2;
      value = e.event as string;
      q += 5;
    } else {
      return -1;
    }
    // [spec] the value drops one leading space
    q += (c.charCodeAt(q + 1) === 32 ? 2 : 1) + value.length;
    if (c.charCodeAt(q) !== LF) return -1;
    q += 1;
  }
}
