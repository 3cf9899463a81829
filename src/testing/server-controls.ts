import type { TransportName } from '../core/types.js';
import type { Drop, ServerCore } from './server-core.js';
import type { ServerState } from './server-state.js';
import type { DropOptions, FailOptions } from './types.js';

/**
 * The test's side of the server, which `createMockServer()` exposes.
 *
 * @example
 * controls.fail(503, { retryAfter: 2 });
 */
export interface ServerControls {
  emit(data: unknown, event: string): string;
  setState(state: unknown): void;
  fail(status: number, options: FailOptions): void;
  drop(options: DropOptions): void;
  silent(): () => void;
  refuse(transport: TransportName): () => void;
  close(): void;
}

/**
 * Creates the controls that act on `state` and on the open connections of `core`.
 *
 * @example
 * const controls = createServerControls(core, state);
 * controls.emit({ n: 1 }, 'message'); // '1', written to every open connection
 */
export function createServerControls(core: ServerCore, state: ServerState): ServerControls {
  return {
    emit(data, event) {
      const stored = core.log.append(data, event);
      for (const conn of [...state.open]) if (!conn.blackholed) conn.outlet?.push(stored);
      return stored.id;
    },
    setState(value) {
      state.current = { value };
    },
    fail(status, { retryAfter, times = 1, transport, websocket = 'upgrade' }) {
      state.failures.push({
        status,
        retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
        remaining: times,
        transport,
        websocket,
      });
    },
    drop({ clean = false, midEvent }) {
      const cut = midEvent ? core.log.append(midEvent.data, midEvent.event ?? 'message') : undefined;
      const drop: Drop = { clean, cut };
      for (const conn of [...state.open]) {
        if (conn.blackholed) continue; // half-open: not even the break reaches the client
        if (conn.outlet) conn.outlet.end(drop);
        else if (!clean) conn.pending = drop; // a poll between requests: its next request breaks
      }
    },
    silent() {
      state.silent = true;
      for (const conn of state.open) conn.blackholed = true;
      return () => {
        state.silent = false;
      };
    },
    refuse(transport) {
      const { refused } = state;
      refused.set(transport, (refused.get(transport) ?? 0) + 1);
      let undone = false;
      return () => {
        if (undone) return;
        undone = true;
        refused.set(transport, (refused.get(transport) ?? 1) - 1);
      };
    },
    close() {
      if (state.closed) return;
      state.closed = true;
      for (const conn of [...state.open]) {
        conn.outlet?.end({ clean: false });
        core.end(conn);
      }
      core.connections.stop(new Error('[anywire/testing] the mock server was closed before this connection was made'));
    },
  };
}
