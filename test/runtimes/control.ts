// The host side of the runtimes suite: a small JSON API on 127.0.0.1 through which a client script
// running in another runtime starts reference servers (examples/server.ts, in the host's Node),
// publishes to them, drops their connections and reads what they saw. Every runtime talks to it
// with its own fetch, so the servers stay the same whatever runs the client.
//
//   POST   /servers               { refuse?: number }  → { id, url, websocket? }
//   POST   /servers/:id/publish   { data, event? }     → { id }
//   POST   /servers/:id/drop                           → {}
//   GET    /servers/:id/connections                    → { connections: [{ kind, lastEventId }], refusedSockets }
//   DELETE /servers/:id                                → {}
//   POST   /unreachable                                → { url } (a port nobody listens on)
//
// With `refuse`, the reference server answers every request and upgrade with that status, and
// `websocket` names a second server that accepts sockets and closes them with 4000 + status.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ReferenceServer, startReferenceServer } from '../../examples/server.js';
import { type RefusingSocketServer, startRefusingSocketServer } from '../browser/refusing-socket-server.js';

interface Entry {
  server: ReferenceServer;
  sockets: RefusingSocketServer | undefined;
}

/** A running control server. */
export interface ControlServer {
  url: string;
  /** Reference servers still running (a client that crashed leaves some behind). */
  running(): number;
  close(): Promise<void>;
}

/** A URL on 127.0.0.1 whose port was just freed: connecting to it is refused. */
async function unreachable(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

export async function startControlServer(): Promise<ControlServer> {
  const entries = new Map<string, Entry>();
  let nextId = 1;

  async function route(method: string, path: string[], body: Record<string, unknown>): Promise<unknown> {
    if (method === 'POST' && path.length === 1 && path[0] === 'servers') {
      const refuse = typeof body.refuse === 'number' ? body.refuse : undefined;
      const server = await startReferenceServer(refuse ? { intercept: () => ({ status: refuse }) } : {});
      const sockets = refuse ? await startRefusingSocketServer(refuse) : undefined;
      const id = String(nextId++);
      entries.set(id, { server, sockets });
      return { id, url: server.url, ...(sockets ? { websocket: sockets.url } : {}) };
    }
    if (method === 'POST' && path.length === 1 && path[0] === 'unreachable') return { url: await unreachable() };
    const entry = path[0] === 'servers' && path[1] ? entries.get(path[1]) : undefined;
    if (!entry || !path[1]) return undefined;
    const action = `${method} ${path[2] ?? ''}`;
    if (action === 'POST publish') return { id: entry.server.publish(body.data, typeof body.event === 'string' ? body.event : undefined) };
    if (action === 'POST drop') {
      entry.server.dropAll();
      return {};
    }
    if (action === 'GET connections') {
      return {
        connections: entry.server.connections.map(({ kind, lastEventId }) => ({ kind, lastEventId })),
        refusedSockets: entry.sockets?.upgrades() ?? 0,
      };
    }
    if (action === 'DELETE ') {
      entries.delete(path[1]);
      await Promise.all([entry.server.close(), entry.sockets?.close()]);
      return {};
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    try {
      const path = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter(Boolean);
      const answer = await route(req.method ?? 'GET', path, text ? (JSON.parse(text) as Record<string, unknown>) : {});
      res.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer ?? { error: `no route ${req.method} ${req.url}` }));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(error) }));
    }
  }

  const http = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    running: () => entries.size,
    async close() {
      await Promise.all([...entries.values()].flatMap(({ server, sockets }) => [server.close(), sockets?.close()]));
      entries.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
