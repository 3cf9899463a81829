import { allTransports } from '../transports/all.js';
import type { SubscribeOptions } from './options.js';
import { createSubscription, type SubscribeConfig, type Subscription } from './subscription.js';

/**
 * Builds a `subscribe` that bundles only the transports you pass, for apps that count
 * bytes. `subscribe` itself is `createSubscribe` with everything.
 *
 * @example
 * import { createSubscribe, sse } from 'anywire';
 * const subscribe = createSubscribe({ transports: [sse] });
 */
export function createSubscribe(
  config: SubscribeConfig,
): <T = unknown, S = T | undefined>(options: SubscribeOptions<T, S>) => Subscription<T, S> {
  return (options) => createSubscription(options, config);
}

/**
 * Subscribes to a stream of events over the transport that fits `requirements` and the runtime,
 * and keeps it healthy: backoff with jitter, heartbeats, resume without loss or duplicates, and
 * (with `delta`) a live snapshot.
 *
 * @example
 * const sub = subscribe<{ price: number }>({ url: 'https://api.example.com/prices/ACME' });
 * sub.on('message', ({ data }) => console.log(data.price));
 * for await (const { data } of sub) console.log(data.price);
 */
export const subscribe: <T = unknown, S = T | undefined>(options: SubscribeOptions<T, S>) => Subscription<T, S> =
  /* @__PURE__ */ createSubscribe({ transports: allTransports });
