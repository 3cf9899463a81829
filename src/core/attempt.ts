import { endpointFor } from '../policy/plan.js';
import { Watchdog } from '../policy/watchdog.js';
import type { Channel, OwnContext } from '../transports/transport.js';
import { AnywireError } from './errors.js';
import { DEFAULT_MAX_EVENT_SIZE, HIDDEN_SLOWDOWN } from './options.js';
import { delay } from './timers.js';
import type { TransportName } from './types.js';

/** What one attempt needs from its subscription: read at connect time, called per event. */
export interface AttemptHost {
  /** The subscription's options that a transport reads. */
  readonly _o: import('./options.js').SubscribeOptions<unknown, unknown>;
  readonly _t: import('./timers.js').Timers;
  readonly _f: import('./types.js').FetchLike;
  readonly _W: import('./types.js').WebSocketConstructor | undefined;
  readonly _poll: number;
  readonly _hold: number;
  _lastEventId: string | undefined;
  /** An event: `text` is SSE's data text, to parse; else a JSON envelope's data. */
  _take(id: string | undefined, event: string, value: unknown, text: boolean): void;
  _position(id: string): void;
  _opened(channel: Channel | undefined): void;
  _confirmed(attempt: Attempt): void;
  _report(error: AnywireError): void;
  _retryHint: number | undefined;
  /** The page is hidden (a lifecycle hint; false outside browsers). */
  _hidden(): boolean;
  /** Resolves when the page is visible again, or rejects when `signal` aborts. */
  _untilVisible(signal: AbortSignal): Promise<void>;
}

/**
 * One connection attempt, and the {@link ConnectContext} its transport sees. Its plain values are
 * prototype getters over the subscription (nothing per attempt). Once the attempt is aborted (resync, heartbeat, close),
 * nothing more of it is delivered, not even the rest of a chunk already being parsed.
 */
export class Attempt implements OwnContext {
  /**
   * Made when a transport first reads `signal` (fetch needs one); anywire's WebSocket and
   * node:http transports register `_onEnd` instead. An AbortController costs about 0.6 kB of heap
   * on Node (its signal is an EventTarget with a shape of its own), as much as the rest of an
   * idle attempt.
   */
  _c: AbortController | undefined = undefined;
  /** What an own transport runs when the attempt ends (one slot: the transport's current stage). */
  _stop: ((reason: unknown) => void) | undefined = undefined;
  /** A plain flag for the per-event checks: cheaper than the AbortSignal getter. */
  _live = true;
  /** Why the attempt ended, once it has. */
  _reason: unknown = undefined;
  _opened = false;
  _confirmed = false;
  /** A poll paused in a hidden page is silent on purpose. */
  _paused = false;
  _dog: Watchdog | undefined = undefined;
  /** When the attempt was confirmed (its first byte or frame after opening), by the timers' clock. */
  _at = 0;
  /** On a fallback: the timer that ends a healthy attempt to probe the preferred transport. */
  _probe: unknown = undefined;
  /** The public callbacks, bound when a transport first reads one. */
  _b: Map<unknown, unknown> | undefined = undefined;

  readonly _h: AttemptHost;
  readonly _name: TransportName;
  readonly headers: Record<string, string>;

  // Plain fields, not TypeScript parameter properties: see watchdog.ts.
  constructor(host: AttemptHost, name: TransportName, headers: Record<string, string>, budget: number | false) {
    this._h = host;
    this._name = name;
    this.headers = headers;
    if (budget !== false) this._dog = new Watchdog(host._t, budget, this);
  }

  /** The watchdog's call: nothing arrived for the silence budget (a paused poll is silent on purpose). */
  _silent(): boolean | undefined {
    if (this._paused) return true;
    const code = this._confirmed ? 'heartbeat-timeout' : 'first-frame-timeout';
    const name = this._name;
    this._end(new AnywireError(code, `${name}: nothing arrived for ${this._dog?._timeout} ms; resuming`, { transport: name }));
    return undefined;
  }

  /** Aborted when this attempt ends, for whatever reason (with that reason). */
  get signal(): AbortSignal {
    let controller = this._c;
    if (!controller) {
      controller = this._c = new AbortController();
      if (!this._live) controller.abort(this._reason);
    }
    return controller.signal;
  }

  /**
   * Own transports: runs `fn` with the reason when the attempt ends, at once if it has (replacing
   * what an earlier stage registered; `undefined` clears it). No listener, no AbortController.
   */
  _onEnd(fn: ((reason: unknown) => void) | undefined): void {
    if (this._live) this._stop = fn;
    else fn?.(this._reason);
  }

  // The ConnectContext's plain values, read from the subscription (prototype getters: nothing
  // per attempt). A transport reads each once per connection or request.
  /** Made on each read (a transport reads it once per connection or request): nothing kept per attempt. */
  get url(): URL {
    return endpointFor(this._h._o, this._name);
  }
  get fetch() {
    return this._h._f;
  }
  get WebSocket() {
    return this._h._W;
  }
  get timers() {
    return this._h._t;
  }
  get hold(): number {
    return this._h._hold;
  }
  get pollInterval(): number {
    return this._h._poll;
  }
  get pingInterval(): number | false {
    const heartbeat = this._h._o.heartbeat;
    return heartbeat === false ? false : (heartbeat?.interval ?? 15_000);
  }
  get maxEventSize(): number {
    return this._h._o.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  }
  get frame() {
    return this._h._o.frame;
  }

  // The callbacks, as prototype methods: anywire's own transports call them on the attempt
  // (`OwnContext`), so an attempt holds no closure for them. A transport written against the
  // public `ConnectContext` may hand them on unbound (`{ onEvent: ctx.onText }`), as transports
  // written against 0.1 do: the public names are getters that bind on first use.

  _last(): string | undefined {
    return this._h._lastEventId;
  }

  async _pause(ms: number): Promise<void> {
    this._paused = true;
    try {
      const mode = this._h._o.whenHidden ?? 'keep';
      await delay(this._h._t, this._h._hidden() && mode === 'slow' ? ms * HIDDEN_SLOWDOWN : ms, this.signal);
      if (mode === 'pause') await this._h._untilVisible(this.signal);
    } finally {
      this._paused = false;
      this._dog?.touch();
    }
  }

  _open(channel?: Channel): void {
    this._opened = true;
    this._h._opened(channel);
  }

  _act(): void {
    this._dog?.touch();
    if (this._opened && !this._confirmed) {
      this._confirmed = true;
      this._h._confirmed(this);
    }
  }

  /** An SSE event (the {@link SseHandlers} method: the SSE parser calls it on the attempt). */
  onEvent(id: string | undefined, event: string, text: string): void {
    if (this._live) this._h._take(id, event, text, true);
  }

  _value(id: string | undefined, event: string, value: unknown): void {
    if (this._live) this._h._take(id, event, value, false);
  }

  _position(id: string): void {
    if (this._live) this._h._position(id);
  }

  _retry(ms: number): void {
    this._h._retryHint = ms;
  }

  _error(error: Error): void {
    if (this._live) this._h._report(error as AnywireError);
  }

  /** `fn` bound to this attempt, made once. */
  _bind<F extends (...args: never[]) => unknown>(fn: F): F {
    const bound = this._b ?? (this._b = new Map());
    let f = bound.get(fn);
    if (!f) bound.set(fn, (f = fn.bind(this)));
    return f as F;
  }

  get lastEventId(): () => string | undefined {
    return this._bind(this._last);
  }
  get pause(): (ms: number) => Promise<void> {
    return this._bind(this._pause);
  }
  get onOpen(): (channel?: Channel) => void {
    return this._bind(this._open);
  }
  get onActivity(): () => void {
    return this._bind(this._act);
  }
  get onText(): (id: string | undefined, event: string, text: string) => void {
    return this._bind(this.onEvent);
  }
  get onValue(): (id: string | undefined, event: string, value: unknown) => void {
    return this._bind(this._value);
  }
  get onPosition(): (id: string) => void {
    return this._bind(this._position);
  }
  get onRetry(): (ms: number) => void {
    return this._bind(this._retry);
  }
  get onError(): (error: Error) => void {
    return this._bind(this._error);
  }

  /** Ends the attempt: no more deliveries, no timer left, the transport's signal aborted. */
  _end(reason?: unknown): void {
    if (!this._live) return;
    this._live = false;
    this._reason = reason;
    this._dog?.stop();
    // Like the WebSocket's ping timer, an unset handle is cleared as is: a no-op for every timers.
    this._h._t.clearTimeout(this._probe);
    const stop = this._stop;
    this._stop = undefined;
    stop?.(reason);
    this._c?.abort(reason);
  }
}
