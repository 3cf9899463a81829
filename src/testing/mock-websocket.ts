import type { WebSocketConstructor, WebSocketLike } from '../core/types.js';
import type { ServerCore } from './server-core.js';
import { openSocketSession, type SocketPeer, type SocketSession } from './socket-session.js';
import { serves } from './url.js';

/** What a refused upgrade shows, in the shape the 'ws' package passes to `unexpected-response`. */
interface UpgradeResponse {
  statusCode: number;
  headers: Record<string, string>;
}

type Handler<E> = ((ev: E) => void) | null;
/** A listener of the 'ws' package's EventEmitter side; its arguments depend on the event. */
type NodeListener = (...args: never[]) => void;

/**
 * Runs `fn` after the current task's synchronous code, as a browser's socket events arrive.
 * A promise job rather than `queueMicrotask`: jest's default fake timers fake `queueMicrotask`,
 * and an event that waited for the clock would break "no timers needed".
 */
const later = (fn: () => void): void => void Promise.resolve().then(fn);

/**
 * Builds the mock's `WebSocket` class for one server. It behaves like the browser's (readyState,
 * `on*` handlers, `addEventListener`, `send` throwing while CONNECTING), dispatches every event as
 * a promise job, never with a timer, and also speaks the 'ws' package's side, as anywire sees it on
 * Node: handshake headers from the third constructor argument, and `on` / `off` listeners
 * (`open`, `message` with `(data, isBinary)`, `close`, `error`, and `unexpected-response`, so a
 * refused upgrade's status and Retry-After reach the client).
 *
 * @example
 * const WebSocket = mockWebSocketClass(core);
 * subscribe({ url: core.url.href, WebSocket, transport: 'websocket' });
 */
export function mockWebSocketClass(core: ServerCore): WebSocketConstructor {
  return class MockWebSocket extends EventTarget implements WebSocketLike {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    readonly url: string;
    readonly protocol = '';
    readonly extensions = '';
    readonly bufferedAmount = 0;
    binaryType = 'blob';
    readyState = 0;
    onopen: Handler<unknown> = null;
    onmessage: Handler<{ data: unknown }> = null;
    onclose: Handler<{ code: number; reason: string }> = null;
    onerror: Handler<unknown> = null;
    readonly #listeners = new Map<string, Set<NodeListener>>();
    readonly #session: SocketSession;

    constructor(url: string | URL, _protocols?: string | string[], options?: { headers?: Record<string, string> }) {
      super();
      if (!serves(core.url, url)) {
        throw new SyntaxError(
          `[anywire/testing] ${String(url)} is not served by this mock server (${core.url.href}): point the subscription at server.url`,
        );
      }
      this.url = new URL(url).href;
      // Headers as the 'ws' package sends them with the handshake (a browser would drop them).
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name.toLowerCase()] = value;
      this.#session = openSocketSession(core, new URL(url), headers, this.#peer());
    }

    send(data: string): void {
      if (this.readyState === 0)
        throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
      // [WHATWG WebSockets] sending on a closing or closed socket is silently discarded.
      if (this.readyState === 1) this.#session.receive(String(data));
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState >= 2) return;
      const opened = this.readyState === 1;
      this.readyState = 2;
      this.#session.closed();
      later(() => this.#closed(opened ? code : 1006, opened ? reason : '', opened));
    }

    /** The 'ws' package's EventEmitter side: anywire reads `message` and `unexpected-response` through it on Node. */
    on(event: string, listener: NodeListener): this {
      let set = this.#listeners.get(event);
      if (!set) this.#listeners.set(event, (set = new Set()));
      set.add(listener);
      return this;
    }

    /** Removes a listener added with {@link MockWebSocket.on}. */
    off(event: string, listener: NodeListener): this {
      this.#listeners.get(event)?.delete(listener);
      return this;
    }

    /** Calls the 'ws'-style listeners of `event`; false when there were none. */
    #emit(event: string, ...args: unknown[]): boolean {
      const set = this.#listeners.get(event);
      if (!set?.size) return false;
      for (const listener of [...set]) (listener as (...a: unknown[]) => void)(...args);
      return true;
    }

    /** Dispatches an event both ways: the browser's (`on*` and `addEventListener`) and ws's (`on`). */
    #fire(type: 'open' | 'message' | 'close' | 'error', props: Record<string, unknown>, args: unknown[]): void {
      const event = Object.assign(new Event(type), props);
      const handler = type === 'open' ? this.onopen : type === 'message' ? this.onmessage : type === 'close' ? this.onclose : this.onerror;
      (handler as ((ev: Event) => void) | null)?.call(this, event);
      this.dispatchEvent(event);
      this.#emit(type, ...args);
    }

    #closed(code: number, reason: string, wasClean: boolean): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      if (!wasClean) this.#fire('error', {}, [new Error('[anywire/testing] the mock server dropped the connection')]);
      this.#fire('close', { code, reason, wasClean }, [code, reason]);
    }

    #peer(): SocketPeer {
      return {
        accept: () =>
          later(() => {
            if (this.readyState !== 0) return;
            this.readyState = 1;
            this.#fire('open', {}, []);
          }),
        // ws hands text frames over as `(data, false)`; a string stands in for its Buffer.
        send: (frame) => later(() => this.readyState === 1 && this.#fire('message', { data: frame }, [frame, false])),
        close: (code, reason) =>
          later(() => {
            if (this.readyState === 3) return;
            this.#session.closed();
            this.#closed(code, reason, true);
          }),
        abort: () =>
          later(() => {
            this.#session.closed();
            this.#closed(1006, '', false);
          }),
        refuse: (statusCode, headers) =>
          later(() => {
            this.#session.closed();
            const response: UpgradeResponse = { statusCode, headers };
            if (this.#listeners.get('unexpected-response')?.size) {
              this.readyState = 3;
              this.#emit('unexpected-response', undefined, response);
            } else this.#closed(1006, '', false); // a browser sees only this
          }),
      };
    }
  };
}
