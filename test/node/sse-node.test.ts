// SSE over node:http (the Node entry's `sse` when no `fetch` is passed) behaves exactly as SSE over
// fetch: every behaviour runs on both, against node:http servers on 127.0.0.1, with `subscribe`
// from src/node.ts. The fetch run passes its own `fetch`, which is what keeps it on fetch.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnywireError, type FetchLike, type Subscription, subscribe } from '../../src/node.js';
import { serve, sseHead, type TestServer } from '../helpers/http-server.js';
import { collect, next } from '../helpers/wait.js';

const fast = { initialDelay: 20, maxDelay: 100 };
const event = (id: number, data: unknown, name?: string): string =>
  `id: ${id}\n${name ? `event: ${name}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

let sub: Subscription<unknown, unknown> | undefined;
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  sub?.close();
  sub = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handle: (req: IncomingMessage, res: ServerResponse, index: number) => void): Promise<TestServer> {
  const s = await serve(handle);
  servers.push(s);
  return s;
}

/** Resolves when the server side of `res`'s connection has closed. */
const closed = (res: ServerResponse): Promise<void> => new Promise((resolve) => res.once('close', () => resolve()));

/** Resolves with a port on 127.0.0.1 that nothing listens on: bound, read and released. */
async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe.each([
  ['node:http', undefined],
  ['fetch', ((input, init) => globalThis.fetch(input, init)) satisfies FetchLike],
] as const)('sse over %s', (via, fetch) => {
  const open = (url: string, extra: Record<string, unknown> = {}): Subscription<unknown, unknown> =>
    (sub = subscribe({ url, transport: 'sse', reconnect: fast, ...(fetch && { fetch }), ...extra }));

  it('goes over node:http only when no fetch is passed', async () => {
    const s = await server((_req, res) => {
      sseHead(res);
      res.write(': ok\n\n');
    });
    await next(open(s.url), 'status', (status) => status === 'open');
    // undici's fetch says so in its request headers; node:http sends none of them.
    expect(s.requests[0]?.['sec-fetch-mode']).toBe(via === 'fetch' ? 'cors' : undefined);
  });

  it('delivers events in order with their id, name and data, sending the SSE request headers', async () => {
    const s = await server((_req, res) => {
      sseHead(res);
      res.write(`: ok\n\n${event(1, { n: 1 })}${event(2, 'two', 'price')}`);
      res.write('data: {"n":\ndata: 3}\n\n');
    });
    const messages = await collect(open(s.url, { headers: { 'x-token': 'a' } }), 3);
    expect(messages.map((m) => [m.id, m.event, m.data, m.transport])).toEqual([
      ['1', 'message', { n: 1 }, 'sse'],
      ['2', 'price', 'two', 'sse'],
      [undefined, 'message', { n: 3 }, 'sse'],
    ]);
    expect(s.requests[0]).toMatchObject({ accept: 'text/event-stream', 'cache-control': 'no-cache', pragma: 'no-cache', 'x-token': 'a' });
    expect(s.requests[0]).not.toHaveProperty('last-event-id');
  });

  it('resumes with Last-Event-ID after the server cuts the stream, nothing lost or twice', async () => {
    const s = await server((_req, res, n) => {
      sseHead(res);
      if (n === 0) {
        // Cut mid-stream once both events are on the wire: the chunked body never ends cleanly.
        res.write(event(1, 'a') + event(2, 'b'), () => res.socket?.destroy());
      } else res.write(event(3, 'c'));
    });
    const s1 = open(s.url);
    const errors: AnywireError[] = [];
    s1.on('error', (e) => errors.push(e));
    const messages = await collect(s1, 3);
    expect(messages.map((m) => [m.id, m.data])).toEqual([
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
    ]);
    expect(s.requests.map((h) => h['last-event-id'])).toEqual([undefined, '2']);
    expect(errors.map((e) => [e.code, e.message])).toEqual([['network', '[anywire] sse: the stream broke']]);
  });

  it('reconnects with Last-Event-ID after the server ends the stream cleanly, reporting nothing', async () => {
    const s = await server((_req, res, n) => {
      sseHead(res);
      if (n === 0) res.end(event(7, 'a'));
      else res.write(event(8, 'b'));
    });
    const s1 = open(s.url);
    const errors: AnywireError[] = [];
    s1.on('error', (e) => errors.push(e));
    expect((await collect(s1, 2)).map((m) => m.data)).toEqual(['a', 'b']);
    expect(s.requests[1]?.['last-event-id']).toBe('7');
    expect(errors).toEqual([]);
  });

  it('stops for good on 204', async () => {
    const s = await server((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const s1 = open(s.url);
    const error = await next(s1, 'error');
    expect(error).toMatchObject({ code: 'http-status', status: 204, transport: 'sse', message: '[anywire] sse: the server answered 204' });
    expect(s1.status).toBe('closed');
    expect(s.requests).toHaveLength(1);
  });

  it('retries a 500 no sooner than its Retry-After, then delivers', async () => {
    const answered: number[] = [];
    const s = await server((_req, res, n) => {
      answered.push(Date.now());
      if (n === 0) {
        res.writeHead(500, { 'retry-after': '1' });
        res.end('busy');
      } else {
        sseHead(res);
        res.write(event(1, 'after'));
      }
    });
    const s1 = open(s.url);
    const error = await next(s1, 'error');
    expect(error).toMatchObject({ code: 'http-status', status: 500, retryAfter: 1000, message: '[anywire] sse: the server answered 500' });
    expect((await collect(s1, 1))[0]?.data).toBe('after');
    expect((answered[1] ?? 0) - (answered[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('closes on a content type that is not text/event-stream; accepts its parameters and any case', async () => {
    const s = await server((_req, res, n) => {
      res.writeHead(200, { 'content-type': n === 0 ? 'text/html; charset=utf-8' : 'Text/Event-Stream; charset=UTF-8' });
      res.write(event(1, 'ok'));
    });
    const s1 = open(s.url);
    const error = await next(s1, 'error');
    expect(error).toMatchObject({
      code: 'content-type',
      message: '[anywire] sse: expected text/event-stream, got "text/html; charset=utf-8"',
    });
    expect(s1.status).toBe('closed');
    expect(s.requests).toHaveLength(1);
    s1.reconnect();
    expect((await collect(s1, 1))[0]?.data).toBe('ok');
  });

  it('reports a refused connection as network, naming ECONNREFUSED', async () => {
    const port = await closedPort();
    const error = (await next(open(`http://127.0.0.1:${port}/`), 'error')) as AnywireError;
    expect(error.code).toBe('network');
    expect(error.message).toBe(`[anywire] sse: request to http://127.0.0.1:${port}/ failed: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('close() while streaming closes the socket: the server sees it go', async () => {
    let gone: Promise<void> | undefined;
    const s = await server((_req, res) => {
      gone = closed(res);
      sseHead(res);
      res.write(event(1, 'a'));
    });
    const s1 = open(s.url);
    await collect(s1, 1);
    s1.close();
    await gone;
    expect(s1.status).toBe('closed');
  });

  it('close() before the response leaves nothing open: the server sees the socket go', async () => {
    let gone: Promise<void> | undefined;
    let arrived: () => void = () => {};
    const asked = new Promise<void>((resolve) => (arrived = resolve));
    const s = await server((_req, res) => {
      gone = closed(res); // never answered
      arrived();
    });
    const s1 = open(s.url);
    await asked;
    s1.close();
    await gone;
    expect(s.requests).toHaveLength(1);
  });

  it('decodes UTF-8 characters split across chunks', async () => {
    // 3- and 4-byte characters written in pieces of 65,537 bytes: nearly every piece ends inside one.
    const text = '€😀é'.repeat(40_000);
    const s = await server((_req, res) => {
      sseHead(res);
      const bytes = Buffer.from(`: ok\n\n${event(1, text)}`);
      let at = 0;
      const write = (): void => {
        while (at < bytes.length) if (!res.write(bytes.subarray(at, (at += 65_537)))) return void res.once('drain', write);
      };
      write();
    });
    const [message] = await collect(open(s.url), 1);
    expect(message?.data === text).toBe(true);
  });

  it('ends the stream with too-large past maxEventSize and resumes after the last event that fit', async () => {
    const s = await server((_req, res, n) => {
      sseHead(res);
      res.write(n === 0 ? `${event(1, 'a')}${event(2, 'b')}data: ${'x'.repeat(5_000)}\n\n${event(9, 'never')}` : event(3, 'c'));
    });
    const s1 = open(s.url, { maxEventSize: 1_000 });
    const errors: AnywireError[] = [];
    s1.on('error', (e) => errors.push(e));
    const messages = await collect(s1, 3);
    expect(messages.map((m) => [m.id, m.data])).toEqual([
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
    ]);
    expect(errors).toEqual([expect.objectContaining({ code: 'too-large', transport: 'sse' })]);
    expect(s.requests.map((h) => h['last-event-id'])).toEqual([undefined, '2']);
  });

  it('follows redirects, dropping credentials when the origin changes', async () => {
    const target = await server((_req, res) => {
      sseHead(res);
      res.write(event(5, 'moved'));
    });
    const s = await server((req, res) => {
      const to = req.url === '/' ? '/here' : `${target.url}there`;
      res.writeHead(req.url === '/' ? 302 : 307, { location: to });
      res.end();
    });
    const s1 = open(s.url, { headers: { authorization: 'Bearer t', 'x-keep': '1' }, lastEventId: '4' });
    expect((await collect(s1, 1))[0]?.data).toBe('moved');
    expect(s.requests.map((h) => [h.authorization, h['last-event-id']])).toEqual([
      ['Bearer t', '4'],
      ['Bearer t', '4'],
    ]);
    expect(target.requests[0]).toMatchObject({ 'x-keep': '1', 'last-event-id': '4' });
    expect(target.requests[0]).not.toHaveProperty('authorization');
  });
});

// Self-signed, for 127.0.0.1 (EC P-256, valid until 2126): no client trusts it.
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg4JDAuU1zQplyW4+5
5cGy2H5EKeuNBJh929YgUazHCrShRANCAAQN9hV9qFxwIjm4Rq6pk4kkrqAvbl0p
dftRaFb0FRt3UXtKLZFpUe9VD2BYmmy4QjaPmZ4xaQzcwUNnEQbmCyyS
-----END PRIVATE KEY-----`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUEXABDxB+es63S3s5oRRuzRU4cGEwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwMzIzMDAzNFoYDzIxMjYxMTA5
MjMwMDM0WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQN9hV9qFxwIjm4Rq6pk4kkrqAvbl0pdftRaFb0FRt3UXtKLZFpUe9V
D2BYmmy4QjaPmZ4xaQzcwUNnEQbmCyySo2QwYjAdBgNVHQ4EFgQUWQvCzuUWl7AA
oHs/x/voAhxyK/kwHwYDVR0jBBgwFoAUWQvCzuUWl7AAoHs/x/voAhxyK/kwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IQDr27m3ASFd1i/7+oU6CQmTdGJTqDJXUl20iRhlk+WOWwIgEsNLbqSE4mr7neQY
eH9wMzudncnZtGlAqhFiTSRlLyA=
-----END CERTIFICATE-----`;

describe('sse over node:https', () => {
  it('speaks TLS to an https: URL, failing on an untrusted certificate exactly as fetch does', async () => {
    const tls = createHttpsServer({ key: KEY, cert: CERT }, (_req, res) => {
      sseHead(res);
      res.write(event(1, 'never'));
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise((resolve) => tls.close(() => resolve())) });
    const url = `https://127.0.0.1:${(tls.address() as { port: number }).port}/`;
    const first = (options: { fetch?: FetchLike }): Promise<AnywireError> => {
      const s = subscribe({ url, transport: 'sse', reconnect: fast, ...options });
      return next(s, 'error').finally(() => s.close()) as Promise<AnywireError>;
    };
    const [overNode, overFetch] = await Promise.all([first({}), first({ fetch: (input, init) => globalThis.fetch(input, init) })]);
    expect(overNode.code).toBe('network');
    expect(overNode.message).toMatch(/^\[anywire\] sse: request to https:\/\/127\.0\.0\.1:\d+\/ failed: \S/);
    expect(overNode.message).toBe(overFetch.message);
    expect((overNode.cause as { code?: string }).code).toBe((overFetch.cause as { cause?: { code?: string } }).cause?.code);
  });
});
