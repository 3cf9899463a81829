// The public shape of a subscription and of createSubscribe's config: types only, in their own
// file so that the policy (plan.ts) can name them without importing the subscription itself.

import type { Transport } from '../transports/transport.js';
import type { AnywireError } from './errors.js';
import type { SnapshotStore } from './store.js';
import type { Explanation, Message, Status, TransportName, WebSocketConstructor } from './types.js';

/** The events a subscription emits, by name. */
export interface SubscriptionEvents<T> {
  /** An event arrived (duplicates dropped, data parsed, deltas applied). */
  message: Message<T>;
  /** The status changed. */
  status: Status;
  /** Something went wrong; the subscription recovers unless the status turns `closed`. */
  error: AnywireError;
  /** The server cannot resume from `lastEventId`: refetch (with `delta`, anywire resyncs itself). */
  gap: { lastEventId: string | undefined };
}

/**
 * A live subscription: an event source, an async iterable of messages, and an external store.
 *
 * @example
 * const sub = subscribe<Price>({ url: '/prices' });
 * const off = sub.on('message', (m) => render(m.data));
 * // later
 * sub.close();
 */
export interface Subscription<T = unknown, S = T | undefined> extends AsyncIterable<Message<T>>, SnapshotStore<S> {
  /** Where the subscription is in its lifecycle. */
  readonly status: Status;
  /** The transport in use (or about to be tried). */
  readonly transport: TransportName;
  /** The current resume position, sent on every reconnect. */
  readonly lastEventId: string | undefined;
  /** Messages the async iterators dropped because their buffer was full. */
  readonly dropped: number;
  /** Registers a listener; returns its own unsubscribe function. */
  on<K extends keyof SubscriptionEvents<T>>(type: K, listener: (value: SubscriptionEvents<T>[K]) => void): () => void;
  /**
   * Sends `{ event, data }` to the server: a frame on WebSocket, a JSON POST to `endpoints.send`
   * (default `url`) on the HTTP transports. While a WebSocket reconnects, the send waits for it.
   * @throws AnywireError with code `send` when the POST fails or the subscription closes first.
   */
  send(data: unknown, event?: string): Promise<void>;
  /** The transport choice, its reasons, and every switch since. */
  explain(): Explanation;
  /** Reconnects now and resets the backoff (also after `maxAttempts` gave up). */
  reconnect(): void;
  /** Ends the connection, every timer and every iterator. Idempotent. */
  close(): void;
}

/** What `createSubscribe` builds into a `subscribe` function. */
export interface SubscribeConfig {
  /** The transports available; only these are bundled. */
  transports: readonly Transport[];
  /** The WebSocket constructor used when neither the options nor `globalThis` have one. */
  WebSocket?: WebSocketConstructor;
}
