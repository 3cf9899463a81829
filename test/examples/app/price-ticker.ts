// An app module as an app developer would write it: the live prices of a watch list, as a
// snapshot plus JSON Merge Patches. It takes subscribe() options through, so a test (or a React
// Native build) can hand it `fetch` and `WebSocket`.
import { AnywireError, type DeltaCodec, mergePatch, type SubscribeOptions, subscribe } from '../../../src/index.js';

/** Last price per symbol. */
export type Prices = Readonly<Record<string, number>>;

/**
 * `'merge-patch'`, checked. RFC 7396 applies any patch to anything, so a patch that would leave a
 * symbol without a numeric price (a server bug, or deltas applied to the wrong snapshot) is
 * rejected here: anywire then keeps the last good prices and resyncs from a fresh snapshot.
 */
export const pricePatch: DeltaCodec<Prices> = {
  apply(state, patch) {
    const next = mergePatch.apply(state, patch) as Record<string, unknown>;
    for (const [symbol, price] of Object.entries(next)) {
      if (typeof price !== 'number' || !Number.isFinite(price)) {
        throw new AnywireError('delta', `delta: ${symbol} would be priced ${JSON.stringify(price)}`);
      }
    }
    return next as Prices;
  },
};

/** The ticker a watch-list widget renders. */
export interface Ticker {
  /** Every price; the same object until a price changes (for `useSyncExternalStore`). */
  readonly prices: Prices;
  /** The last price of `symbol`, if the server has sent one. */
  price(symbol: string): number | undefined;
  /** False while the connection is down: the widget greys the prices out. */
  readonly live: boolean;
  /** Calls `listener` when prices or `live` change; returns its unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Calls `listener` with every problem, for the error tracker; returns its unsubscribe. */
  onError(listener: (error: AnywireError) => void): () => void;
  close(): void;
}

/**
 * Subscribes to `url`, which sends a `snapshot` of all prices and then `delta` merge patches
 * (`{ "ACME": 10.5 }`). Fresh within a second, several ticks a second: anywire picks SSE.
 */
export function createPriceTicker(url: string, options: Partial<SubscribeOptions<unknown, Prices>> = {}): Ticker {
  const sub = subscribe<unknown, Prices>({
    url,
    requirements: { staleness: 1000, frequency: 5 },
    delta: pricePatch,
    initial: {},
    ...options,
  });
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const listener of [...listeners]) listener();
  };
  sub.subscribe(changed);
  sub.on('status', changed);
  return {
    get prices() {
      return sub.getSnapshot();
    },
    price: (symbol) => sub.getSnapshot()[symbol],
    get live() {
      return sub.status === 'open';
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    onError: (listener) => sub.on('error', listener),
    close: () => sub.close(),
  };
}
