import { AnywireError } from './errors.js';
import { parseRetryAfter } from './retry-after.js';
import type { TransportName } from './types.js';

/** Sends a request and returns the response, turning a network failure into an `AnywireError`. */
export async function request(
  fetch: (input: string, init: RequestInit) => Promise<Response>,
  url: URL,
  init: RequestInit,
  transport: TransportName,
): Promise<Response> {
  try {
    return await fetch(url.href, init);
  } catch (cause) {
    if (init.signal?.aborted) throw init.signal.reason;
    throw new AnywireError('network', `${transport}: request to ${url.href} failed`, { cause, transport });
  }
}

/**
 * Checks a response's status and media type. A bad status becomes an `http-status` error with the
 * server's Retry-After (seconds or HTTP date) in ms; a wrong media type a `content-type` error.
 * The body of a rejected response is cancelled so the connection is freed.
 */
export function expect(response: Response, ok: (status: number) => boolean, mediaType: string, transport: TransportName): void {
  let error: AnywireError | undefined;
  if (!ok(response.status)) {
    error = statusError(response, transport);
  } else if (response.status !== 204) {
    const type = response.headers.get('content-type') ?? '';
    // Compare the essence only (`text/event-stream; charset=utf-8` is fine), case-insensitively.
    if (type.split(';')[0]?.trim().toLowerCase() !== mediaType) {
      error = new AnywireError('content-type', `${transport}: expected ${mediaType}, got "${type}"`, { transport });
    }
  }
  if (error) {
    response.body?.cancel().catch(() => {});
    throw error;
  }
}

/** An `http-status` error for `response`, with the server's Retry-After (seconds or HTTP date) in ms. */
export function statusError(response: Response, transport: TransportName): AnywireError {
  return new AnywireError('http-status', `${transport}: the server answered ${response.status}`, {
    transport,
    status: response.status,
    retryAfter: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
  });
}

/** Request headers with the resume position, when there is one. */
export function withLastEventId(headers: Record<string, string>, lastEventId: string | undefined): Record<string, string> {
  return lastEventId ? { ...headers, 'last-event-id': lastEventId } : headers;
}
