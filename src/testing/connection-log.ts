import type { TransportName } from '../core/types.js';
import type { MockConnection, MockRequest } from './types.js';

/**
 * The mock's own, writable view of a connection; tests see it as a read-only {@link MockConnection}.
 *
 * @example
 * record.open = false; // the connection ended; tests see it through MockConnection
 */
export interface ConnectionRecord extends MockConnection {
  status: number | undefined;
  open: boolean;
  readonly requests: MockRequest[];
  readonly frames: string[];
}

/**
 * Every connection, in order, plus the `nextConnection()` cursor.
 *
 * @example
 * const log = createConnectionLog();
 * log.add(log.create('sse', url, undefined, {}));
 * await log.next(); // generation 1
 */
export interface ConnectionLog {
  readonly all: readonly ConnectionRecord[];
  /** A new record with the next generation, not yet added. */
  create(transport: TransportName, url: string, lastEventId: string | undefined, headers: Record<string, string>): ConnectionRecord;
  /** Adds a record once the mock has decided its answer, and wakes a waiting `nextConnection()`. */
  add(record: ConnectionRecord): void;
  /** The connection after the last one handed out, now or once it is made. */
  next(): Promise<MockConnection>;
  /** Rejects every pending `next()`: no connection will come. */
  stop(reason: Error): void;
}

/**
 * Creates a {@link ConnectionLog}. `next()` is a cursor, not an event: the k-th call resolves with
 * generation k whether that connection was made before the call or after, so awaiting it never
 * races the client, and it needs no timer.
 *
 * @example
 * const log = createConnectionLog();
 * const first = log.next(); // pending until a connection is added
 * log.add(log.create('poll', url, '3', { accept: 'application/json' }));
 * (await first).generation; // 1
 */
export function createConnectionLog(): ConnectionLog {
  const all: ConnectionRecord[] = [];
  const waiters = new Map<number, { resolve: (c: MockConnection) => void; reject: (e: Error) => void }>();
  let created = 0;
  let cursor = 0;
  let stopped: Error | undefined;
  return {
    all,
    create: (transport, url, lastEventId, headers) => ({
      generation: ++created,
      transport,
      url,
      lastEventId,
      headers,
      requests: [],
      frames: [],
      status: undefined,
      open: false,
    }),
    add(record) {
      all.push(record);
      const index = all.length - 1;
      waiters.get(index)?.resolve(record);
      waiters.delete(index);
    },
    next() {
      const index = cursor++;
      const found = all[index];
      if (found) return Promise.resolve(found);
      if (stopped) return Promise.reject(stopped);
      return new Promise((resolve, reject) => waiters.set(index, { resolve, reject }));
    },
    stop(reason) {
      stopped = reason;
      for (const waiter of waiters.values()) waiter.reject(reason);
      waiters.clear();
    },
  };
}
