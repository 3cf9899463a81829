import { AnywireError, type ConnectContext, type Transport, type TransportName } from '../../src/index.js';

/** One connection as a scripted transport sees it. */
export interface ScriptedConnection {
  ctx: ConnectContext;
  /** Settles the connection: cleanly, or with an error. */
  end(error?: unknown): void;
  /** Opens it and sends a first frame (confirms it). */
  open(): void;
}

/**
 * A transport whose connections a test drives by hand: every `connect()` is recorded and stays
 * pending until the test opens, feeds and ends it. No I/O, no timers: fully deterministic.
 */
export function scripted(name: TransportName): Transport & { connections: ScriptedConnection[]; last(): ScriptedConnection } {
  const connections: ScriptedConnection[] = [];
  return {
    name,
    connections,
    last: () => connections[connections.length - 1] as ScriptedConnection,
    connect(ctx) {
      return new Promise<void>((resolve, reject) => {
        const end = (error?: unknown): void => (error === undefined ? resolve() : reject(error));
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        connections.push({
          ctx,
          end,
          open: () => {
            ctx.onOpen();
            ctx.onActivity();
          },
        });
      });
    },
  };
}

export const networkError = (): AnywireError => new AnywireError('network', 'refused');
/** A transport that does not get through (counts towards fallback). */
export const refusedError = (): AnywireError => new AnywireError('closed-before-open', 'refused upgrade');
export const httpError = (status: number, retryAfter?: number): AnywireError =>
  new AnywireError('http-status', `status ${status}`, { status, retryAfter });
