import type { TransportName } from '../core/types.js';
import { broken, createPipe } from './pipe.js';
import type { Answer, Conn, Drop, ServerCore } from './server-core.js';
import { firstHalf, pollBody, SSE_HELLO, SSE_KEEPALIVE, sseEvent, type WireEvent } from './wire.js';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-store' };
/** A server holds a long poll at most this long, whatever the client's `Prefer: wait` asks. */
const MAX_HOLD = 60_000;

/**
 * Serves one HTTP request to the mock: the SSE, long-poll and poll protocol, and client POSTs.
 *
 * @example
 * const response = await handle(new URL(server.url), { headers: { accept: 'text/event-stream' } });
 */
export type HttpHandler = (url: URL, init: RequestInit) => Promise<Response>;

/** One GET as the handlers below see it. */
interface Incoming {
  readonly core: ServerCore;
  readonly conn: Conn;
  readonly transport: TransportName;
  readonly lastEventId: string | undefined;
  readonly headers: Record<string, string>;
  /** Aborts the request, as the client's signal aborts a fetch. */
  readonly signal: AbortSignal | undefined;
  /** The signal marks a client attempt that outlives this request (a series of polls). */
  readonly ongoing: boolean;
}

/**
 * Creates the HTTP front door of a mock server. Responses are real `Response` objects whose
 * bodies are streams the mock writes into, so the client's own SSE and JSON parsing runs.
 *
 * anywire uses one AbortSignal for all the requests of one attempt: with `group`, requests that
 * share a signal are one connection, which ends when the signal aborts. Without it (msw hands each
 * request a signal of its own), every request is a connection of its own.
 *
 * @example
 * const handle = createHttpHandler(core);
 * const fetch: FetchLike = (input, init) => handle(new URL(input), init);
 */
export function createHttpHandler(core: ServerCore, group = true): HttpHandler {
  const bySignal = new WeakMap<AbortSignal, Conn>();

  return async (url, init) => {
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const headers = lowerCased(init.headers);
    if ((init.method ?? 'GET').toUpperCase() === 'POST') return receive(core, init, headers, signal);
    const transport = classify(headers);
    const lastEventId = headers['last-event-id'];
    const attempt = group ? signal : undefined;
    const known = attempt ? bySignal.get(attempt) : undefined;
    const answer = core.admit(transport, url.href, lastEventId, headers, known?.record.open ? known : undefined);
    const { conn } = answer;
    if (attempt && known !== conn) {
      bySignal.set(attempt, conn);
      attempt.addEventListener('abort', () => core.end(conn), { once: true });
    }
    const request: Incoming = { core, conn, transport, lastEventId, headers, signal, ongoing: attempt !== undefined };
    return answer.kind === 'serve' ? serve(request) : refuse(request, answer);
  };
}

/** Answers a request the mock does not serve normally: silence, refusal, a status or a pending drop. */
function refuse({ core, lastEventId, signal }: Incoming, answer: Answer): Promise<Response> | Response {
  switch (answer.kind) {
    case 'silent':
    case 'swallow':
      return hang(signal);
    case 'status': {
      const headers: Record<string, string> = answer.retryAfter === undefined ? {} : { 'retry-after': answer.retryAfter };
      const empty = answer.status === 204 || answer.status === 205 || answer.status === 304;
      return new Response(empty ? null : `mock server: ${answer.status}`, { status: answer.status, headers });
    }
    case 'drop':
      return brokenPoll(core.backlog(lastEventId), answer.drop, signal);
    default:
      throw broken();
  }
}

function serve(request: Incoming): Response {
  const { core, conn, transport, lastEventId, headers, ongoing } = request;
  if (transport === 'sse') return serveSse(request);
  const backlog = core.backlog(lastEventId);
  if (transport === 'poll' || backlog.length > 0) {
    if (!ongoing) core.end(conn); // no attempt to follow: the connection was this one request
    return new Response(pollBody(backlog), { status: 200, headers: JSON_HEADERS });
  }
  const wait = Math.min(Number(/wait=(\d+)/.exec(headers.prefer ?? '')?.[1] ?? 0) * 1000, MAX_HOLD);
  return hold(request, wait);
}

function serveSse({ core, conn, lastEventId, signal }: Incoming): Response {
  const pipe = createPipe(signal, () => core.end(conn));
  // A comment first, as examples/server.ts does: the client's first-frame deadline sees the stream is alive.
  pipe.write(SSE_HELLO + core.backlog(lastEventId).map(sseEvent).join(''));
  let timer: unknown;
  const beat = (interval: number): void => {
    timer = core.timers.setTimeout(() => {
      if (conn.blackholed || pipe.ended) return;
      pipe.write(SSE_KEEPALIVE);
      beat(interval);
    }, interval);
  };
  if (core.keepalive !== false) beat(core.keepalive);
  core.attach(conn, {
    push: (e) => pipe.write(sseEvent(e)),
    end: (drop) => (drop.clean ? pipe.close() : pipe.fail(drop.cut && firstHalf(sseEvent(drop.cut)))),
    dispose: () => core.timers.clearTimeout(timer),
  });
  return new Response(pipe.stream, { status: 200, headers: SSE_HEADERS });
}

/**
 * A long poll with nothing to send yet: headers go out at once (so the client knows it is
 * connected), the body when an event comes or the hold ends empty, as examples/server.ts does.
 */
function hold({ core, conn, signal, ongoing }: Incoming, wait: number): Response {
  const pipe = createPipe(signal, () => {
    if (conn.outlet === outlet) core.detach(conn);
    if (!ongoing) core.end(conn);
  });
  const answer = (events: WireEvent[]): void => {
    core.timers.clearTimeout(timer);
    pipe.write(pollBody(events));
    pipe.close();
  };
  const timer = core.timers.setTimeout(() => conn.blackholed || answer([]), wait);
  const outlet = {
    push: (e: WireEvent) => answer([e]),
    end(drop: Drop) {
      if (drop.clean) return answer([]);
      core.timers.clearTimeout(timer);
      pipe.fail(drop.cut && firstHalf(pollBody([drop.cut])));
      core.end(conn);
    },
    dispose: () => core.timers.clearTimeout(timer),
  };
  core.attach(conn, outlet);
  return new Response(pipe.stream, { status: 200, headers: JSON_HEADERS });
}

/** A poll request that lands on a pending drop: no answer at all, or half a body. */
function brokenPoll(backlog: WireEvent[], drop: Drop, signal: AbortSignal | undefined): Response {
  if (!drop.cut) throw broken();
  const pipe = createPipe(signal, () => {});
  pipe.fail(firstHalf(pollBody(backlog)));
  return new Response(pipe.stream, { status: 200, headers: JSON_HEADERS });
}

/** A client message (`sub.send()` on an HTTP transport): recorded, answered 204. */
async function receive(
  core: ServerCore,
  init: RequestInit,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<Response> {
  if (core.closed) throw broken();
  if (core.silent) return hang(signal);
  let message: { event?: unknown; data?: unknown };
  try {
    message = JSON.parse(typeof init.body === 'string' ? init.body : await new Response(init.body).text());
  } catch {
    return new Response('mock server: the body is not JSON', { status: 400 });
  }
  const event = typeof message?.event === 'string' ? message.event : 'message';
  core.receive({ event, data: message?.data, via: 'post', headers });
  return new Response(null, { status: 204 });
}

/** The transport of a GET, read as examples/server.ts reads it. */
function classify(headers: Record<string, string>): TransportName {
  if ((headers.accept ?? '').includes('text/event-stream')) return 'sse';
  return /wait=\d+/.test(headers.prefer ?? '') ? 'long-poll' : 'poll';
}

/** A request that is never answered: it settles only when the client aborts it, as fetch does. */
function hang(signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function lowerCased(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}
