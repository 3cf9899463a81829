import { type AnywireError, type AnywireErrorCode, transportError } from '../core/errors.js';
import type { WebSocketLike } from '../core/types.js';
import { parseRetryAfter } from '../policy/retry-after.js';
import { deliverEnvelope, preview } from './envelope.js';
import type { FrameCodec } from './frame-codec.js';
import type { Channel, ConnectContext, OwnContext, Transport } from './transport.js';

const PING = '{"event":"ping"}';
const PONG = '{"event":"pong"}';

/**
 * ws's `maxPayload` counts bytes, `maxEventSize` counts UTF-16 code units: a frame of n code
 * units is at most 3n bytes of UTF-8 (3 per BMP unit, 4 per surrogate pair). So 3 × lets every
 * frame that can fit through and still refuses a 50 MB one from its header, before it is
 * buffered; the exact bound is then the text's length, checked on every runtime.
 */
const BYTES_PER_UNIT = 3;

/**
 * WebSocket: each text frame is one JSON event `{ id?, event?, data }`; resume with a
 * `lastEventId` query parameter; `{"event":"ping"}` / `{"event":"pong"}` heartbeats, any frame
 * counting as liveness. A close code 4000–4999 carries an HTTP status (4401 → 401), so servers
 * can refuse a socket as fatally as a request (docs/protocol.md). With `ctx.frame` (a
 * {@link FrameCodec}) the server's own frames are read and written by the codec instead.
 */
export const websocket: Transport = {
  name: 'websocket',
  connect(context: ConnectContext): Promise<void> {
    const ctx = context as OwnContext;
    return new Promise((resolve, reject) => {
      const Ctor = ctx.WebSocket;
      if (!Ctor) return reject(fail('unsupported-transport', "no WebSocket in this runtime; on Node 20 pass `WebSocket` from 'ws'"));
      const codec = ctx.frame;
      const max = ctx.maxEventSize;
      const href = connectUrl(ctx, codec).href;
      let socket: WebSocketLike;
      try {
        // ws's third `options` argument (Node): headers, and a byte bound that refuses an
        // oversized frame before it is buffered. Browsers ignore it (and cannot set headers: put
        // tokens in the URL or a cookie); the text-length check below bounds them.
        socket = new Ctor(href, undefined, { headers: ctx.headers, maxPayload: max * BYTES_PER_UNIT });
      } catch (cause) {
        return reject(fail('network', `cannot connect to ${href}`, cause));
      }
      const node = socket as unknown as NodeSocket;
      let opened = false;
      let pinger: unknown;
      // A codec pings only if it says how: a foreign server would take anywire's ping as noise.
      const pingFrame = codec ? codec.ping : PING;
      const ping = (): void => {
        if (ctx.pingInterval === false || pingFrame === undefined) return;
        socket.send(pingFrame);
        pinger = ctx.timers.setTimeout(ping, ctx.pingInterval);
      };
      // The one teardown path: detach every handler at once (a half-open socket never gets to
      // fire late), stop pinging, and drop the socket without waiting for a close handshake.
      const finish = (error?: unknown): void => {
        ctx.timers.clearTimeout(pinger);
        ctx._onEnd(undefined);
        // An 'error' listener stays: the 'ws' package throws on an 'error' event nobody listens
        // to, and terminating a socket that is still connecting emits one.
        if (node.on) {
          node.removeAllListeners?.();
          node.on('error', ignore);
        } else {
          socket.onopen = socket.onmessage = socket.onclose = null;
          socket.onerror = ignore;
        }
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
      // The attempt's end (close, heartbeat, switch) runs the teardown: no AbortSignal listener.
      ctx._onEnd(finish);
      // The 'ws' package (Node) shows a refused upgrade's response, so its status and Retry-After
      // count like any HTTP answer. Browsers hide it: servers close with 4000 + status instead.
      node.on?.('unexpected-response', (_req: unknown, res: UpgradeResponse) =>
        finish(refused(res.statusCode, res.headers['retry-after'])),
      );
      const onOpen = (): void => {
        opened = true;
        if (codec?.open) {
          // Before onOpen, so a send() made from a status listener cannot overtake a SUBSCRIBE.
          try {
            for (const frame of codec.open(ctx._last())) socket.send(frame);
          } catch (cause) {
            finish(fail('frame', "the frame codec's open() threw", cause));
            return;
          }
        }
        ctx._open(channelFor(socket, codec));
        // An immediate ping makes the server's pong the first frame, so a socket that opens and
        // then freezes is caught by the first-frame deadline.
        ping();
      };
      // Reads anywire's own frames (docs/protocol.md 7.2), or with a codec the server's own, whose
      // events are checked like anywire's. One reader for both: a branch on `codec`, fixed for the
      // connection, costs nothing measurable per frame, and the shared checks are written once.
      const onFrame: (data: unknown) => void = (data) => {
        ctx._act();
        if (typeof data !== 'string') return ctx._error(fail('frame', 'binary frames are not events'));
        if (data.length > max)
          return finish(fail('too-large', `a frame of ${data.length} characters is over maxEventSize (${max}); resuming`));
        let value: unknown;
        try {
          if (!codec) value = JSON.parse(data);
          else {
            const answer = codec.reply?.(data);
            if (answer !== undefined) return socket.send(answer);
            value = codec.decode(data);
          }
        } catch (cause) {
          return ctx._error(fail('frame', `${codec ? 'the frame codec threw on' : 'frame is not JSON:'} ${preview(data)}`, cause));
        }
        if (!codec) {
          const event = (value as { event?: unknown } | null)?.event;
          if (event === 'ping') return socket.send(PONG);
          if (event === 'pong') return;
        } else if (Array.isArray(value)) {
          for (const event of value) deliverEnvelope(event, ctx, 'websocket');
          return;
        }
        // JSON.parse never gives undefined; from a codec it means the frame holds no event.
        if (value !== undefined) deliverEnvelope(value, ctx, 'websocket');
      };
      // An error ends the attempt at once instead of waiting for the close that usually follows:
      // Node 22's built-in WebSocket (undici 6) fires 'error' and never 'close' when it cannot
      // connect, which would leave the attempt hanging until the heartbeat timeout.
      if (node.on) {
        // The 'ws' package's own events: its 'message' skips the MessageEvent that `onmessage`
        // allocates per frame (about 10% of the per-message cost), and none needs the wrapper
        // that each `on…` setter adds.
        node.on('open', onOpen);
        node.on('message', (data: unknown, binary: boolean) => onFrame(binary ? data : String(data)));
        node.on('error', (error: unknown) => finish(socketError(error, opened, max, href)));
        node.on('close', (code: number, reason: unknown) => finish(closeError(code, String(reason), opened)));
      } else {
        socket.onopen = onOpen;
        socket.onmessage = ({ data }) => onFrame(data);
        socket.onerror = (event) => finish(socketError((event as { error?: unknown } | null)?.error, opened, max, href));
        socket.onclose = ({ code, reason }) => finish(closeError(code, reason, opened));
      }
    });
  },
};

/** An error of this transport (the prefix and `transport` are added once, by transportError). */
const fail = (code: AnywireErrorCode, message: string, ...rest: [cause?: unknown, status?: number, retryAfter?: number]): AnywireError =>
  transportError(code, 'websocket', message, ...rest);

const ignore = (): void => {};

/** The upgrade URL: anywire's `lastEventId` parameter, or what the codec makes of the position. */
function connectUrl(ctx: OwnContext, codec: FrameCodec | undefined): URL {
  const url = new URL(ctx.url);
  const position = ctx._last();
  if (!position) return url;
  // A codec without `resume` leaves the URL alone: a foreign server does not know the parameter.
  if (!codec) url.searchParams.set('lastEventId', position);
  return codec?.resume ? codec.resume(url, position) : url;
}

/**
 * What `send()` writes to: the socket itself (`send(frame)` is all a channel needs), or with a
 * codec that has `encode`, the socket's `send` plus that `encode`. `send()` picks `encode` up
 * from the channel (src/core/send.ts), so the subscription needs no knowledge of codecs.
 */
function channelFor(socket: WebSocketLike, codec: FrameCodec | undefined): Channel {
  const encode = codec?.encode;
  return encode ? { send: (frame) => socket.send(frame), encode: (data, event) => encode.call(codec, data, event) } : socket;
}

/**
 * Errors of a socket that never reached the server: the same failure for every transport to that
 * host, so `network` (retried in place), not `closed-before-open` (which counts towards fallback).
 * Only `ws` tells them apart; browsers and built-in WebSockets give a bare 'error' event.
 */
const UNREACHABLE = ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'];

/**
 * Maps a socket's error (what ws's 'error' carries; an ErrorEvent's `error` elsewhere): ws's refusal of a frame over `maxPayload` is `too-large`; a connection
 * refused, reset or unreachable (seen on `ws` only) is `network`, with its root cause.
 */
function socketError(error: unknown, opened: boolean, max: number, url: string): AnywireError {
  const cause = error as { code?: unknown; message?: string } | undefined;
  if (cause?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return fail('too-large', `a frame over ${max * BYTES_PER_UNIT} bytes (maxEventSize ${max}); resuming`);
  }
  const why = cause?.message ? `: ${cause.message}` : '';
  if (opened) return fail('network', `the socket failed${why}`, cause);
  const unreachable = UNREACHABLE.includes(cause?.code as string);
  return fail(unreachable ? 'network' : 'closed-before-open', `${unreachable ? 'cannot' : 'could not'} connect to ${url}${why}`, cause);
}

/** The EventEmitter side of a socket from the 'ws' package. */
interface NodeSocket {
  // biome-ignore lint/suspicious/noExplicitAny: EventEmitter listeners take any arguments.
  on?: (event: string, fn: (...args: any[]) => void) => void;
  removeAllListeners?: () => void;
}

/** The part of node:http's IncomingMessage that a refused upgrade shows. */
interface UpgradeResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
}

function refused(status: number, retryAfter: string | string[] | undefined): AnywireError {
  const hint = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, Date.now());
  return fail('http-status', `the server refused the upgrade with ${status}`, undefined, status, hint);
}

/** Maps a close to the outcome of the connection: a clean end, a status, or a failed open. */
function closeError(code: number, reason: string, opened: boolean): AnywireError | undefined {
  if (code >= 4000 && code < 5000) {
    return fail('http-status', `the server closed with ${code} (status ${code - 4000}) ${reason}`, undefined, code - 4000);
  }
  // 1009 Message Too Big: what ws sends, and browsers may, when a frame is over their limit.
  if (code === 1009) return fail('too-large', `closed with 1009 (message too big) ${reason}`);
  if (!opened) return fail('closed-before-open', `closed before it opened (code ${code})`);
  return code === 1000 || code === 1001 ? undefined : fail('network', `closed abnormally (code ${code})`);
}
