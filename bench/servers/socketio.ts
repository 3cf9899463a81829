/**
 * The socket.io server: a real `socket.io` Server does the handshake (engine.io open packet,
 * namespace connect); then `io(url, { query: { n } })` gets N `message` events. They are written
 * as pre-built frames `42["message",{...}]`, byte for byte what `socket.emit('message', data)`
 * sends over the websocket transport, so the server's encoding cost is left out.
 */

import { createServer, type Server } from 'node:http';
import { Server as SocketIoServer } from 'socket.io';
import { perCount, rawSocket, textFrames } from './frames.js';
import { tickJson } from './payload.js';

const frames = perCount((n) => textFrames(n, (i) => `42["message",${tickJson(i)}]`));

/** Starts the socket.io server (websocket transport only) on 127.0.0.1 with an ephemeral port. */
export async function startSocketIoServer(): Promise<Server> {
  const server = createServer();
  const io = new SocketIoServer(server, { transports: ['websocket'], serveClient: false });
  io.on('connection', (socket) => {
    const n = Number(socket.handshake.query.n ?? 1000);
    const transport = (socket.conn as unknown as { transport: { socket: unknown } }).transport;
    // After the namespace CONNECT reply has gone out (emitted synchronously before this handler).
    rawSocket(transport.socket).write(frames(n));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4096, resolve));
  return server;
}
