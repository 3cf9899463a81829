import { AnywireError } from './errors.js';
import { request, statusError } from './http.js';
import { resolveUrl } from './plan.js';
import type { Channel } from './transports/transport.js';
import type { FetchLike, Status, TransportName } from './types.js';

/** What `send()` reads from its subscription, at the moment of each call. */
export interface SendContext {
  transport(): TransportName;
  status(): Status;
  channel(): Channel | undefined;
  /** Why the subscription closed, if it did. */
  failure(): AnywireError | undefined;
  /** Resolves on the next open, or when the subscription closes or gives up. */
  nextOpen(): Promise<void>;
  /** The headers of the last (re)connect, resolving them if there was none yet. */
  headers(): Record<string, string> | Promise<Record<string, string>>;
  /** `endpoints.send`, else the base URL. */
  url: string | URL;
  fetch: FetchLike;
  signal: AbortSignal;
}

/**
 * `sub.send(data, event)`: a `{ event, data }` frame on an open WebSocket (or the frame codec's
 * `encode(data, event)`); while a WebSocket reconnects, waits for it; on the HTTP transports, a
 * JSON POST.
 */
export function createSend(ctx: SendContext): (data: unknown, event?: string) => Promise<void> {
  return async (data, event = 'message') => {
    const frame = JSON.stringify({ event, data });
    while (ctx.transport() === 'websocket' && !ctx.channel() && ctx.status() !== 'closed') await ctx.nextOpen();
    if (ctx.status() === 'closed') throw new AnywireError('send', 'send: the subscription is closed', { cause: ctx.failure() });
    const channel = ctx.channel();
    if (channel) return channel.send(channel.encode ? channel.encode(data, event) : frame);
    const url = resolveUrl(ctx.url);
    const transport = ctx.transport();
    const init: RequestInit = {
      method: 'POST',
      headers: { ...(await ctx.headers()), 'content-type': 'application/json' },
      body: frame,
      signal: ctx.signal,
    };
    const response = await request(ctx.fetch, url, init, transport);
    response.body?.cancel().catch(() => {});
    if (response.ok) return;
    const cause = statusError(response, transport);
    throw new AnywireError('send', `send: POST ${url.href} answered ${response.status}`, {
      cause,
      status: cause.status,
      retryAfter: cause.retryAfter,
      transport,
    });
  };
}
