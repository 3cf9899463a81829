// The connection types the mock server's core and its state machine share (one file, so neither
// imports the other).
import type { ConnectionRecord } from './connection-log.js';
import type { WireEvent } from './wire.js';

/**
 * How an open connection ends when the test drops it.
 *
 * @example
 * outlet.end({ clean: false, cut: core.log.append(42, 'message') });
 */
export interface Drop {
  /** End cleanly rather than break. */
  readonly clean: boolean;
  /** Break while writing this event (already logged). */
  readonly cut?: WireEvent | undefined;
}

/**
 * The writing end of one open connection, supplied by the transport's front door.
 *
 * @example
 * core.attach(conn, { push: (e) => pipe.write(sseEvent(e)), end: () => pipe.fail(), dispose: () => {} });
 */
export interface Outlet {
  /** Writes one event. */
  push(e: WireEvent): void;
  /** Ends the connection as the test asked. */
  end(drop: Drop): void;
  /** The connection ended (either side): release timers. Idempotent. */
  dispose(): void;
}

/**
 * The mock's decision for one request or upgrade.
 *
 * @example
 * const answer = core.admit('sse', url, undefined, headers);
 * if (answer.kind === 'status') return new Response(null, { status: answer.status });
 */
export type Answer =
  | { readonly kind: 'serve' }
  | { readonly kind: 'silent' }
  | { readonly kind: 'swallow' }
  | { readonly kind: 'refuse' }
  | { readonly kind: 'drop'; readonly drop: Drop }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly websocket: 'upgrade' | 'close-code' };

/**
 * One connection as the core tracks it.
 *
 * @example
 * if (!conn.blackholed) conn.outlet?.push(event);
 */
export interface Conn {
  readonly record: ConnectionRecord;
  outlet: Outlet | undefined;
  /** Polls: a drop that lands on the connection's next request. */
  pending: Drop | undefined;
  /** Half-open: nothing more reaches the client on it, ever. */
  blackholed: boolean;
}
