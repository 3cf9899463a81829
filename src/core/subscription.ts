import type { DeltaBatch, DeltaCodec } from '../delta/codec.js';
import { createBackoff, DEFAULT_RECONNECT } from '../policy/backoff.js';
import { MIN_POLL_INTERVAL } from '../policy/choose.js';
import { type Lifecycle, watchLifecycle } from '../policy/lifecycle.js';
import { holdSeconds, silenceBudget } from '../policy/liveness.js';
import { type LoopMemory, nextStep } from '../policy/next-step.js';
import { endpointFor, planTransports } from '../policy/plan.js';
import { recall, remember } from '../policy/transport-memory.js';
import { preview } from '../transports/envelope.js';
import { headerRecord } from '../transports/http.js';
import type { Channel, Transport } from '../transports/transport.js';
import type { SubscribeConfig, Subscription, SubscriptionEvents } from './api.js';
import { Attempt, type AttemptHost } from './attempt.js';
import { createDedupeWindow, type DedupeWindow } from './dedupe.js';
import { EventRegistry } from './emitter.js';
import { AnywireError, isAnywireError } from './errors.js';
import { createMessageQueue, type MessageQueue } from './message-queue.js';
import { DEFAULT_HEARTBEAT, HEALTHY_AFTER, MAX_PROBE_AFTER, PROBE_AFTER, type SubscribeOptions } from './options.js';
import { isPortableId } from './position.js';
import { send } from './send.js';
import { deltaError, nextState } from './store.js';
import { defaultTimers, type Timers } from './timers.js';
import type { Explanation, FetchLike, HeadersReason, Message, Status, Switch, TransportName, WebSocketConstructor } from './types.js';
import { validateOptions } from './validate.js';

export type { SubscribeConfig, Subscription, SubscriptionEvents } from './api.js';

const RESERVED_GAP = 'gap';

// Sentinels, shared by every subscription (an Error per subscription would cost a stack trace
// each): an attempt ended by reconnect() or by a probe is not a failure.
const manual = /* @__PURE__ */ new AnywireError('network', 'reconnect() was called');
const probing = /* @__PURE__ */ new AnywireError('network', 'probing the preferred transport');

/** Builds one subscription. Exported for `createSubscribe`; apps call `subscribe()`. */
export function createSubscription<T, S>(options: SubscribeOptions<T, S>, config: SubscribeConfig): Subscription<T, S> {
  validateOptions(options);
  return new LiveSubscription<T, S>(options, config);
}

/** The platform's fetch, looked up on each call (a test or polyfill may replace it later). */
const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/**
 * A subscription and its connection loop, as one object. Everything that lives as long as the
 * subscription is a field, and its behaviour sits on the prototype: a thousand idle
 * subscriptions share their methods instead of holding ~90 closures each. What an idle
 * subscription never touches (listeners, iterators, the dedupe window, the store's listeners,
 * the switch history, the backoff schedule) is made when first needed. Fields and methods whose
 * names start with `_` are internal (and shortened in the build).
 *
 * The loop: connect, watch for silence, and on failure ask {@link nextStep} whether to retry,
 * wait, fall back or give up; remember the transport that worked, probe the preferred one again
 * after a healthy period on a fallback, and follow the page's online/offline and visibility hints.
 */
class LiveSubscription<T, S> implements Subscription<T, S>, AttemptHost {
  readonly _o: SubscribeOptions<unknown, unknown>;
  readonly _t: Timers;
  readonly _f: FetchLike;
  readonly _W: WebSocketConstructor | undefined;
  readonly _config: SubscribeConfig;
  readonly _chain: readonly TransportName[];
  readonly _transports: readonly Transport[];
  readonly _poll: number;
  readonly _hold: number;
  readonly _budget: number | false;
  readonly _parse: (text: string) => T;
  readonly _codec: DeltaCodec<S> | undefined;
  readonly _sendUrl: string | URL;
  readonly _memory: LoopMemory;
  readonly _life: Lifecycle;

  _status: Status = 'connecting';
  _transport: TransportName;
  _lastEventId: string | undefined;
  _dropped = 0;
  _channel: Channel | undefined = undefined;
  _headers: Record<string, string> | undefined = undefined;
  _failure: AnywireError | undefined = undefined;
  _closed = false;
  _gaveUp = false;
  _badId = false;
  _retryHint: number | undefined = undefined;
  _probeAfter = PROBE_AFTER;
  _state: S;
  /** This task's deltas, applied to one working copy (`_state`) until {@link _publish}. */
  _batch: DeltaBatch<S> | undefined = undefined;
  /** A notification is due at the end of this task; `_heard` is the state listeners last heard of. */
  _due = false;
  _heard: S | undefined = undefined;
  _events = new EventRegistry<SubscriptionEvents<T>>();
  // Made when first needed.
  _attempt: Attempt | undefined = undefined;
  _wake: (() => void) | undefined = undefined;
  _dedupe: DedupeWindow | undefined = undefined;
  _queues: Set<MessageQueue<Message<T>>> | undefined = undefined;
  _listeners: Set<() => void> | undefined = undefined;
  _waiters: Array<() => void> | undefined = undefined;
  _visible: Set<() => void> | undefined = undefined;
  _history: Switch[] | undefined = undefined;
  _backoff: ReturnType<typeof createBackoff> | undefined = undefined;
  _closer: AbortController | undefined = undefined;
  _gs: (() => S) | undefined = undefined;
  _sub: ((onChange: () => void) => () => void) | undefined = undefined;
  _onAbort: (() => void) | undefined = undefined;

  constructor(options: SubscribeOptions<T, S>, config: SubscribeConfig) {
    const o = options as SubscribeOptions<unknown, unknown>;
    this._o = o;
    this._t = o.timers ?? defaultTimers;
    this._W = o.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined) ?? config.WebSocket;
    this._f = o.fetch ?? globalFetch;
    this._parse = options.parse ?? (JSON.parse as (text: string) => T);
    this._codec = options.delta;
    this._state = options.initial as S;
    this._lastEventId = o.lastEventId;
    this._sendUrl = o.endpoints?.send ?? o.url;
    this._transports = config.transports;
    const { plan, error } = planTransports(o, config, this._W);
    this._config = config;
    const chain = [plan.transport, ...plan.fallbacks];
    this._chain = chain;
    this._transport = plan.transport;
    this._poll = plan.pollInterval ?? MIN_POLL_INTERVAL;
    const heartbeat = o.heartbeat === false ? false : { ...DEFAULT_HEARTBEAT, ...o.heartbeat };
    this._budget = heartbeat ? heartbeat.timeout : false;
    this._hold = holdSeconds(heartbeat ? heartbeat.timeout : DEFAULT_HEARTBEAT.timeout);
    this._memory = { failures: 0, failedOpens: 0, authRetried: false, index: 0, length: chain.length };
    this._life = watchLifecycle(this);
    if (!error) {
      const learned = recall(this._key());
      const index = learned ? chain.indexOf(learned) : -1;
      if (index > 0) {
        this._memory.index = index;
        this._switch(learned as TransportName, `${learned} worked for this endpoint before`);
      }
    }
    const signal = o.signal;
    if (signal && !signal.aborted) signal.addEventListener('abort', (this._onAbort = () => this.close()), { once: true });
    // Start on a microtask: nothing is emitted from inside subscribe(), so a listener attached
    // right after the call sees every status, error and message.
    queueMicrotask(() => {
      if (signal?.aborted) this.close();
      else if (error) this._shutdown(error);
      else void this._run();
    });
  }

  // --- The public interface ---------------------------------------------------------------

  get status(): Status {
    return this._status;
  }
  get transport(): TransportName {
    return this._transport;
  }
  get lastEventId(): string | undefined {
    return this._lastEventId;
  }
  get dropped(): number {
    return this._dropped;
  }

  /** Bound once, on first use: `useSyncExternalStore(sub.subscribe, sub.getSnapshot)`. */
  get getSnapshot(): () => S {
    // Sealed: the batch never writes into a state anyone has read.
    return (
      this._gs ??
      (this._gs = () => {
        this._batch?.seal();
        return this._state;
      })
    );
  }

  get subscribe(): (onChange: () => void) => () => void {
    return (
      this._sub ??
      (this._sub = (onChange) => {
        const entry = (): void => onChange();
        (this._listeners ?? (this._listeners = new Set())).add(entry);
        return () => void this._listeners?.delete(entry);
      })
    );
  }

  on<K extends keyof SubscriptionEvents<T>>(type: K, listener: (value: SubscriptionEvents<T>[K]) => void): () => void {
    return this._events.on(type, listener);
  }

  send(data: unknown, event?: string): Promise<void> {
    return send(this, data, event);
  }

  explain(): Explanation {
    // Planned again (it is pure, and runs once per subscribe()): an idle subscription keeps no
    // reasons text, about 1 kB of strings. A fresh copy on each call, so callers cannot edit it.
    const { plan } = planTransports(this._o, this._config, this._W);
    return { ...plan, history: [...(this._history ?? [])] };
  }

  reconnect(): void {
    if (this._closed) return;
    this._backoff?.reset();
    this._memory.failures = 0;
    this._memory.authRetried = false;
    if (this._gaveUp) {
      this._gaveUp = false;
      this._failure = undefined;
      this._status = 'connecting';
      this._events.emit('status', 'connecting');
      void this._run();
    } else if (this._attempt) this._attempt._end(manual);
    else this._wake?.();
  }

  close(): void {
    this._shutdown();
  }

  [Symbol.asyncIterator](): AsyncIterator<Message<T>> {
    const queues = this._queues ?? (this._queues = new Set());
    const queue = createMessageQueue<Message<T>>(this._o.buffer ?? {}, () => queues.delete(queue));
    if (this._status === 'closed') queue.end(this._failure);
    else queues.add(queue);
    return queue;
  }

  // --- Delivery (the hot path: per event) ---------------------------------------------------

  /**
   * One event from any transport: position and duplicates, then the `parse` option (or JSON.parse)
   * on SSE's data text (`text`) or on a JSON envelope's string data when `parse` is set, then
   * delivery.
   */
  _take(id: string | undefined, event: string, value: unknown, text: boolean): void {
    if (!this._accept(id, event)) return;
    let data = value as T;
    if (text || (this._o.parse && typeof value === 'string')) {
      try {
        data = this._parse(value as string);
      } catch (cause) {
        const transport = this._transport;
        this._report(new AnywireError('parse', `${transport}: event data is not valid: ${preview(value)}`, { cause, transport }));
        return;
      }
    }
    this._deliver(id || undefined, event, data);
  }

  /** Moves the position and drops duplicates; true when the event should be delivered. */
  _accept(id: string | undefined, event: string): boolean {
    if (event === RESERVED_GAP) {
      // The server cannot resume from our position: keeping it would only get us another gap.
      // Take the gap's id if it has one, else start over without a position.
      const from = this._lastEventId;
      this._lastEventId = id && isPortableId(id) ? id : undefined;
      this._dedupe = undefined;
      this._events.emit('gap', { lastEventId: from });
      if (this._codec) this._resync(new AnywireError('gap', 'the server cannot resume from the last event id; resyncing'));
      return false;
    }
    if (id) {
      if ((this._dedupe ?? (this._dedupe = createDedupeWindow())).seen(id)) return false;
    }
    if (id !== undefined) this._position(id);
    return true;
  }

  /**
   * Moves the resume position to `id`, unless it cannot travel back to the server (a `日本-1`, a
   * CR, 2 kB of text): then the event is still delivered and deduplicated, the position stays
   * where it was, and the first such id is reported as a `bad-id` error (docs/protocol.md).
   */
  _position(id: string): void {
    if (isPortableId(id)) this._lastEventId = id;
    else if (!this._badId) {
      this._badId = true;
      const transport = this._transport;
      const why = 'cannot be a Last-Event-ID (visible ASCII, at most 1024 characters)';
      this._report(
        new AnywireError('bad-id', `${transport}: event id ${preview(id)} ${why}; the position stays at ${this._lastEventId}`, {
          transport,
        }),
      );
    }
  }

  _deliver(id: string | undefined, event: string, data: T): void {
    const codec = this._codec;
    if (codec?.batch && event === 'delta') {
      if (!this._patch(codec, data)) return;
    } else if (codec || this._listeners || this._gs) {
      let next: S;
      try {
        next = nextState(codec, this._state, event, data);
      } catch (error) {
        // The state is unchanged; resync from a fresh snapshot (the loop backs off if it repeats).
        this._resync(error as AnywireError);
        return;
      }
      this._set(next);
    } else this._state = data as unknown as S; // no codec, nobody reads the store yet: just keep the latest
    // One shape for every message keeps the hot path monomorphic.
    const message = { event, data, id, transport: this._transport } as Message<T>;
    this._events.emit('message', message);
    const queues = this._queues;
    if (queues && queues.size > 0) for (const queue of queues) if (!queue.push(message)) this._dropped++;
  }

  /**
   * Applies a delta to this task's batch, opened on its first delta. Listeners hear of the result
   * once, on a microtask: after the SSE chunk, poll body or frames that arrived together. False
   * when the patch failed: the state is as after the previous one, and the subscription resyncs.
   */
  _patch(codec: DeltaCodec<S>, data: unknown): boolean {
    let batch = this._batch;
    if (!batch) {
      batch = this._batch = (codec as Required<DeltaCodec<S>>).batch(this._state);
      if (!this._due) {
        this._due = true;
        this._heard = this._state;
        queueMicrotask(() => this._publish());
      }
    }
    try {
      this._state = batch.apply(data);
      return true;
    } catch (error) {
      this._state = batch.seal();
      this._resync(deltaError(error));
      return false;
    }
  }

  /** The end of a task's deltas: listeners hear of the state once, if it changed. */
  _publish(): void {
    const heard = this._heard;
    this._due = false;
    this._heard = undefined;
    this._batch = undefined; // listeners will read the state: later deltas copy it
    if (!Object.is(heard, this._state)) this._notify();
  }

  _set(next: S): void {
    if (Object.is(next, this._state)) return; // a message that changes nothing notifies nobody
    this._state = next;
    this._batch = undefined; // a snapshot replaced the working copy: later deltas start from it
    if (!this._due) this._notify(); // else it joins this task's notification
  }

  _notify(): void {
    const listeners = this._listeners;
    if (listeners && listeners.size > 0) for (const fn of [...listeners]) fn();
  }

  // --- State changes and reports ------------------------------------------------------------

  _setStatus(next: Status): void {
    if (this._status === next || this._status === 'closed') return;
    this._status = next;
    this._events.emit('status', next);
  }

  _report(error: AnywireError): void {
    this._events.emit('error', error);
  }

  /**
   * A fatal error is never silent: with no `error` listener and no iterator to throw it into,
   * it goes to the console, once (docs/resilience.md). A listener turns this off.
   */
  _fatal(error: AnywireError): void {
    const queues = this._queues;
    const heard = queues !== undefined && queues.size > 0;
    if (queues) {
      for (const queue of queues) queue.end(error);
      queues.clear();
    }
    this._setStatus('closed');
    this._wakeSenders(); // a send() waiting for a socket fails now instead of hanging
    if (!heard && !this._events.has('error')) console.error(error);
    this._report(error);
  }

  _switch(name: TransportName, reason: string): void {
    (this._history ?? (this._history = [])).push({ from: this._transport, to: name, reason });
    this._transport = name;
  }

  _opened(channel: Channel | undefined): void {
    this._channel = channel;
    this._setStatus('open');
    this._wakeSenders();
  }

  _confirmed(attempt: Attempt): void {
    remember(this._key(), attempt._name, this._memory.index === 0);
    attempt._at = this._t.now();
    // On a fallback: after a healthy period, end this attempt to probe the preferred transport.
    if (this._memory.index > 0) attempt._probe = this._t.setTimeout(() => attempt._end(probing), HEALTHY_AFTER + this._probeAfter);
  }

  _wakeSenders(): void {
    const waiters = this._waiters;
    this._waiters = undefined;
    if (waiters) for (const wake of waiters) wake();
  }

  _nextOpen(): Promise<void> {
    return new Promise((resolve) => (this._waiters ?? (this._waiters = [])).push(resolve));
  }

  _headersNow(): Record<string, string> | Promise<Record<string, string>> {
    return this._headers ?? this._resolveHeaders('connect');
  }

  async _resolveHeaders(reason: HeadersReason): Promise<Record<string, string>> {
    const init = this._o.headers ?? {};
    this._headers = headerRecord(typeof init === 'function' ? await init(reason) : init);
    return this._headers;
  }

  _closeSignal(): AbortSignal {
    const closer = this._closer ?? (this._closer = new AbortController());
    if (this._closed) closer.abort();
    return closer.signal;
  }

  /** The endpoint key under which the transport that worked is remembered. */
  _key(): string {
    return `${this._chain.join()} ${endpointFor(this._o, this._chain[0] as TransportName).href}`;
  }

  // --- Lifecycle hints ----------------------------------------------------------------------

  _hidden(): boolean {
    return this._life.hidden();
  }

  /** Back online: retry now with a fresh schedule. An open connection is left alone. */
  _online(): void {
    this._backoff?.reset();
    this._memory.failures = 0;
    this._wake?.();
    this._attempt?._dog?.check();
  }

  /** Visible again after a long timer gap (sleep, background tab): is the connection alive? */
  _becameVisible(): void {
    this._attempt?._dog?.check();
    if (this._visible) for (const resume of [...this._visible]) resume();
  }

  _untilVisible(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this._life.hidden()) return resolve();
      const visible = this._visible ?? (this._visible = new Set());
      const done = (): void => {
        visible.delete(done);
        signal.removeEventListener('abort', done);
        if (signal.aborted) reject(signal.reason);
        else resolve();
      };
      visible.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  // --- The loop -----------------------------------------------------------------------------

  /** The loop; if it ever throws, it gives up with that error. */
  async _run(): Promise<void> {
    // A try around the loop rather than `.catch(closure)` on its promise: one closure less per
    // subscription.
    try {
      let reason: HeadersReason = 'connect';
      const memory = this._memory;
      const policy = this._o.reconnect ?? {};
      while (!this._closed) {
        const name = this._chain[memory.index] as TransportName;
        // One attempt, inline rather than in an async helper: an idle subscription then waits in
        // one suspended function instead of two (about 300 bytes of heap less).
        let attempt: Attempt | undefined;
        let error: AnywireError | undefined;
        try {
          const headers = await this._resolveHeaders(reason);
          if (this._closed) throw manual;
          const budget = this._budget === false ? false : silenceBudget(name, this._budget, this._poll);
          attempt = new Attempt(this, name, headers, budget);
          this._attempt = attempt;
          await (this._transports.find((t) => t.name === name) as Transport).connect(attempt);
        } catch (caught) {
          error = toError(caught, name);
        } finally {
          attempt?._end();
          this._attempt = undefined;
          this._channel = undefined;
        }
        const confirmed = attempt?._confirmed === true;
        // Stayed up long enough: the attempt counter and the backoff start over (not on the
        // first byte, so a server that accepts and drops at once is still backed off from).
        const healthy = confirmed && this._t.now() - (attempt as Attempt)._at >= HEALTHY_AFTER;
        if (this._closed) return;
        reason = 'reconnect';
        if (error === manual) continue;
        if (error === probing) {
          memory.probe = memory.index;
          memory.index = 0;
          this._switch(
            this._chain[0] as TransportName,
            `healthy ${this._probeAfter / 1000} s on a fallback: probing the preferred transport`,
          );
          continue;
        }
        if (healthy) {
          this._backoff?.reset();
          memory.failures = 0;
        }
        const wasProbe = memory.probe;
        const step = nextStep({ error, confirmed }, memory, {
          policy,
          refreshableHeaders: typeof this._o.headers === 'function',
          serverRetry: this._retryHint,
          backoff: () => (this._backoff ?? (this._backoff = createBackoff(policy || undefined, this._o.random))).next(),
          websocket: this._chain.indexOf('websocket'),
        });
        if (step.kind === 'close') {
          // The attempt's own error is reported once, by giveUp, after the status is 'closed'.
          if (error && error !== step.error) this._report(error);
          return this._giveUp(step.error);
        }
        if (error && error.code !== 'gap') this._report(error);
        if (wasProbe !== undefined) {
          this._probeAfter = step.switchTo === wasProbe ? Math.min(this._probeAfter * 2, MAX_PROBE_AFTER) : PROBE_AFTER;
        }
        if (step.switchTo !== undefined) {
          memory.index = step.switchTo;
          this._switch(this._chain[step.switchTo] as TransportName, step.why ?? 'failed to open');
        }
        this._setStatus('reconnecting');
        reason = step.headers;
        if (step.delay > 0) await this._sleep(step.delay);
      }
    } catch (error) {
      this._giveUp(toError(error, this._transport));
    }
  }

  /** Waits out a backoff delay; offline, also waits for `online` (at most one more capped delay). */
  async _sleep(ms: number): Promise<void> {
    await this._nap(ms);
    // Retrying while the page says it is offline wastes attempts; but navigator.onLine can be
    // wrong, so this pause is bounded.
    const policy = this._o.reconnect;
    if (this._life.offline() && !this._closed) await this._nap((policy || undefined)?.maxDelay || DEFAULT_RECONNECT.maxDelay);
  }

  /** A timer the loop can be woken from early (reconnect(), `online`, close()). */
  _nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this._t.setTimeout(() => wake(), ms);
      const wake = (): void => {
        this._t.clearTimeout(handle);
        this._wake = undefined;
        resolve();
      };
      this._wake = wake;
    });
  }

  /** Drops the resume position and reconnects, reporting `error` (a failed delta, or a gap). */
  _resync(error: AnywireError): void {
    // A resync starts over: the fresh snapshot may reuse an id seen before the failure.
    this._lastEventId = undefined;
    this._dedupe = undefined;
    this._batch = undefined;
    this._attempt?._end(error);
  }

  /** The loop gave up (fatal error or max attempts). Not final: reconnect() may revive it. */
  _giveUp(error: AnywireError): void {
    this._gaveUp = true;
    // Iterators end with the reason; listeners stay. The status turns 'closed' before the
    // error is reported, so an error listener can tell a fatal error from a recoverable one.
    this._failure = error;
    this._fatal(error);
  }

  /** The one teardown path: final, idempotent, leaves no timer, socket or listener behind. */
  _shutdown(error?: AnywireError): void {
    if (this._closed) return;
    this._closed = true;
    this._failure = error ?? this._failure;
    this._attempt?._end();
    this._wake?.();
    this._closer?.abort();
    this._life.stop();
    if (this._onAbort) this._o.signal?.removeEventListener('abort', this._onAbort);
    this._channel = undefined;
    if (error) this._fatal(error);
    else {
      const queues = this._queues;
      if (queues) for (const queue of queues) queue.end();
      this._queues = undefined;
      this._setStatus('closed');
      this._wakeSenders();
    }
    this._events.clear();
    this._listeners = undefined;
    this._batch = undefined;
  }
}

function toError(error: unknown, transport: TransportName): AnywireError {
  if (isAnywireError(error)) return error;
  return new AnywireError('network', `${transport}: ${String(error)}`, { cause: error, transport });
}
