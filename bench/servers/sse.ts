/**
 * The SSE server: `GET /sse?n=N` streams N events as fast as the socket takes them, then ends;
 * `GET /idle-sse` opens a stream that stays quiet (a comment every 10 s, so no client's heartbeat
 * timeout fires during a memory measurement).
 */

import { createServer, type Server, type ServerResponse } from 'node:http';
import { perCount } from './frames.js';
import { sseBlock } from './payload.js';

/** Bytes per `res.write`: a busy SSE server flushes in batches, not one event per chunk. */
const CHUNK = 64 * 1024;
/** How often an idle stream gets a keep-alive comment. */
const IDLE_COMMENT_MS = 10_000;

const HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
} as const;

const body = perCount((n) => {
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) parts[i] = sseBlock(i);
  return Buffer.from(parts.join(''), 'utf8');
});

function stream(res: ServerResponse, n: number): void {
  const buf = body(n);
  res.writeHead(200, HEADERS);
  for (let at = 0; at < buf.length; at += CHUNK) res.write(buf.subarray(at, at + CHUNK));
  res.end();
}

/** Starts the SSE server on 127.0.0.1 with an ephemeral port. */
export async function startSseServer(): Promise<Server> {
  const idle = new Set<ServerResponse>();
  const keepAlive = setInterval(() => {
    for (const res of idle) res.write(': keep-alive\n\n');
  }, IDLE_COMMENT_MS);
  keepAlive.unref();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/sse') {
      stream(res, Number(url.searchParams.get('n') ?? 1000));
    } else if (url.pathname === '/idle-sse') {
      res.writeHead(200, HEADERS);
      res.write(': open\n\n');
      idle.add(res);
      res.on('close', () => idle.delete(res));
    } else {
      res.writeHead(404).end();
    }
  });
  // 1,500 idle connections arrive in bursts; the default backlog of 511 is enough, but say so.
  server.maxConnections = 10_000;
  server.on('close', () => clearInterval(keepAlive));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4096, resolve));
  return server;
}
