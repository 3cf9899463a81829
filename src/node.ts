// The entry Node, Bun and Deno resolve (the `node` export condition): everything in index.ts, with
// a `subscribe` that falls back to the `ws` package where the runtime has no global WebSocket
// (Node 20). Browsers, workers and React Native resolve index.ts, which never imports `ws`.
import WebSocket from 'ws';
import { createSubscribe } from './subscribe.js';
import { allTransports } from './transports/all.js';
import type { WebSocketConstructor } from './types.js';

export * from './index.js';

/**
 * {@link import('./subscribe.js').subscribe}, with the `ws` package as the WebSocket constructor
 * where neither the options nor `globalThis` have one (Node 20).
 */
export const subscribe: typeof import('./subscribe.js').subscribe = /* @__PURE__ */ createSubscribe({
  transports: allTransports,
  WebSocket: WebSocket as unknown as WebSocketConstructor,
});
