import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A node:http server on 127.0.0.1 for one test: every request recorded, the handler swappable. */
export interface TestServer {
  /** `http://127.0.0.1:PORT/`. */
  url: string;
  /** Every request's headers, oldest first. */
  requests: IncomingMessage['headers'][];
  /** Stops listening and destroys every open socket. */
  close(): Promise<void>;
}

/** Starts a {@link TestServer} on a free port; `handle` answers each request (its index counts from 0). */
export async function serve(handle: (req: IncomingMessage, res: ServerResponse, index: number) => void): Promise<TestServer> {
  const requests: IncomingMessage['headers'][] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push(req.headers);
    handle(req, res, requests.length - 1);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes an SSE response head. */
export function sseHead(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
}
