import type { FetchLike, WebSocketConstructor } from '../core/types.js';
import { serves } from './url.js';

/**
 * What an installed server answers with.
 *
 * @example
 * install({ url: new URL(server.url), ...server.options });
 */
export interface Installable {
  readonly url: URL;
  readonly fetch: FetchLike;
  readonly WebSocket: WebSocketConstructor;
}

interface Originals {
  fetch: typeof globalThis.fetch;
  WebSocket: WebSocketConstructor | undefined;
  hadWebSocket: boolean;
}

// One patch for any number of servers, so they can be installed and uninstalled in any order and
// the globals come back exactly as they were once the last one goes.
const installed = new Set<Installable>();
let originals: Originals | undefined;

const find = (url: string | URL): Installable | undefined => {
  for (const server of installed) if (serves(server.url, url)) return server;
  return undefined;
};

/**
 * Routes `globalThis.fetch` and `globalThis.WebSocket` requests for `server.url` to `server`;
 * returns the function that removes it again. Idempotent per server.
 *
 * @example
 * const uninstall = install({ url, fetch, WebSocket });
 * await fetch(url); // answered by the mock
 * uninstall();
 */
export function install(server: Installable): () => void {
  if (!originals) patch();
  installed.add(server);
  return () => {
    if (installed.delete(server) && installed.size === 0) restore();
  };
}

function patch(): void {
  const g = globalThis as { fetch: typeof globalThis.fetch; WebSocket?: unknown };
  const saved: Originals = { fetch: g.fetch, WebSocket: g.WebSocket as WebSocketConstructor | undefined, hadWebSocket: 'WebSocket' in g };
  originals = saved;
  g.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const server = find(url);
    if (!server) return saved.fetch.call(globalThis, input, init);
    if (typeof input === 'string' || input instanceof URL) return server.fetch(url, init ?? {});
    // A Request: its own method, headers, body and signal, overridden by `init` as fetch does.
    return server.fetch(url, { method: input.method, headers: input.headers, body: input.body, signal: input.signal, ...init });
  };
  // A construct trap picks the class per URL: the mock's socket for a served URL, the real one
  // otherwise. The target only lends the static readyState constants.
  const constants = Object.assign(function WebSocket() {}, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  g.WebSocket = new Proxy(constants, {
    construct(_target, [url, ...rest]: [string | URL, string | string[] | undefined, { headers?: Record<string, string> } | undefined]) {
      const Ctor = find(url)?.WebSocket ?? saved.WebSocket;
      if (!Ctor) throw new TypeError(`[anywire/testing] ${String(url)} is not a mock server's URL and this runtime has no WebSocket`);
      return new Ctor(String(url), ...rest);
    },
  });
}

function restore(): void {
  const g = globalThis as { fetch: typeof globalThis.fetch; WebSocket?: unknown };
  if (!originals) return;
  g.fetch = originals.fetch;
  if (originals.hadWebSocket) g.WebSocket = originals.WebSocket;
  else delete g.WebSocket;
  originals = undefined;
}
