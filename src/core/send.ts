import { resolveUrl } from '../policy/plan.js';
import { request, statusError } from '../transports/http.js';
import type { Channel } from '../transports/transport.js';
import { AnywireError } from './errors.js';
import type { FetchLike, Status, TransportName } from './types.js';

/** What `send()` reads from its subscription, at the moment of each call. */
export interface SendHost {
  readonly _transport: TransportName;
  readonly _status: Status;
  readonly _channel: Channel | undefined;
  /** Why the subscription closed, if it did. */
  readonly _failure: AnywireError | undefined;
  /** `endpoints.send`, else the base URL. */
  readonly _sendUrl: string | URL;
  readonly _f: FetchLike;
  /** Resolves on the next open, or when the subscription closes or gives up. */
  _nextOpen(): Promise<void>;
  /** The headers of the last (re)connect, resolving them if there was none yet. */
  _headersNow(): Record<string, string> | Promise<Record<string, string>>;
  /** Aborted when the subscription closes: a POST in flight is cancelled. */
  _closeSignal(): AbortSignal;
}

/**
 * `sub.send(data, event)`: a `{ event, data }` frame on an open WebSocket (or the frame codec's
 * `encode(data, event)`); while a WebSocket reconnects, waits for it; on the HTTP transports, a
 * JSON POST.
 */
export async function send(host: SendHost, data: unknown, event = 'message'): Promise<void> {
  // Built first, so data JSON cannot carry fails at once, not after a reconnect.
  const frame = JSON.stringify({ event, data });
  while (host._transport === 'websocket' && !host._channel && host._status !== 'closed') await host._nextOpen();
  if (host._status === 'closed') throw new AnywireError('send', 'send: the subscription is closed', { cause: host._failure });
  const channel = host._channel;
  if (channel) return channel.send(channel.encode ? channel.encode(data, event) : frame);
  const url = resolveUrl(host._sendUrl);
  const transport = host._transport;
  const init: RequestInit = {
    method: 'POST',
    headers: { ...(await host._headersNow()), 'content-type': 'application/json' },
    body: frame,
    signal: host._closeSignal(),
  };
  const response = await request(host._f, url, init, transport);
  response.body?.cancel().catch(() => {});
  if (response.ok) return;
  const cause = statusError(response, transport);
  throw new AnywireError('send', `send: POST ${url.href} answered ${response.status}`, {
    cause,
    status: cause.status,
    retryAfter: cause.retryAfter,
    transport,
  });
}
