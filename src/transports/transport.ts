import type { Timers } from '../core/timers.js';
import type { FetchLike, TransportName, WebSocketConstructor } from '../core/types.js';
import type { FrameCodec } from './frame-codec.js';

/** A live connection that can carry client frames (WebSocket). */
export interface Channel {
  /** Sends one text frame. */
  send(frame: string): void;
  /** The frame codec's `encode`, when the server speaks its own frames: `send()` frames with it. */
  encode?: ((data: unknown, event: string) => string) | undefined;
}

/**
 * Everything a transport needs for one connection. Transports only move bytes: the subscription
 * owns state, backoff, dedupe and resume.
 */
export interface ConnectContext {
  /** The endpoint for this transport. */
  url: URL;
  /** Headers for this (re)connect. */
  headers: Record<string, string>;
  /**
   * The resume position to send, if any: call it on every request, it moves as events arrive.
   * (A method, not a getter: V8 stores objects with accessors in slow dictionary mode.)
   */
  lastEventId(): string | undefined;
  /** Aborted when this connection must end (close, heartbeat timeout, switch). */
  signal: AbortSignal;
  /** The fetch to use. */
  fetch: FetchLike;
  /** The WebSocket constructor to use, if any. */
  WebSocket: WebSocketConstructor | undefined;
  /** The clock. */
  timers: Timers;
  /** Long-poll: how long, in seconds, the server may hold a request (sent as `Prefer: wait=N`). */
  hold: number;
  /** Poll: ms between requests. */
  pollInterval: number;
  /**
   * Poll: waits `ms` before the next request, as the subscription sees fit (slower or paused in a
   * hidden page). Rejects with the abort reason when the connection ends.
   */
  pause(ms: number): Promise<void>;
  /** WebSocket: ms between pings (false: no pings). */
  pingInterval: number | false;
  /**
   * The largest event, frame or body to accept, in characters. Past it the transport throws an
   * `AnywireError` with code `too-large` (ending the connection; the loop resumes it).
   */
  maxEventSize: number;
  /** WebSocket: the caller's frame codec, when the server speaks its own frames. */
  frame: FrameCodec | undefined;
  /** The connection is established (2xx with the right content type; socket open). */
  onOpen(channel?: Channel): void;
  /**
   * An SSE event arrived: its own id (undefined when it had none; `''` resets the position), its
   * name, and its data text (not yet parsed). Positional, so the hot path allocates nothing.
   */
  onText(id: string | undefined, event: string, text: string): void;
  /** A JSON-envelope event arrived (WebSocket, long-poll, poll): `data` is already a JSON value. */
  onValue(id: string | undefined, event: string, data: unknown): void;
  /** Bytes arrived (comments and pongs included): the connection is alive. */
  onActivity(): void;
  /** The server moved the resume position without an event (SSE `id:` in a block with no data). */
  onPosition(id: string): void;
  /** The server set the reconnection time (SSE `retry:`), in ms. */
  onRetry(ms: number): void;
  /** A recoverable problem with one frame or event; the connection goes on. */
  onError(error: Error): void;
}

/**
 * The context anywire's own transports get (an attempt): the {@link ConnectContext}, whose
 * callbacks are getters that bind on first use, plus the same callbacks as methods, called on the
 * context so that a connection holds no bound copy of them. Internal: custom transports use
 * {@link ConnectContext}.
 */
export interface OwnContext extends ConnectContext {
  /** False once the attempt has ended (then `_reason` says why). */
  readonly _live: boolean;
  readonly _reason: unknown;
  /** Runs `fn` with the reason when the attempt ends (at once if it has); one slot, replaced by each call. */
  _onEnd(fn: ((reason: unknown) => void) | undefined): void;
  _last(): string | undefined;
  _pause(ms: number): Promise<void>;
  _open(channel?: Channel): void;
  _act(): void;
  /** An SSE event: the SSE parser's handler, called on the context. */
  onEvent(id: string | undefined, event: string, text: string): void;
  _value(id: string | undefined, event: string, value: unknown): void;
  _position(id: string): void;
  _retry(ms: number): void;
  _error(error: Error): void;
}

/**
 * One way of moving events. `connect()` runs a single connection: it settles when the connection
 * ends, resolving when the server ended it cleanly and rejecting with an `AnywireError` otherwise.
 * When `ctx.signal` aborts it settles promptly and leaves nothing behind.
 */
export interface Transport {
  /** The transport's name. */
  readonly name: TransportName;
  /** Runs one connection. */
  connect(ctx: ConnectContext): Promise<void>;
}
