// The entry Node, Bun and Deno resolve (the `node` export condition): everything in index.ts, with
// a `subscribe` that falls back to the `ws` package where the runtime has no global WebSocket
// (Node 20), and that streams SSE over node:http on Node. Browsers, workers and React Native
// resolve index.ts, which never imports `ws` or any `node:` module.
import WebSocket from 'ws';
import type { SubscribeOptions } from './core/options.js';
import { createSubscribe } from './core/subscribe.js';
import type { WebSocketConstructor } from './core/types.js';
import { allTransports } from './transports/all.js';
import { longPoll, poll } from './transports/http-poll.js';
import { nodeSse } from './transports/sse-node.js';
import { websocket } from './transports/websocket.js';

export * from './index.js';

const config = { WebSocket: WebSocket as unknown as WebSocketConstructor };
const overFetch = /* @__PURE__ */ createSubscribe({ ...config, transports: allTransports });
// The same transports in the same order, with `sse` over node:http.
const overNodeHttp = /* @__PURE__ */ createSubscribe({ ...config, transports: [websocket, nodeSse, longPoll, poll] });

/**
 * Whether SSE runs over node:http rather than fetch: only when the caller passed no `fetch` (one
 * they pass, such as msw's or a test double, must see every request), and only on Node itself. Bun
 * and Deno resolve this entry too, but their node:http clients are compatibility layers (Bun's runs
 * over its own fetch) whose cost was not measured: they keep the fetch transport.
 *
 * Decided here, per subscription, from the options: `ConnectContext.fetch` cannot say whether it
 * was the caller's, since subscription.ts wraps the global one in a fresh arrow for each
 * subscription. Two `subscribe`s built once, and a pick between them, need no marker on a function.
 */
function streamsOverNodeHttp(options: SubscribeOptions<unknown, unknown>): boolean {
  if (options.fetch !== undefined || typeof process !== 'object') return false;
  const { versions } = process;
  return versions.bun === undefined && versions.deno === undefined;
}

/**
 * {@link import('./core/subscribe.js').subscribe}, with the `ws` package as the WebSocket constructor
 * where neither the options nor `globalThis` have one (Node 20), and SSE over node:http streaming
 * on Node when no `fetch` is passed (an idle stream then holds about 7 kB of heap instead of 26).
 */
export const subscribe: typeof import('./core/subscribe.js').subscribe = (options) =>
  (streamsOverNodeHttp(options as SubscribeOptions<unknown, unknown>) ? overNodeHttp : overFetch)(options);
