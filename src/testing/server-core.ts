import { defaultTimers, type Timers } from '../core/timers.js';
import type { TransportName } from '../core/types.js';
import type { Answer, Conn, Outlet } from './connection.js';
import { type ConnectionLog, createConnectionLog } from './connection-log.js';
import { createEventLog, type EventLog } from './event-log.js';
import { decide, type ServerState, statusOf } from './server-state.js';
import type { ClientMessage, MockServerOptions } from './types.js';
import type { WireEvent } from './wire.js';

export type { Answer, Conn, Drop, Outlet } from './connection.js';

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
