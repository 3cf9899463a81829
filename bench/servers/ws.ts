/**
 * The plain WebSocket server (`ws`), for raw `ws`, partysocket and anywire: `/ws?n=N` blasts N
 * pre-built anywire envelopes (one JSON event per text frame); `/idle-ws` accepts and stays quiet,
 * answering anywire's `{"event":"ping"}` with a pong.
 */

import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { perCount, rawSocket, textFrames } from './frames.js';
import { envelopeJson } from './payload.js';

const frames = perCount((n) => textFrames(n, envelopeJson));

/** Starts the plain WebSocket server on 127.0.0.1 with an ephemeral port. */
export async function startWsServer(): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/ws') {
      rawSocket(ws).write(frames(Number(url.searchParams.get('n') ?? 1000)));
    } else if (url.pathname === '/idle-ws') {
      ws.on('message', (data) => {
        if (String(data).includes('"ping"')) ws.send('{"event":"pong"}');
      });
    } else {
      ws.close(1008, 'unknown path');
    }
    ws.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4096, resolve));
  return server;
}
