/**
 * A Centrifuge-compatible server, enough for centrifuge-js over its JSON protocol: it answers the
 * `connect` command, answers `subscribe` to channel `bench:N`, then pushes N publications, one
 * per frame (`{"push":{"channel":"bench:N","pub":{"data":{...}}}}`) as pre-built frames.
 * Commands may arrive several per frame, separated by newlines (centrifuge batches them).
 */

import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { perCount, rawSocket, textFrames } from './frames.js';
import { tickJson } from './payload.js';

interface Command {
  id?: number;
  connect?: unknown;
  subscribe?: { channel?: string };
}

const pushes = perCount((n) => textFrames(n, (i) => `{"push":{"channel":"bench:${n}","pub":{"data":${tickJson(i)}}}}`));

/** Starts the Centrifuge-protocol server on 127.0.0.1 with an ephemeral port, at /connection/websocket. */
export async function startCentrifugeServer(): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ server, path: '/connection/websocket', perMessageDeflate: false });
  let clients = 0;
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    ws.on('message', (data) => {
      for (const line of String(data).split('\n')) {
        if (line.trim() === '') continue;
        const cmd = JSON.parse(line) as Command;
        if (cmd.connect !== undefined) {
          clients += 1;
          ws.send(JSON.stringify({ id: cmd.id, connect: { client: `c${clients}`, version: '0.0.0-bench', ping: 0 } }));
        } else if (cmd.subscribe !== undefined) {
          const channel = cmd.subscribe.channel ?? '';
          const n = Number(channel.split(':')[1] ?? 1000);
          ws.send(JSON.stringify({ id: cmd.id, subscribe: {} }));
          rawSocket(ws).write(pushes(n));
        } else if (cmd.id !== undefined) {
          // Anything else (unsubscribe, …) gets an empty reply so the client does not time out.
          ws.send(JSON.stringify({ id: cmd.id }));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4096, resolve));
  return server;
}
