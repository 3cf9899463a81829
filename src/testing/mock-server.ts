import type { FetchLike } from '../core/types.js';
import { createHttpHandler } from './http-handler.js';
import { install } from './install.js';
import { mockWebSocketClass } from './mock-websocket.js';
import { createServerControls } from './server-controls.js';
import { createServerCore, type ServerCore } from './server-core.js';
import { createServerState } from './server-state.js';
import type { MockServer, MockServerOptions } from './types.js';
import { httpForm, serves } from './url.js';

let created = 0;
const cores = new WeakMap<MockServer, ServerCore>();

/**
 * The core behind a server, for the msw and mock-socket adapters.
 *
 * @example
 * const core = coreOf(server);
 * core.connections.all.length; // what server.connections shows
 */
export function coreOf(server: MockServer): ServerCore {
  const core = cores.get(server);
  if (!core) throw new TypeError('[anywire/testing] expected a server made by createMockServer()');
  return core;
}

/**
 * Creates a mock anywire server that a test drives without a network. The app's real
 * `subscribe()` runs against it (transport choice, backoff, heartbeats, resume, dedupe and deltas
 * all take their real code paths); only the bytes are faked. One server speaks all four
 * transports on one URL, like examples/server.ts.
 *
 * Reach it by spreading `server.options` (`{ fetch, WebSocket }`) into `subscribe()`, or with
 * `server.install()` for code that uses the globals. Everything the mock does happens in promise
 * jobs; its only timers (SSE keepalive, long-poll hold) go through `options.timers`, so fake
 * timers drive it.
 *
 * @example
 * import { subscribe } from 'anywire';
 * import { createMockServer } from 'anywire/testing';
 *
 * vi.useFakeTimers();
 * const server = createMockServer();
 * const sub = subscribe({ url: server.url, ...server.options, random: () => 0.5 });
 * const first = await server.nextConnection();
 * server.emit({ unread: 1 });
 * server.drop();
 * await vi.advanceTimersByTimeAsync(500); // the first backoff delay with random 0.5
 * expect((await server.nextConnection()).lastEventId).toBe('1');
 */
export function createMockServer(options: MockServerOptions = {}): MockServer {
  const url = httpForm(options.url ?? `https://anywire.test/stream/${++created}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`[anywire/testing] the mock server's url must be http:, https:, ws: or wss:, got ${url.href}`);
  }
  const state = createServerState();
  const core = createServerCore(url, options, state);
  const controls = createServerControls(core, state);
  const http = createHttpHandler(core);
  const fetch: FetchLike = async (input, init) => {
    if (!serves(url, input)) {
      throw new TypeError(
        `[anywire/testing] ${input} is not served by this mock server (${url.href}): point the subscription at server.url`,
      );
    }
    return http(new URL(input), init ?? {});
  };
  const WebSocket = mockWebSocketClass(core);
  let uninstall: (() => void) | undefined;

  const server: MockServer = {
    url: url.href,
    options: { fetch, WebSocket },
    connections: core.connections.all,
    received: core.received,
    get events() {
      return core.log.events;
    },
    emit: (data, event = 'message') => controls.emit(data, event),
    snapshot(state) {
      controls.setState(state);
      return controls.emit(state, 'snapshot');
    },
    delta(patch, ...state: unknown[]) {
      if (state.length > 0) controls.setState(state[0]);
      return controls.emit(patch, 'delta');
    },
    fail: (status, failOptions = {}) => controls.fail(status, failOptions),
    drop: (dropOptions = {}) => controls.drop(dropOptions),
    silent: () => controls.silent(),
    refuse: (transport) => controls.refuse(transport),
    forget: () => core.log.forget(),
    nextConnection: () => core.connections.next(),
    install() {
      uninstall ??= install({ url, fetch, WebSocket });
      return server.uninstall;
    },
    uninstall() {
      uninstall?.();
      uninstall = undefined;
    },
    close() {
      server.uninstall();
      controls.close();
    },
  };
  cores.set(server, core);
  return server;
}
