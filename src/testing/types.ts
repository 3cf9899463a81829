import type { Timers } from '../core/timers.js';
import type { FetchLike, TransportName, WebSocketConstructor } from '../core/types.js';

/**
 * Options of {@link createMockServer}. Every field is optional.
 *
 * @example
 * const server = createMockServer({ snapshot: () => prices, retain: 100 });
 */
export interface MockServerOptions {
  /**
   * The URL the mock serves (http: or https:; its ws:/wss: twin is served too). Requests are
   * matched on origin and path, so the WebSocket's `?lastEventId=` query does not matter.
   *
   * Each server gets its own URL by default because anywire remembers, per URL and for the life
   * of the process, which transport worked: a fallback in one test would otherwise change the
   * transport the next test starts with.
   * @defaultValue `'https://anywire.test/stream/N'`, N counting servers created in this process
   */
  url?: string;
  /**
   * Events kept for resume. A client resuming from an older position gets a `gap` event (or a
   * snapshot, when the server has a state).
   * @defaultValue `10000`
   */
  retain?: number;
  /**
   * The server's current state, for `delta` subscriptions: a client that connects without a
   * usable resume position (first connect, after a `gap`, or a resync after a failed patch) gets
   * one `snapshot` event with this value instead of the event log. Without it, the last value
   * passed to {@link MockServer.snapshot} (or as the second argument of {@link MockServer.delta})
   * is used.
   * @example
   * let prices = { ACME: 10 };
   * const server = createMockServer({ snapshot: () => prices });
   */
  snapshot?: () => unknown;
  /**
   * ms between `: keepalive` comments on SSE streams, as a real server sends them so that an idle
   * stream is not taken for a dead one. `false` sends none.
   * @defaultValue `15000`
   */
  keepalive?: number | false;
  /**
   * Answer the client's `{"event":"ping"}` frames with `{"event":"pong"}`, so WebSocket heartbeats
   * pass. Turn off to test a socket whose server never pongs.
   * @defaultValue `true`
   */
  pong?: boolean;
  /**
   * The clock behind the mock's only two timers: the SSE keepalive and the end of a long poll's
   * hold. Pass the same object you pass to `subscribe({ timers })` when you drive time by hand;
   * the default looks the global timers up on every call, so fake timers installed at any time work.
   * @defaultValue the global `setTimeout` / `clearTimeout` / `Date.now`
   */
  timers?: Timers;
}

/**
 * One HTTP request of a connection (a poll connection makes one per poll).
 *
 * @example
 * const second = server.connections[0]?.requests[1];
 * expect(second?.lastEventId).toBe('3'); // the second poll resumed after event 3
 */
export interface MockRequest {
  /** The `last-event-id` request header, if any. */
  readonly lastEventId: string | undefined;
  /** The request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The status the mock answered with; `undefined` when it never answered (silent, refused with
   * a network error, or dropped before the headers).
   */
  readonly status: number | undefined;
}

/**
 * One connection the client made, as the mock saw it.
 *
 * @example
 * const connection = await server.nextConnection();
 * expect(connection).toMatchObject({ generation: 2, transport: 'sse', lastEventId: '5' });
 */
export interface MockConnection {
  /** 1 for the first connection to this server, 2 for the next, and so on. */
  readonly generation: number;
  /** The transport, read off the request (`accept`, `prefer: wait=N`, or a WebSocket). */
  readonly transport: TransportName;
  /** The full URL of the first request (for WebSocket, with its `lastEventId` query). */
  readonly url: string;
  /** The resume position the connection carried (`last-event-id` header, or the WebSocket query). */
  readonly lastEventId: string | undefined;
  /**
   * The first request's headers, names lower-cased. A WebSocket's are those passed in the
   * constructor's third argument, as the 'ws' package sends them (browsers send none).
   */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * HTTP requests made on this connection, oldest first. Poll and long-poll requests that share
   * one `AbortSignal` (one client attempt) count as one connection; each other request is its own.
   */
  readonly requests: readonly MockRequest[];
  /** WebSocket: every text frame the client sent, pings included, oldest first. */
  readonly frames: readonly string[];
  /** The first answer's status (101 for an accepted socket); `undefined` when none came. */
  readonly status: number | undefined;
  /** The connection is up: neither side has ended it yet. */
  readonly open: boolean;
}

/**
 * A message the client sent with `sub.send()`: a WebSocket frame or an HTTP POST.
 *
 * @example
 * await sub.send({ text: 'hi' }, 'chat');
 * expect(server.received).toEqual([{ event: 'chat', data: { text: 'hi' }, via: 'post', headers: expect.anything() }]);
 */
export interface ClientMessage {
  /** The event name (`'message'` unless the client named one). */
  readonly event: string;
  /** The data, parsed from JSON. */
  readonly data: unknown;
  /** How it came: a WebSocket frame, or a POST to the URL. */
  readonly via: 'frame' | 'post';
  /** The POST's headers, names lower-cased (`{}` for frames). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * One event in the mock's log. Ids are `'1'`, `'2'`, … in the order events were emitted.
 *
 * @example
 * server.emit({ n: 1 });
 * server.events; // [{ id: '1', event: 'message', data: { n: 1 } }]
 */
export interface MockEvent {
  /** The event id, the resume position after it. */
  readonly id: string;
  /** The event name. */
  readonly event: string;
  /** The data, sent as JSON. */
  readonly data: unknown;
}

/**
 * Options of {@link MockServer.fail}.
 *
 * @example
 * server.fail(503, { retryAfter: 2, times: 3, transport: 'sse' });
 */
export interface FailOptions {
  /**
   * The `Retry-After` header: a number of seconds, or an HTTP date string.
   * @example
   * server.fail(503, { retryAfter: 5 });
   */
  retryAfter?: number | string;
  /**
   * How many requests (HTTP) or upgrades (WebSocket) get the status. Each poll request counts,
   * also inside a connection that is already open.
   * @defaultValue `1`
   */
  times?: number;
  /** Only requests of this transport fail. @defaultValue every transport */
  transport?: TransportName;
  /**
   * How a WebSocket learns the status. `'upgrade'`: the upgrade is refused with the status and
   * Retry-After, which the socket reports as the 'ws' package does on Node (`unexpected-response`).
   * `'close-code'`: the socket opens and closes at once with 4000 + status, which is all a browser
   * can see; Retry-After is then lost.
   * @defaultValue `'upgrade'`
   */
  websocket?: 'upgrade' | 'close-code';
}

/**
 * Options of {@link MockServer.drop}.
 *
 * @example
 * server.drop({ clean: true });
 */
export interface DropOptions {
  /**
   * End cleanly: SSE ends its stream, WebSocket closes with 1000, a held long poll answers empty
   * (the client just polls again). Otherwise the connection breaks as a network failure would.
   * @defaultValue `false`
   */
  clean?: boolean;
  /**
   * Break in the middle of writing this event: the event is logged, half of its bytes reach the
   * client (a WebSocket frame is lost whole), then the connection breaks. A resuming client gets
   * it again, in full and once.
   * @example
   * server.drop({ midEvent: { data: { price: 11 } } });
   */
  midEvent?: { data: unknown; event?: string };
}

/**
 * A protocol-complete anywire server without a network, for tests. It keeps an event log,
 * resumes clients from their `last-event-id`, answers pings, holds long polls, and lets the test
 * break it in every way a real one breaks. Create one with {@link createMockServer}.
 *
 * @example
 * const server = createMockServer();
 * const sub = subscribe({ url: server.url, ...server.options });
 * await server.nextConnection();
 * server.emit({ unread: 3 });
 */
export interface MockServer {
  /** The URL served (http: or https:). Pass it as `subscribe({ url })`. */
  readonly url: string;
  /**
   * `{ fetch, WebSocket }` that reach this server, to spread into `subscribe()`. Requests to any
   * other URL through them are refused with an error that names the served URL.
   * @example
   * subscribe({ url: server.url, ...server.options });
   */
  readonly options: { readonly fetch: FetchLike; readonly WebSocket: WebSocketConstructor };
  /** Every connection the client made, oldest first. Live records: `open` and `requests` keep changing. */
  readonly connections: readonly MockConnection[];
  /** Every message the client sent (`sub.send()`) that reached the server, oldest first. */
  readonly received: readonly ClientMessage[];
  /** The event log, oldest first (at most `retain` events). */
  readonly events: readonly MockEvent[];
  /**
   * Appends an event to the log and writes it to every open connection; returns its id.
   * @example
   * server.emit({ text: 'hi' }, 'chat'); // '1'
   */
  emit(data: unknown, event?: string): string;
  /**
   * Sends a `snapshot` event (the whole state, for `delta` subscriptions) and makes `state` the
   * server's current state, which resyncing clients get. Returns the event id.
   * @example
   * server.snapshot({ ACME: 10 });
   */
  snapshot(state: unknown): string;
  /**
   * Sends a `delta` event. Pass the state after the patch as `state` to keep the server's current
   * state (what a resyncing client gets) up to date. Returns the event id.
   * @example
   * server.delta({ ACME: 11 }, { ACME: 11 });
   */
  delta(patch: unknown, state?: unknown): string;
  /**
   * Answers the next request or upgrade (or `times` of them) with an HTTP status, e.g. 503 with a
   * Retry-After to test backoff, or 401 to test a fatal error.
   * @example
   * server.fail(503, { retryAfter: 2, times: 3 });
   */
  fail(status: number, options?: FailOptions): void;
  /**
   * Breaks every open connection, cleanly or not, or mid-event. Polls hold no connection between
   * requests: for them the break lands on the connection's next request.
   * @example
   * server.drop();
   * server.drop({ clean: true });
   * server.drop({ midEvent: { data: 42 } });
   */
  drop(options?: DropOptions): void;
  /**
   * Goes half-open: from now on nothing reaches the client, not events, keepalives, pongs or
   * answers to new requests, and nothing the client sends reaches `received`; the connections
   * open now stay dead for good (as behind a dead NAT entry). Events emitted meanwhile are logged,
   * so a client that resumes gets them. Returns a function that lets new connections through again.
   * @example
   * const speak = server.silent();
   * await vi.advanceTimersByTimeAsync(45_000); // the client's heartbeat timeout
   * speak();
   */
  silent(): () => void;
  /**
   * Makes every attempt on `transport` fail to get through, as a proxy that blocks it would, so
   * the client falls back (after two such attempts). A WebSocket closes before it opens (1006); an
   * HTTP request is swallowed, never answered, so it fails at the client's first-frame deadline
   * (`heartbeat.timeout`), as behind a buffering proxy. Returns a function that accepts the
   * transport again.
   * @example
   * server.refuse('websocket');
   */
  refuse(transport: TransportName): () => void;
  /**
   * Forgets the event log, as a restarted server would: a client resuming from an old position
   * gets a `gap` (or a snapshot, when the server has a state). Ids keep counting up.
   * @example
   * server.forget();
   */
  forget(): void;
  /**
   * Resolves with the next connection this call has not handed out yet: the first call gives
   * generation 1, the next generation 2, and so on, whether it was already made or not. Uses no
   * timer: if the connection waits for a backoff delay, advance the clock first (or start the
   * wait, advance, then await it).
   * @example
   * await server.nextConnection(); // generation 1
   * server.emit('a');
   * server.drop();
   * await vi.advanceTimersByTimeAsync(1000); // past the backoff delay
   * expect((await server.nextConnection()).lastEventId).toBe('1'); // generation 2 resumed
   */
  nextConnection(): Promise<MockConnection>;
  /**
   * Patches `globalThis.fetch` and `globalThis.WebSocket` so requests to this server's URL reach
   * it (every other URL goes to the originals), for code that calls `subscribe()` without options.
   * Returns {@link MockServer.uninstall}.
   * @example
   * beforeEach(() => server.install());
   * afterEach(() => server.close());
   */
  install(): () => void;
  /** Undoes {@link MockServer.install}; the globals are restored once no server is installed. */
  uninstall(): void;
  /**
   * Ends every connection (as a network failure), clears the mock's timers, uninstalls it, and
   * refuses whatever comes after. Idempotent.
   * @example
   * afterEach(() => server.close());
   */
  close(): void;
}
