import { defaultTimers, type Timers } from '../timers.js';
import type { TransportName } from '../types.js';
import { type ConnectionLog, type ConnectionRecord, createConnectionLog } from './connection-log.js';
import { createEventLog, type EventLog } from './event-log.js';
import { decide, type ServerState, statusOf } from './server-state.js';
import type { ClientMessage, MockServerOptions } from './types.js';
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

/**
 * What the front doors (HTTP, WebSocket) need from the server.
 *
 * @example
 * const { conn, kind } = core.admit('long-poll', url, '4', headers);
 */
export interface ServerCore {
  readonly url: URL;
  readonly timers: Timers;
  readonly keepalive: number | false;
  readonly pong: boolean;
  readonly connections: ConnectionLog;
  readonly log: EventLog;
  readonly received: ClientMessage[];
  /** True after close(): everything is refused. */
  readonly closed: boolean;
  /** Half-open mode is on. */
  readonly silent: boolean;
  /**
   * Registers one request or upgrade and decides its answer. `conn` continues a connection
   * (a poll request with the same signal); otherwise a new one is made.
   */
  admit(
    transport: TransportName,
    url: string,
    lastEventId: string | undefined,
    headers: Record<string, string>,
    conn?: Conn,
  ): Answer & { conn: Conn };
  /** The events a connection resuming from `lastEventId` starts with. */
  backlog(lastEventId: string | undefined): WireEvent[];
  /** The connection can now receive events through `outlet`. */
  attach(conn: Conn, outlet: Outlet): void;
  /** The connection no longer receives events (a held long poll was answered), but stays open. */
  detach(conn: Conn): void;
  /** The connection is over. Idempotent. */
  end(conn: Conn): void;
  /** Records a client message. */
  receive(message: ClientMessage): void;
}

/**
 * The protocol-independent server that the front doors (http-handler.ts, socket-session.ts) talk
 * to: it registers connections, decides answers, keeps the log. The test's controls act on the
 * same `state` (server-controls.ts).
 *
 * @example
 * const state = createServerState();
 * const core = createServerCore(new URL('https://anywire.test/stream'), {}, state);
 */
export function createServerCore(url: URL, options: MockServerOptions, state: ServerState): ServerCore {
  const log = createEventLog(options.retain ?? 10_000);
  const connections = createConnectionLog();
  const received: ClientMessage[] = [];
  const { open } = state;
  const current = (): (() => unknown) | undefined => options.snapshot ?? (state.current ? () => state.current?.value : undefined);

  const end = (conn: Conn): void => {
    conn.outlet?.dispose();
    conn.outlet = undefined;
    conn.record.open = false;
    open.delete(conn);
  };

  return {
    url,
    timers: options.timers ?? defaultTimers,
    keepalive: options.keepalive ?? 15_000,
    pong: options.pong ?? true,
    connections,
    log,
    received,
    get closed() {
      return state.closed;
    },
    get silent() {
      return state.silent;
    },
    admit(transport, requestUrl, lastEventId, headers, existing) {
      const conn: Conn = existing ?? {
        record: connections.create(transport, requestUrl, lastEventId, headers),
        outlet: undefined,
        pending: undefined,
        blackholed: false,
      };
      const answer = decide(state, transport, conn);
      const status = statusOf(answer, transport);
      if (transport !== 'websocket') conn.record.requests.push({ lastEventId, headers, status });
      if (!existing) {
        conn.record.status = status;
        connections.add(conn.record);
      }
      if (answer.kind === 'serve' || answer.kind === 'silent' || answer.kind === 'swallow') {
        conn.record.open = true;
        open.add(conn);
      } else end(conn);
      return { ...answer, conn };
    },
    backlog: (lastEventId) => log.backlog(lastEventId, current()),
    attach(conn, outlet) {
      conn.outlet = outlet;
    },
    detach(conn) {
      conn.outlet = undefined;
    },
    end,
    receive: (message) => void received.push(message),
  };
}
