import type { DeltaCodec } from '../delta/codec.js';
import type { FrameCodec } from '../transports/frame-codec.js';
import type { BufferOptions } from './message-queue.js';
import type { Timers } from './timers.js';
import type {
  Endpoints,
  FetchLike,
  HeadersOption,
  HeartbeatOptions,
  ReconnectPolicy,
  Requirements,
  TransportName,
  WebSocketConstructor,
} from './types.js';

/** Liveness defaults, declared once. */
export const DEFAULT_HEARTBEAT: Required<HeartbeatOptions> = { interval: 15_000, timeout: 45_000 };

/**
 * A connection must stay up this long (ms) before the attempt counter and backoff reset, so a
 * server that accepts and then drops at once is still backed off from, not hammered.
 */
export const HEALTHY_AFTER = 5000;

/**
 * After this long (ms) healthy on a fallback, the preferred transport is tried again; each failed
 * probe doubles the wait, up to {@link MAX_PROBE_AFTER}.
 */
export const PROBE_AFTER = 60_000;
/** The longest wait between probes of the preferred transport (ms). */
export const MAX_PROBE_AFTER = 1_800_000; // 30 min (a literal: esbuild keeps `30 * 60_000` in every bundle)
/**
 * The largest event, WebSocket frame or poll body accepted from a server, in UTF-16 code units
 * (characters; about bytes for ASCII): 4 MiB. See {@link SubscribeOptions.maxEventSize}.
 */
export const DEFAULT_MAX_EVENT_SIZE = 4_194_304;
/** With `whenHidden: 'slow'`, polls in a hidden page come this many times less often. */
export const HIDDEN_SLOWDOWN = 4;

/** Options of `subscribe()`. Only `url` is required. */
export interface SubscribeOptions<T = unknown, S = T | undefined> {
  /**
   * The base endpoint (http: or https:). Every transport uses it unless `endpoints` names its own;
   * the WebSocket URL is derived (http → ws, https → wss).
   */
  url: string | URL;
  /** Per-transport URLs, for servers that mount each protocol on its own path. */
  endpoints?: Endpoints;
  /**
   * What the app needs; anywire picks the transport from it (docs/choosing-a-transport.md).
   * @defaultValue `{ direction: 'receive', staleness: 1000, frequency: 1 }`
   */
  requirements?: Requirements;
  /**
   * `'auto'` chooses from `requirements`; a name forces one transport; a list forces an order,
   * falling back along it.
   * @defaultValue `'auto'`
   * @example
   * subscribe({ url, transport: ['websocket', 'long-poll'] });
   */
  transport?: 'auto' | TransportName | readonly TransportName[];
  /**
   * Turns an SSE event's data text (or a string `data` in a JSON envelope) into `T`.
   * @defaultValue `JSON.parse`
   */
  parse?: (text: string) => T;
  /**
   * Request headers, in any form `fetch` takes (a record, a `Headers`, `[name, value]` pairs). A
   * function is called on every (re)connect with the reason, so a fresh token goes out each time;
   * after a 401 it is called once more with `'unauthorized'`.
   * @example
   * subscribe({ url, headers: async (reason) => ({ authorization: `Bearer ${await token(reason === 'unauthorized')}` }) });
   */
  headers?: HeadersOption;
  /** The resume position to start from (sent as Last-Event-ID). */
  lastEventId?: string;
  /**
   * The reconnect policy, or `false` to close on the first failure.
   * @defaultValue `DEFAULT_RECONNECT` (docs/resilience.md)
   */
  reconnect?: false | ReconnectPolicy;
  /**
   * Liveness: WebSocket ping interval and the silence after which any connection is resumed.
   * `false` turns both off.
   * @defaultValue `{ interval: 15000, timeout: 45000 }`
   */
  heartbeat?: false | HeartbeatOptions;
  /**
   * What polls do while the page is hidden (background tab): keep their pace, poll 4× less often,
   * or stop until the page is visible again (then poll at once). Streams (SSE, WebSocket, long
   * poll) stay open either way: closing them costs a full resume on return.
   * @defaultValue `'keep'`
   */
  whenHidden?: 'keep' | 'slow' | 'pause';
  /** Aborting it closes the subscription, like `close()`. */
  signal?: AbortSignal;
  /** The fetch to use. @defaultValue `globalThis.fetch` */
  fetch?: FetchLike;
  /**
   * The WebSocket constructor. Browsers, Deno, Bun and Node ≥ 22 have one; on Node 20 anywire
   * falls back to the `ws` package.
   * @defaultValue `globalThis.WebSocket`, else `ws`
   */
  WebSocket?: WebSocketConstructor;
  /** The clock, for tests that drive time by hand. @defaultValue the global timers */
  timers?: Timers;
  /** Randomness for backoff jitter, for deterministic tests. @defaultValue `Math.random` */
  random?: () => number;
  /** The async iterator's buffer and overflow policy. @defaultValue `{ size: 1000, overflow: 'drop-oldest' }` */
  buffer?: BufferOptions;
  /**
   * Apply `delta` events to a live snapshot: `jsonPatch` (RFC 6902), `mergePatch` (RFC 7396), or
   * your own codec. An event named `snapshot` replaces the state. See docs/state-and-deltas.md.
   * The codecs are values, imported only by the apps that use them, so the others ship no engine.
   * @example
   * import { jsonPatch, subscribe } from 'anywire';
   * subscribe<unknown, Metrics>({ url: '/api/metrics', delta: jsonPatch, initial: {} });
   */
  delta?: DeltaCodec<S>;
  /** The state before the first snapshot, with `delta`. */
  initial?: S;
  /**
   * The largest event the server may send, in characters: an SSE event (any one line, or all the
   * lines of one event), a WebSocket frame, a long-poll or poll body. Past it the connection is cut
   * with a `too-large` error and resumed from the last event that fit, so a hostile or broken
   * server cannot make the client hold unbounded memory. On Node with `ws`, a WebSocket frame over
   * 3 × maxEventSize bytes is refused from its header, before it is buffered (one character is at
   * most 3 UTF-8 bytes); a close with 1009 is `too-large` too.
   * @defaultValue `4194304` (4 MiB)
   */
  maxEventSize?: number;
  /**
   * WebSocket only: how the server's own frames map to events, for servers that do not speak
   * anywire's `{ id?, event?, data }` frames (docs/protocol.md 7.4). `decode` turns each text
   * frame into an event, a list, or `undefined`. Optional: `encode` (frames for `send()`), `ping`
   * (sent every `heartbeat.interval`), `reply` (answers the server's pings), `open` (frames sent
   * first on every open, such as SUBSCRIBE) and `resume` (puts the position in the reconnect
   * URL). With a codec anywire sends no pings and no `lastEventId` of its own. Events are checked
   * like anywire's; a throw is a `frame` error. Use it with `transport: 'websocket'`.
   * @defaultValue none: anywire's own frames
   * @example
   * // A Binance-style combined stream: {"stream":"btcusdt@trade","data":{...}}
   * const frame: FrameCodec = {
   *   decode: (f) => {
   *     const { stream, data } = JSON.parse(f);
   *     return typeof stream === 'string' ? { event: stream, data } : undefined; // skip {"result":null,"id":1}
   *   },
   * };
   * subscribe({ url, transport: 'websocket', frame });
   */
  frame?: FrameCodec;
}
