import type { AnywireError } from './errors.js';

export type { Status, TransportName } from './names.js';

import type { TransportName } from './names.js';

/** What the caller needs; {@link chooseTransport} turns it into a transport. */
export interface Requirements {
  /**
   * `'receive'` when the server only pushes; `'both'` when the client sends too.
   * @defaultValue `'receive'`
   */
  direction?: 'receive' | 'both';
  /**
   * How old, in ms, the newest data may be when the app looks at it. At 5,000 ms or more anywire
   * polls every `staleness` ms instead of holding a connection open.
   * @defaultValue `1000`
   */
  staleness?: number;
  /**
   * How many messages per second the stream usually carries. Below 0.1 (rare events) a long poll
   * costs less than a held-open stream.
   * @defaultValue `1`
   */
  frequency?: number;
}

/** What the runtime and the server offer; narrows the transports {@link chooseTransport} may pick. */
export interface Capabilities {
  /** A WebSocket constructor is available. @defaultValue detected */
  websocket?: boolean;
  /** `fetch` returns a readable response body (needed for SSE). @defaultValue detected */
  streaming?: boolean;
  /** The transports on offer: the server's endpoints, and (in `subscribe()`) the ones bundled. @defaultValue all four */
  offered?: readonly TransportName[];
}

/** The outcome of {@link chooseTransport}. */
export interface Choice {
  /** The transport to try first. */
  transport: TransportName;
  /** The transports to move to, in order, when the one before fails to open twice in a row. */
  fallbacks: TransportName[];
  /** For `'poll'` (also as a fallback): ms between polls. */
  pollInterval?: number;
  /** Why, in words, one line per decision. */
  reasons: string[];
}

/** A transport switch, as recorded by `explain()`. */
export interface Switch {
  /** The transport left behind. */
  from: TransportName;
  /** The transport moved to. */
  to: TransportName;
  /** Why. */
  reason: string;
}

/** `sub.explain()`: the initial choice and every switch since. */
export interface Explanation extends Choice {
  /** Every switch, oldest first. */
  history: Switch[];
}

/** One event as delivered to the app. */
export interface Message<T> {
  /** The event name; `'message'` when the server named none. */
  event: string;
  /** The parsed data. */
  data: T;
  /** The event's own id, when it had one. */
  id?: string;
  /** The transport that delivered it. */
  transport: TransportName;
}

/** Per-transport URLs, for servers that mount each protocol on its own path. */
export interface Endpoints {
  /** WebSocket URL (ws:, wss:, or http(s): which is converted). */
  websocket?: string | URL;
  /** SSE URL. */
  sse?: string | URL;
  /** Long-poll URL. */
  'long-poll'?: string | URL;
  /** Short-poll URL. */
  poll?: string | URL;
  /** Where `send()` POSTs on HTTP transports. */
  send?: string | URL;
}

/** Why headers are being computed: the first connect, a reconnect, or a 401 to recover from. */
export type HeadersReason = 'connect' | 'reconnect' | 'unauthorized';

/** Header values in any form `fetch` takes: a `Headers` instance, `[name, value]` pairs, or a record. */
export type HeaderValues = Headers | readonly (readonly [string, string])[] | Readonly<Record<string, string>>;

/**
 * The `headers` option: {@link HeaderValues}, or a function that returns them (or a promise of
 * them), called on every (re)connect so a fresh token goes out each time.
 */
export type HeadersOption = HeaderValues | ((reason: HeadersReason) => HeaderValues | Promise<HeaderValues>);

/**
 * Jitter strategies; a function receives the capped exponential delay, a random number in [0, 1),
 * the delay it returned last (0 at first) and the attempt index (0 for the first retry).
 */
export type Jitter =
  | 'full'
  | 'equal'
  | 'decorrelated'
  | 'none'
  | ((delay: number, random: number, previous: number, attempt: number) => number);

/**
 * The reconnect policy. The defaults won the reconnect-storm simulation (docs/reconnect-storm.md);
 * docs/resilience.md explains the whole loop.
 */
export interface ReconnectPolicy {
  /** Base delay of the first retry, in ms. A lone client retries within it. @defaultValue `1000` */
  initialDelay?: number;
  /** Cap of the exponential schedule, in ms; jitter is applied after the cap, so clients stay spread. @defaultValue `8000` */
  maxDelay?: number;
  /** Growth per attempt. @defaultValue `8` */
  factor?: number;
  /** How the delay is randomised. @defaultValue `spreadJitter` */
  jitter?: Jitter;
  /** Give up after this many failed attempts in a row. @defaultValue `Infinity` */
  maxAttempts?: number;
  /** Overrides the fatal/retryable classification: return true to retry. */
  shouldRetry?: (error: AnywireError, attempt: number) => boolean;
}

/** Liveness settings. */
export interface HeartbeatOptions {
  /**
   * WebSocket: ms between `{"event":"ping"}` frames.
   * @defaultValue `15000`
   */
  interval?: number;
  /**
   * Any transport: a connection silent for this long (no byte, comment, frame or response) is
   * dropped and resumed.
   * @defaultValue `45000`
   */
  timeout?: number;
}

/** A minimal `fetch`, so any WHATWG-compatible implementation can be passed. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The part of a WebSocket instance anywire uses. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor: the browser's, or `WebSocket` from 'ws' on Node 20. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string>; maxPayload?: number },
) => WebSocketLike;
