/**
 * A reference server for anywire's wire protocol (docs/protocol.md), on node:http and ws.
 * One URL serves all four transports:
 *   GET + Accept: text/event-stream          → SSE
 *   GET + Accept: application/json + Prefer: wait=N → long poll (held up to N s)
 *   GET + Accept: application/json            → poll (answered at once)
 *   WebSocket upgrade                         → one JSON event per text frame
 *   POST application/json { event, data }     → a client message
 * The demo and the transport tests run against it; copy what you need into your own server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** The transports, as the server sees a request. */
export type Kind = 'sse' | 'long-poll' | 'poll' | 'websocket';

/** One connection or request, as recorded for assertions. */
export interface Connection {
  kind: Kind;
  lastEventId: string | undefined;
  headers: IncomingMessage['headers'];
}

/** What `intercept` may do with a request: answer it with a status, drop it, or accept and never speak. */
export type Interception = { status: number; headers?: Record<string, string>; body?: string } | 'drop' | 'silent' | undefined;

/** Options of {@link startReferenceServer}. */
export interface ReferenceServerOptions {
  /** Events kept for resume; an older Last-Event-ID gets a `gap`. @defaultValue 10000 */
  retain?: number;
  /** ms between `: keepalive` comments / ping frames while idle. @defaultValue 15000 */
  keepalive?: number;
  /** With deltas: the current state, sent as a `snapshot` to clients without a usable position. */
  snapshot?: () => unknown;
  /** Lets a test refuse, drop or freeze a request before it is served. */
  intercept?: (connection: Connection) => Interception;
  /** Called for every client message (WebSocket frame or POST). */
  onClientMessage?: (message: { event: string; data: unknown }, kind: Kind) => void;
}

/** A running reference server. */
export interface ReferenceServer {
  /** The base URL, `http://127.0.0.1:PORT/`. */
  url: string;
  /** Every connection or request served, oldest first. */
  connections: Connection[];
  /** Appends an event and pushes it to every open stream; returns its id. */
  publish(data: unknown, event?: string): string;
  /** Destroys every open connection (sockets and streams), mid-whatever. */
  dropAll(): void;
  /** Number of open streaming connections (SSE + WebSocket + held long polls). */
  open(): number;
  close(): Promise<void>;
}

interface Stored {
  id: number;
  event: string;
  data: unknown;
}

/** Starts the server on 127.0.0.1 with an ephemeral port. */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const { retain = 10_000, keepalive = 15_000 } = options;
  const log: Stored[] = [];
  let nextId = 1;
  const streams = new Set<{ push(e: Stored): void; end(): void }>();
  const sockets = new Set<Socket>();
  const connections: Connection[] = [];

  /** Events after `lastEventId`, or `'gap'` when that position is not retained. */
  const since = (lastEventId: string | undefined): Stored[] | 'gap' | 'fresh' => {
    if (!lastEventId) return 'fresh';
    const position = Number(lastEventId);
    const oldest = log[0]?.id ?? nextId;
    if (!Number.isInteger(position) || position >= nextId || position < oldest - 1) return 'gap';
    return log.filter((e) => e.id > position);
  };
  /** What a new connection starts with. */
  const backlog = (lastEventId: string | undefined): Stored[] => {
    const found = since(lastEventId);
    if (Array.isArray(found)) return found;
    if (options.snapshot) return [{ id: nextId - 1, event: 'snapshot', data: options.snapshot() }];
    // The gap carries the newest id: the position the client continues from.
    if (found === 'gap') return [{ id: nextId - 1, event: 'gap', data: null }];
    return log.slice();
  };
  const envelope = (e: Stored): string =>
    JSON.stringify(Number.isNaN(e.id) ? { event: e.event, data: e.data } : { id: String(e.id), event: e.event, data: e.data });
  const sseFrame = (e: Stored): string =>
    `${Number.isNaN(e.id) ? '' : `id: ${e.id}\n`}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;

  const server = createServer((req, res) => void handle(req, res));
  const wss = new WebSocketServer({ noServer: true });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'POST') return receivePost(req, res);
    const accept = req.headers.accept ?? '';
    const kind: Kind = accept.includes('text/event-stream') ? 'sse' : /wait=\d+/.test(String(req.headers.prefer)) ? 'long-poll' : 'poll';
    const lastEventId = header(req, 'last-event-id');
    const connection: Connection = { kind, lastEventId, headers: req.headers };
    connections.push(connection);
    const intercepted = options.intercept?.(connection);
    if (intercepted === 'drop') return void req.socket.destroy();
    if (intercepted === 'silent') return; // half-open: the request hangs forever
    if (intercepted) {
      res.writeHead(intercepted.status, intercepted.headers);
      return void res.end(intercepted.body);
    }
    if (kind === 'sse') return serveSse(lastEventId, req, res);
    const events = backlog(lastEventId);
    if (events.length > 0 || kind === 'poll') return sendJson(res, events);
    const wait = Math.min(Number(/wait=(\d+)/.exec(String(req.headers.prefer))?.[1]), 60) * 1000;
    // Headers go out at once, the body when there is news: the client knows it is connected
    // while the request is held. (Holding the headers too is also valid; it just reads as
    // 'connecting' until the first answer.)
    res.writeHead(200, JSON_HEADERS);
    res.flushHeaders();
    const stream = {
      push: (e: Stored) => finish([e]),
      end: () => res.destroy(),
    };
    const timer = setTimeout(() => finish([]), wait);
    const finish = (found: Stored[]): void => {
      clearTimeout(timer);
      streams.delete(stream);
      res.end(body(found));
    };
    streams.add(stream);
    req.on('close', () => {
      clearTimeout(timer);
      streams.delete(stream);
    });
  }

  function serveSse(lastEventId: string | undefined, req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    // A comment right away: the client's first-frame deadline sees the stream is alive.
    res.write(`: ok\n\n${backlog(lastEventId).map(sseFrame).join('')}`);
    const timer = setInterval(() => res.write(': keepalive\n\n'), keepalive);
    const stream = { push: (e: Stored) => res.write(sseFrame(e)), end: () => res.destroy() };
    streams.add(stream);
    req.on('close', () => {
      clearInterval(timer);
      streams.delete(stream);
    });
  }

  server.on('upgrade', (req, socket, head) => {
    const lastEventId = new URL(req.url ?? '/', 'http://x').searchParams.get('lastEventId') ?? undefined;
    const connection: Connection = { kind: 'websocket', lastEventId, headers: req.headers };
    connections.push(connection);
    const intercepted = options.intercept?.(connection);
    if (intercepted === 'drop') return void socket.destroy();
    if (intercepted && intercepted !== 'silent') {
      const extra = Object.entries(intercepted.headers ?? {})
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      return void socket.end(`HTTP/1.1 ${intercepted.status} Refused\r\n${extra}content-length: 0\r\n\r\n`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, lastEventId, intercepted === 'silent'));
  });

  function serveSocket(ws: WebSocket, lastEventId: string | undefined, silent: boolean): void {
    if (silent) return; // accepted, then never a frame: a half-open socket
    for (const e of backlog(lastEventId)) ws.send(envelope(e));
    const stream = { push: (e: Stored) => ws.send(envelope(e)), end: () => ws.terminate() };
    streams.add(stream);
    const timer = setInterval(() => ws.send('{"event":"ping"}'), keepalive);
    ws.on('message', (raw) => {
      const text = raw.toString();
      if (text === '{"event":"ping"}') return ws.send('{"event":"pong"}');
      if (text === '{"event":"pong"}') return;
      try {
        options.onClientMessage?.(JSON.parse(text), 'websocket');
      } catch {
        // A reference server ignores frames it cannot read.
      }
    });
    ws.on('close', () => {
      clearInterval(timer);
      streams.delete(stream);
    });
  }

  async function receivePost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      options.onClientMessage?.(JSON.parse(body), 'poll');
      res.writeHead(204).end();
    } catch {
      res.writeHead(400).end();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dropAll = (): void => {
    for (const stream of [...streams]) stream.end();
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    connections,
    publish(data, event = 'message') {
      const stored = { id: nextId++, event, data };
      log.push(stored);
      if (log.length > retain) log.shift();
      for (const stream of [...streams]) stream.push(stored);
      return String(stored.id);
    },
    dropAll,
    open: () => streams.size,
    async close() {
      dropAll();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

function body(events: Stored[]): string {
  const wire = events.map((e) =>
    Number.isNaN(e.id) ? { event: e.event, data: e.data } : { id: String(e.id), event: e.event, data: e.data },
  );
  return JSON.stringify({ events: wire });
}

function sendJson(res: ServerResponse, events: Stored[]): void {
  res.writeHead(200, JSON_HEADERS);
  res.end(body(events));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
