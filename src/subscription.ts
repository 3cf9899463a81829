import { MIN_POLL_INTERVAL } from './choose.js';
import { createDedupeWindow } from './dedupe.js';
import type { DeltaCodec } from './delta/codec.js';
import { createEmitter } from './emitter.js';
import { AnywireError } from './errors.js';
import { headerRecord } from './http.js';
import { type LoopHost, runLoop } from './loop.js';
import { createMessageQueue, type MessageQueue } from './message-queue.js';
import type { SubscribeOptions } from './options.js';
import { planTransports } from './plan.js';
import { isPortableId } from './position.js';
import { createSend } from './send.js';
import { createStore, type SnapshotStore } from './store.js';
import { defaultTimers } from './timers.js';
import { preview } from './transports/envelope.js';
import type { Channel, Transport } from './transports/transport.js';
import type { Explanation, FetchLike, HeadersReason, Message, Status, Switch, TransportName, WebSocketConstructor } from './types.js';
import { validateOptions } from './validate.js';

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

const RESERVED_GAP = 'gap';

type Readout = 'status' | 'transport' | 'lastEventId' | 'dropped';
const READ = Symbol('anywire.read');
interface Reader {
  [READ](key: Readout): unknown;
}
/**
 * The four read-only properties live on one shared prototype. Getters in a per-instance object
 * literal would put every subscription object in V8's slow dictionary mode (about 1 KB each).
 */
const readouts: object = /* @__PURE__ */ (() =>
  // In a function: the calls below, at module level, would stay in bundles that never subscribe.
  Object.defineProperties(
    {},
    Object.fromEntries(
      (['status', 'transport', 'lastEventId', 'dropped'] as const).map((key) => [
        key,
        {
          get(this: Reader) {
            return this[READ](key);
          },
          enumerable: true,
        },
      ]),
    ),
  ))();

/** Builds one subscription. Exported for `createSubscribe`; apps call `subscribe()`. */
export function createSubscription<T, S>(options: SubscribeOptions<T, S>, config: SubscribeConfig): Subscription<T, S> {
  validateOptions(options);
  const timers = options.timers ?? defaultTimers;
  const emitter = createEmitter<SubscriptionEvents<T>>();
  const queues = new Set<MessageQueue<Message<T>>>();
  let dedupe = createDedupeWindow();
  const parse = options.parse ?? (JSON.parse as (text: string) => T);
  const customParse = options.parse !== undefined;
  const codec = options.delta;
  const store = createStore<S>(codec, options.initial as S);
  const WebSocket = options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined) ?? config.WebSocket;
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const closer = new AbortController();

  let status: Status = 'connecting';
  let lastEventId = options.lastEventId;
  let dropped = 0;
  let channel: Channel | undefined;
  let headers: Record<string, string> | undefined;
  let openWaiters: Array<() => void> = [];
  let failure: AnywireError | undefined;

  const { plan, error: planError } = planTransports(options, config, WebSocket);
  const history: Switch[] = [];
  const chain = [plan.transport, ...plan.fallbacks];
  let transport = plan.transport;

  const setStatus = (next: Status): void => {
    if (status === next || status === 'closed') return;
    status = next;
    emitter.emit('status', next);
  };
  const report = (error: AnywireError): void => emitter.emit('error', error);
  /**
   * A fatal error is never silent: with no `error` listener and no iterator to throw it into
   * (`heard`), it goes to the console, once (docs/resilience.md). A listener turns this off.
   */
  const reportFatal = (error: AnywireError, heard: boolean): void => {
    if (!heard && !emitter.has('error')) console.error(error);
    report(error);
  };
  const wakeSenders = (): void => {
    for (const wake of openWaiters) wake();
    openWaiters = [];
  };

  const deliver = (id: string | undefined, event: string, data: T): void => {
    try {
      store.apply(event, data);
    } catch (error) {
      // The state is unchanged; resync from a fresh snapshot (the loop backs off if it repeats).
      loop.resync(error as AnywireError);
      return;
    }
    // One shape for every message keeps the hot path monomorphic.
    const message = { event, data, id, transport } as Message<T>;
    emitter.emit('message', message);
    if (queues.size > 0) for (const queue of queues) if (!queue.push(message)) dropped++;
  };

  /** Moves the position and drops duplicates; true when the event should be delivered. */
  const accept = (id: string | undefined, event: string): boolean => {
    if (event === RESERVED_GAP) {
      // The server cannot resume from our position: keeping it would only get us another gap.
      // Take the gap's id if it has one, else start over without a position.
      const from = lastEventId;
      lastEventId = id && isPortableId(id) ? id : undefined;
      dedupe = createDedupeWindow();
      emitter.emit('gap', { lastEventId: from });
      if (codec) loop.resync(new AnywireError('gap', 'the server cannot resume from the last event id; resyncing'));
      return false;
    }
    if (id) {
      if (dedupe.seen(id)) return false;
    }
    if (id !== undefined) move(id);
    return true;
  };
  /**
   * Moves the resume position to `id`, unless it cannot travel back to the server (a `日本-1`, a
   * CR, 2 kB of text): then the event is still delivered and deduplicated, the position stays
   * where it was, and the first such id is reported as a `bad-id` error (docs/protocol.md).
   */
  let badIdReported = false;
  const move = (id: string): void => {
    if (isPortableId(id)) lastEventId = id;
    else if (!badIdReported) {
      badIdReported = true;
      report(
        new AnywireError(
          'bad-id',
          `${transport}: event id ${preview(id)} cannot be a Last-Event-ID (visible ASCII, at most 1024 characters); the resume position stays at ${String(lastEventId)}`,
          { transport },
        ),
      );
    }
  };

  const host: LoopHost = {
    options,
    timers,
    fetch,
    WebSocket,
    chain,
    transports: config.transports,
    pollInterval: plan.pollInterval ?? MIN_POLL_INTERVAL,
    signal: closer.signal,
    position: () => lastEventId,
    dropPosition: () => {
      // A resync starts over: the fresh snapshot may reuse an id seen before the failure.
      lastEventId = undefined;
      dedupe = createDedupeWindow();
    },
    resolveHeaders: async (reason: HeadersReason) => {
      const init = options.headers ?? {};
      headers = headerRecord(typeof init === 'function' ? await init(reason) : init);
      return headers;
    },
    setTransport: (name, reason) => {
      history.push({ from: transport, to: name, reason });
      transport = name;
    },
    setStatus,
    report,
    onOpen: (opened) => {
      channel = opened;
      setStatus('open');
      wakeSenders();
    },
    onClosed: () => {
      channel = undefined;
    },
    onText: (id, event, text) => {
      if (!accept(id, event)) return;
      let data: T;
      try {
        data = parse(text);
      } catch (cause) {
        report(new AnywireError('parse', `${transport}: event data is not valid: ${preview(text)}`, { cause, transport }));
        return;
      }
      deliver(id || undefined, event, data);
    },
    onValue: (id, event, value) => {
      if (!accept(id, event)) return;
      let data = value as T;
      if (customParse && typeof value === 'string') {
        try {
          data = parse(value);
        } catch (cause) {
          report(new AnywireError('parse', `${transport}: event data is not valid`, { cause, transport }));
          return;
        }
      }
      deliver(id || undefined, event, data);
    },
    onPosition: move,
    giveUp: (error) => {
      // Not final: reconnect() may revive it. Iterators end with the reason; listeners stay.
      // The status turns 'closed' before the error is reported, so an error listener can tell a
      // fatal error (sub.status === 'closed') from one the subscription recovers from.
      failure = error;
      const heard = queues.size > 0;
      for (const queue of queues) queue.end(error);
      queues.clear();
      setStatus('closed');
      wakeSenders(); // a send() waiting for a socket fails now instead of hanging
      reportFatal(error, heard);
    },
    revive: () => {
      failure = undefined;
      status = 'connecting';
      emitter.emit('status', status);
    },
  };
  const loop = runLoop(host);

  /** The one teardown path: final, idempotent, leaves no timer, socket or listener behind. */
  function shutdown(error?: AnywireError): void {
    if (closer.signal.aborted) return;
    failure = error ?? failure;
    closer.abort();
    channel = undefined;
    wakeSenders();
    const heard = queues.size > 0;
    for (const queue of queues) queue.end(error);
    queues.clear();
    setStatus('closed');
    if (error) reportFatal(error, heard);
    emitter.clear();
    store.clear();
  }

  const methods: Omit<Subscription<T, S>, Readout> & Reader = {
    [READ]: (key) => (key === 'status' ? status : key === 'transport' ? transport : key === 'lastEventId' ? lastEventId : dropped),
    on: (type, listener) => emitter.on(type, listener),
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    // Built on demand (and copied, so callers cannot edit the record).
    explain: (): Explanation => ({ ...plan, fallbacks: [...plan.fallbacks], reasons: [...plan.reasons], history: [...history] }),
    reconnect: () => loop.reconnect(),
    close: () => shutdown(),
    send: createSend({
      transport: () => transport,
      status: () => status,
      channel: () => channel,
      failure: () => failure,
      nextOpen: () => new Promise((resolve) => openWaiters.push(resolve)),
      headers: () => headers ?? host.resolveHeaders('connect'),
      url: options.endpoints?.send ?? options.url,
      fetch,
      signal: closer.signal,
    }),
    [Symbol.asyncIterator]() {
      const queue = createMessageQueue<Message<T>>(options.buffer ?? {}, () => queues.delete(queue));
      if (status === 'closed') queue.end(failure);
      else queues.add(queue);
      return queue;
    },
  };

  const sub = Object.assign(Object.create(readouts) as Subscription<T, S>, methods);

  if (options.signal?.aborted) queueMicrotask(() => shutdown());
  else options.signal?.addEventListener('abort', () => shutdown(), { once: true, signal: closer.signal });
  // Start on a microtask: nothing is emitted from inside subscribe(), so a listener attached
  // right after the call sees every status, error and message.
  queueMicrotask(() => (planError ? shutdown(planError) : loop.start()));
  return sub;
}
