import type { TransportName } from '../core/types.js';
import type { Answer, Conn } from './connection.js';

/**
 * A status the test asked for with `fail()`, and how many requests it has left.
 *
 * @example
 * state.failures.push({ status: 503, retryAfter: '2', remaining: 1, transport: undefined, websocket: 'upgrade' });
 */
export interface Failure {
  status: number;
  retryAfter: string | undefined;
  remaining: number;
  transport: TransportName | undefined;
  websocket: 'upgrade' | 'close-code';
}

/**
 * Everything the test has done to the server that decides how it answers.
 *
 * @example
 * state.silent = true; // every new request hangs
 */
export interface ServerState {
  /** Connections neither side has ended. */
  readonly open: Set<Conn>;
  /** Refused transports, counted (each `refuse()` is undone on its own). */
  readonly refused: Map<TransportName, number>;
  readonly failures: Failure[];
  /** The state resyncing clients get, once `snapshot()` or `delta(_, state)` set one. */
  current: { value: unknown } | undefined;
  silent: boolean;
  closed: boolean;
}

/**
 * A server nobody has touched yet.
 *
 * @example
 * const state = createServerState();
 */
export const createServerState = (): ServerState => ({
  open: new Set(),
  refused: new Map(),
  failures: [],
  current: undefined,
  silent: false,
  closed: false,
});

/**
 * How the server answers one request or upgrade, in order of precedence: closed, half-open,
 * refused transport, a pending `fail()`, a pending drop (polls), else served. Spends what it uses
 * (a failure's count, a pending drop).
 *
 * @example
 * decide(state, 'sse', conn); // { kind: 'serve' } on an untouched server
 */
export function decide(state: ServerState, transport: TransportName, conn: Conn): Answer {
  if (state.closed) return { kind: 'refuse' };
  if (state.silent || conn.blackholed) {
    conn.blackholed = true;
    return { kind: 'silent' };
  }
  // What gets past a blocking proxy: nothing. A socket is closed before it opens; an HTTP
  // request is swallowed, as by a buffering proxy (the client counts both as transport failures).
  if (state.refused.get(transport)) return transport === 'websocket' ? { kind: 'refuse' } : { kind: 'swallow' };
  const failure = state.failures.find((f) => f.remaining > 0 && (f.transport === undefined || f.transport === transport));
  if (failure) {
    failure.remaining--;
    const { status, retryAfter, websocket } = failure;
    return retryAfter === undefined ? { kind: 'status', status, websocket } : { kind: 'status', status, retryAfter, websocket };
  }
  const pending = conn.pending;
  conn.pending = undefined;
  return pending ? { kind: 'drop', drop: pending } : { kind: 'serve' };
}

/**
 * What the client sees first: 101 for an accepted socket, 200 for a request served (headers go out at once, even before a cut body).
 *
 * @example
 * statusOf({ kind: 'serve' }, 'websocket'); // 101
 */
export function statusOf(answer: Answer, transport: TransportName): number | undefined {
  if (answer.kind === 'status') return answer.status;
  if (answer.kind === 'serve') return transport === 'websocket' ? 101 : 200;
  return answer.kind === 'drop' && answer.drop.cut ? 200 : undefined;
}
