import { createHttpHandler } from './http-handler.js';
import { coreOf } from './mock-server.js';
import type { MockServer } from './types.js';

/**
 * A resolver as msw 2 calls it; only the request is used.
 *
 * @example
 * const echo: MswResolver = async ({ request }) => new Response(request.url);
 */
export type MswResolver = (info: { request: Request }) => Promise<Response>;

/**
 * The part of msw's `http` namespace {@link mswHandlers} uses. Pass msw's own: it is taken as an
 * argument so that anywire/testing does not depend on msw.
 *
 * @example
 * import { http } from 'msw';
 * const handlers = mswHandlers({ http }, server); // msw's `http` fits MswHttp<HttpHandler>
 */
export interface MswHttp<Handler> {
  get(path: string, resolver: MswResolver): Handler;
  post(path: string, resolver: MswResolver): Handler;
}

/**
 * msw request handlers that serve the SSE, long-poll and poll protocol (and client POSTs) from a
 * mock server, for suites that already mock the network with msw and want to stay at the fetch
 * level. Everything the server records and every control (`emit`, `fail`, `drop`, `silent`, …)
 * works as with `server.options`; only `fetch` is msw's.
 *
 * Two differences: msw gives each request its own `AbortSignal`, so every poll request is a
 * connection of its own in `server.connections` (and `drop()` finds no poll between requests to
 * break); and WebSocket is not covered (see {@link mockSocketServer}, or msw's own `ws` API).
 *
 * @param msw - `{ http }` from 'msw'.
 * @param server - The mock server whose URL the handlers match.
 * @returns A GET and a POST handler for `server.url`, to pass to `setupServer()` or `server.use()`.
 *
 * @example
 * import { http } from 'msw';
 * import { setupServer } from 'msw/node';
 *
 * const mock = createMockServer();
 * const network = setupServer(...mswHandlers({ http }, mock));
 * network.listen();
 * const sub = subscribe({ url: mock.url, transport: 'sse' }); // global fetch, answered by msw
 */
export function mswHandlers<Handler>(msw: { http: MswHttp<Handler> }, server: MockServer): Handler[] {
  // Not grouped by signal: msw gives every request a signal of its own.
  const handle = createHttpHandler(coreOf(server), false);
  const resolver: MswResolver = async ({ request }) => {
    const init: RequestInit = { method: request.method, headers: request.headers, signal: request.signal };
    if (request.method === 'POST') init.body = await request.text();
    return handle(new URL(request.url), init);
  };
  return [msw.http.get(server.url, resolver), msw.http.post(server.url, resolver)];
}
