/**
 * Server-Sent Events over `node:http` / `node:https` streaming: the `sse` transport of the Node
 * entry (src/node.ts), which uses it only on Node itself and only when the caller passed no
 * `fetch`. Its behaviour is `sse.ts`'s (docs/protocol.md §4), fetch's included where fetch adds
 * some: `Cache-Control`/`Pragma: no-cache` for `cache: 'no-store'`, and redirects followed as
 * `redirect: 'follow'` does. Why: an idle stream costs 7.4 kB of heap over node:http against 26 kB
 * over undici's fetch (bench/check/idle-sse-node.ts).
 *
 * Only src/node.ts may import this module: browser bundles must never reach `node:http`.
 */
import { type ClientRequest, Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AnywireError } from '../core/errors.js';
import { expect, rootCause, withLastEventId } from './http.js';
import { createSseParser } from './sse-parser.js';
import type { ConnectContext, OwnContext, Transport } from './transport.js';

/** fetch's limit (WHATWG Fetch "HTTP-redirect fetch", step 5). */
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers a cross-origin redirect drops: the spec's `Authorization`, and what undici drops with it. */
const CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * Shared by every stream, created on first use. Not `http.globalAgent`, which keeps sockets alive
 * on Node 20 and is the app's to reconfigure (fetch ignores it too); not `agent: false`, which
 * builds an agent per request. Without keep-alive a socket is never pooled: it closes with its stream.
 */
let agents: { http: HttpAgent; https: HttpsAgent } | undefined;

/** Server-Sent Events over node:http streaming; see this module's comment. */
export const nodeSse: Transport = {
  name: 'sse',
  async connect(context: ConnectContext): Promise<void> {
    const ctx = context as OwnContext;
    const res = await open(ctx);
    // [spec] 200 with text/event-stream announces the connection; 204 means "stop reconnecting".
    try {
      expect(responseHead(res), (status) => status === 200, 'text/event-stream', 'sse');
    } catch (error) {
      res.destroy();
      throw error;
    }
    ctx._open();
    return read(ctx, res);
  },
};

/** Sends the request, following redirects as fetch does; resolves with the final response. */
async function open(ctx: OwnContext): Promise<IncomingMessage> {
  let url = ctx.url;
  let headers = withLastEventId(
    // What fetch sends for `cache: 'no-store'`, unless the caller set these headers.
    { accept: 'text/event-stream', 'cache-control': 'no-cache', pragma: 'no-cache', ...ctx.headers },
    ctx._last(),
  );
  for (let redirects = 0; ; redirects++) {
    const res = await get(url, headers, ctx);
    const location = REDIRECT_STATUSES.has(res.statusCode ?? 0) ? res.headers.location : undefined;
    if (location === undefined) return res;
    res.destroy();
    let next: URL | undefined;
    try {
      next = new URL(location, url);
    } catch {}
    if (next === undefined || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
      throw networkError(ctx, new TypeError(`redirect to "${location}", not an http(s) URL`));
    }
    if (redirects === MAX_REDIRECTS) throw networkError(ctx, new TypeError('redirect count exceeded'));
    if (next.origin !== url.origin) headers = withoutCredentials(headers);
    url = next;
  }
}

/** One GET: resolves with the response head, rejects with a `network` error or the abort reason. */
function get(url: URL, headers: Record<string, string>, ctx: OwnContext): Promise<IncomingMessage> {
  if (!ctx._live) return Promise.reject(ctx._reason);
  return new Promise((resolve, reject) => {
    let req: ClientRequest;
    try {
      const https = url.protocol === 'https:';
      agents ??= { http: new HttpAgent({ keepAlive: false }), https: new HttpsAgent({ keepAlive: false }) };
      req = (https ? httpsRequest : httpRequest)(url, { headers, agent: https ? agents.https : agents.http });
    } catch (cause) {
      // node:http throws at once on a header value it cannot send; fetch rejects: a network error.
      reject(networkError(ctx, cause));
      return;
    }
    // The attempt's end destroys the request (no AbortSignal listener: see core/attempt.ts).
    ctx._onEnd((reason) => {
      req.destroy();
      reject(reason);
    });
    req.on('response', (res) => {
      ctx._onEnd(undefined);
      resolve(res);
    });
    // Stays attached: a destroyed request may still emit 'error', which must not go unheard.
    req.on('error', (cause) => {
      ctx._onEnd(undefined);
      reject(ctx._live ? networkError(ctx, cause) : ctx._reason);
    });
    req.end();
  });
}

/**
 * Streams the body into the parser until the server ends it (resolves), it breaks or an event is
 * too large (rejects), or the attempt ends (rejects with its reason, the socket destroyed).
 */
function read(ctx: OwnContext, res: IncomingMessage): Promise<void> {
  // Past maxEventSize, feed() throws `too-large`: the connection ends after the last event that
  // fit, and the loop resumes from it.
  const parser = createSseParser(ctx, { maxEventSize: ctx.maxEventSize });
  // A StringDecoder: a UTF-8 sequence split across chunks is held until it is whole.
  res.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    // The one teardown path; later calls change nothing (the promise is settled).
    const end = (error?: unknown): void => {
      ctx._onEnd(undefined);
      res.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    // The attempt's end (close, heartbeat, switch) ends the stream; at once if it has ended.
    ctx._onEnd(end);
    res.on('data', (text: string) => {
      ctx._act();
      try {
        parser.feed(text);
      } catch (error) {
        end(error);
      }
    });
    // 'close' follows 'end' when the server ended the body; a reset socket emits 'error' first
    // (ECONNRESET, "aborted"), heard only to keep it as the cause.
    res.on('error', (cause) => end(streamBroke(cause)));
    res.on('close', () => end(res.complete ? undefined : streamBroke(undefined)));
  });
}

/**
 * The response head as `expect()` and `statusError()` read it (`status`, `headers.get`, `body`),
 * so the status and content-type errors are word for word the fetch transport's.
 */
function responseHead(res: IncomingMessage): Response {
  const header = (name: string): string | null => {
    const value = res.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  return { status: res.statusCode ?? 0, headers: { get: header }, body: null } as unknown as Response;
}

/** http.ts `request()`'s network error, word for word: the root cause says what really happened. */
function networkError(ctx: ConnectContext, cause: unknown): AnywireError {
  return new AnywireError('network', `sse: request to ${ctx.url.href} failed: ${rootCause(cause)}`, { cause, transport: 'sse' });
}

function streamBroke(cause: unknown): AnywireError {
  return new AnywireError('network', 'sse: the stream broke', { cause, transport: 'sse' });
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const kept = { ...headers };
  for (const name of CREDENTIALS) delete kept[name];
  return kept;
}
