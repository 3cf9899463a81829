import { AnywireError } from '../errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { WebSocketLike } from '../types.js';
import { deliverEnvelope, preview } from './envelope.js';
import type { ConnectContext, Transport } from './transport.js';

const PING = '{"event":"ping"}';
const PONG = '{"event":"pong"}';

/**
 * WebSocket: each text frame is one JSON event `{ id?, event?, data }`; resume with a
 * `lastEventId` query parameter; `{"event":"ping"}` / `{"event":"pong"}` heartbeats, any frame
 * counting as liveness. A close code 4000–4999 carries an HTTP status (4401 → 401), so servers
 * can refuse a socket as fatally as a request (docs/protocol.md).
 */
export const websocket: Transport = {
  name: 'websocket',
  connect(ctx: ConnectContext): Promise<void> {
    const Ctor = ctx.WebSocket;
    if (!Ctor) {
      return Promise.reject(
        new AnywireError('unsupported-transport', "websocket: no WebSocket in this runtime; on Node 20 pass `WebSocket` from 'ws'", {
          transport: 'websocket',
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const url = new URL(ctx.url);
      const position = ctx.lastEventId();
      if (position) url.searchParams.set('lastEventId', position);
      let socket: WebSocketLike;
      try {
        // Headers travel only where the constructor takes ws's third `options` argument (Node);
        // browsers cannot set WebSocket headers and ignore it: put tokens in the URL or a cookie.
        socket = new Ctor(url.href, undefined, { headers: ctx.headers });
      } catch (cause) {
        return reject(new AnywireError('network', `websocket: cannot connect to ${url.href}`, { cause, transport: 'websocket' }));
      }
      let opened = false;
      let pinger: unknown;
      const ping = (): void => {
        if (ctx.pingInterval === false) return;
        socket.send(PING);
        pinger = ctx.timers.setTimeout(ping, ctx.pingInterval);
      };
      // The one teardown path: detach every handler at once (a half-open socket never gets to
      // fire late), stop pinging, and drop the socket without waiting for a close handshake.
      const finish = (error?: unknown): void => {
        ctx.timers.clearTimeout(pinger);
        ctx.signal.removeEventListener('abort', onAbort);
        socket.onopen = socket.onmessage = socket.onclose = null;
        (socket as unknown as NodeSocket).off?.('message', onNodeFrame);
        // Not null: the 'ws' package throws on an 'error' event nobody listens to, and terminating
        // a socket that is still connecting emits one.
        socket.onerror = ignore;
        const terminate = (socket as { terminate?: () => void }).terminate;
        try {
          if (terminate) terminate.call(socket);
          else if (socket.readyState < 2) socket.close(1000);
        } catch {
          // Closing a socket that is still connecting throws in some runtimes; it is dropped anyway.
        }
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = (): void => finish(ctx.signal.reason);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      // The 'ws' package (Node) shows a refused upgrade's response, so its status and Retry-After
      // count like any HTTP answer. Browsers hide it: servers close with 4000 + status instead.
      (socket as unknown as NodeSocket).on?.('unexpected-response', (_req: unknown, res: UpgradeResponse) =>
        finish(refused(res.statusCode, res.headers['retry-after'])),
      );
      socket.onopen = () => {
        opened = true;
        ctx.onOpen({ send: (frame) => socket.send(frame) });
        // An immediate ping makes the server's pong the first frame, so a socket that opens and
        // then freezes is caught by the first-frame deadline.
        ping();
      };
      const onFrame = (data: unknown): void => {
        ctx.onActivity();
        if (typeof data !== 'string') {
          ctx.onError(new AnywireError('frame', 'websocket: binary frames are not events', { transport: 'websocket' }));
          return;
        }
        if (data === PONG) return;
        let value: unknown;
        try {
          value = JSON.parse(data);
        } catch (cause) {
          ctx.onError(new AnywireError('frame', `websocket: frame is not JSON: ${preview(data)}`, { cause, transport: 'websocket' }));
          return;
        }
        const event = (value as { event?: unknown } | null)?.event;
        if (event === 'ping') socket.send(PONG);
        else if (event !== 'pong') deliverEnvelope(value, ctx, 'websocket');
      };
      // The 'ws' package's own 'message' event skips the MessageEvent that `onmessage` allocates
      // per frame (about 10% of the per-message cost); everywhere else, the standard handler.
      const node = socket as unknown as NodeSocket;
      const onNodeFrame = (data: unknown, binary: boolean): void => onFrame(binary ? data : String(data));
      if (typeof node.on === 'function') node.on('message', onNodeFrame);
      else socket.onmessage = ({ data }) => onFrame(data);
      // An error ends the attempt at once instead of waiting for the close that usually follows:
      // Node 22's built-in WebSocket (undici 6) fires 'error' and never 'close' when it cannot
      // connect, which would leave the attempt hanging until the heartbeat timeout.
      socket.onerror = () =>
        finish(
          opened
            ? new AnywireError('network', 'websocket: the socket failed', { transport: 'websocket' })
            : new AnywireError('closed-before-open', 'websocket: could not connect', { transport: 'websocket' }),
        );
      socket.onclose = ({ code, reason }) => finish(closeError(code, reason, opened));
    });
  },
};

const ignore = (): void => {};

/** The EventEmitter side of a socket from the 'ws' package. */
interface NodeSocket {
  // biome-ignore lint/suspicious/noExplicitAny: EventEmitter listeners take any arguments.
  on?: (event: string, fn: (...args: any[]) => void) => void;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  off?: (event: string, fn: (...args: any[]) => void) => void;
}

/** The part of node:http's IncomingMessage that a refused upgrade shows. */
interface UpgradeResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
}

function refused(status: number, retryAfter: string | string[] | undefined): AnywireError {
  return new AnywireError('http-status', `websocket: the server refused the upgrade with ${status}`, {
    transport: 'websocket',
    status,
    retryAfter: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, Date.now()),
  });
}

/** Maps a close to the outcome of the connection: a clean end, a status, or a failed open. */
function closeError(code: number, reason: string, opened: boolean): AnywireError | undefined {
  if (code >= 4000 && code < 5000) {
    const status = code - 4000;
    return new AnywireError('http-status', `websocket: the server closed with ${code} (status ${status}) ${reason}`, {
      transport: 'websocket',
      status,
    });
  }
  if (!opened)
    return new AnywireError('closed-before-open', `websocket: closed before it opened (code ${code})`, { transport: 'websocket' });
  return code === 1000 || code === 1001
    ? undefined
    : new AnywireError('network', `websocket: closed abnormally (code ${code})`, { transport: 'websocket' });
}
