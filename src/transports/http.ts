import { AnywireError, transportError } from '../core/errors.js';
import type { HeaderValues, TransportName } from '../core/types.js';
import { parseRetryAfter } from '../policy/retry-after.js';

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
    throw transportError('network', transport, `request to ${url.href} failed: ${rootCause(cause)}`, cause);
  }
}

/**
 * The innermost message of an error's `cause` chain, where a network error says what really
 * happened: undici's `fetch failed` wraps `connect ECONNREFUSED 127.0.0.1:4999`. Bounded, so a
 * cause chain with a cycle cannot hang it.
 */
export function rootCause(error: unknown): string {
  let inner = error;
  for (let i = 0; i < 8 && inner instanceof Error && inner.cause !== undefined; i++) inner = inner.cause;
  return inner instanceof Error ? inner.message || inner.name : String(inner);
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
      error = transportError('content-type', transport, `expected ${mediaType}, got "${type}"`);
    }
  }
  if (error) {
    response.body?.cancel().catch(() => {});
    throw error;
  }
}

/** An `http-status` error for `response`, with the server's Retry-After (seconds or HTTP date) in ms. */
export function statusError(response: Response, transport: TransportName): AnywireError {
  const { status, headers } = response;
  return transportError(
    'http-status',
    transport,
    `the server answered ${status}`,
    undefined,
    status,
    parseRetryAfter(headers.get('retry-after'), Date.now()),
  );
}

/** Request headers with the resume position, when there is one. */
export function withLastEventId(headers: Record<string, string>, lastEventId: string | undefined): Record<string, string> {
  return lastEventId ? { ...headers, 'last-event-id': lastEventId } : headers;
}

/**
 * Header values in any form `fetch` takes, as a plain record with lower-case names: the form every
 * transport spreads into its requests (and `ws` takes as its `headers` option). Repeated names in
 * pairs are joined with `, `, as `Headers` does.
 */
export function headerRecord(values: HeaderValues): Record<string, string> {
  const record: Record<string, string> = {};
  const add = (value: string, name: string): void => {
    const key = name.toLowerCase();
    record[key] = key in record ? `${record[key]}, ${value}` : value;
  };
  if (Array.isArray(values)) for (const [name, value] of values) add(value, name);
  else if (typeof (values as Headers).forEach === 'function') (values as Headers).forEach(add);
  else for (const name in values) add((values as Record<string, string>)[name] as string, name);
  return record;
}

/**
 * Reads a response body as text, never holding more than `max` characters of it: past that the
 * body is cancelled and a `too-large` error thrown. A body that breaks throws a `network` error.
 * Where `fetch` cannot stream (React Native), the body is read whole, then checked.
 */
export async function readText(response: Response, max: number, transport: TransportName, signal: AbortSignal): Promise<string> {
  try {
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (let done = false; !done; ) {
      if (reader) {
        const read = await reader.read();
        done = read.done;
        text += decoder.decode(read.value, { stream: !done });
      } else {
        done = true;
        text = await response.text();
      }
      if (text.length > max) {
        reader?.cancel().catch(() => {});
        throw transportError('too-large', transport, `the response body is over maxEventSize (${max} characters)`);
      }
    }
    return text;
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    if (cause instanceof AnywireError) throw cause;
    throw transportError('network', transport, `the response broke: ${rootCause(cause)}`, cause);
  }
}
