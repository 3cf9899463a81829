// A WebSocket-only server that restarts: on Node with `ws`, a refused TCP connection is a network
// error, retried on WebSocket; it used to count as a failed open and move the client to SSE, where
// the server's 426 kept it forever. A 426 on an HTTP transport now sends the client back.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type AnywireError, type Subscription, subscribe } from '../../src/index.js';
import { next } from '../helpers/wait.js';

/** A server that speaks only WebSocket: every plain HTTP request gets 426 Upgrade Required. */
function webSocketOnly(onFrame: (frame: string) => void, refuseUpgrades = 0): { server: Server; wss: WebSocketServer } {
  const server = createServer((_req, res) => res.writeHead(426, { upgrade: 'websocket' }).end());
  const wss = new WebSocketServer({ noServer: true });
  let upgrades = 0;
  server.on('upgrade', (req, socket, head) => {
    // The first `refuseUpgrades` upgrades get a mangled handshake (no Sec-WebSocket-Accept), as
    // from a proxy that does not pass upgrades through: closed before it opened.
    if (upgrades++ < refuseUpgrades) {
      return void socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data) => {
        const frame = String(data);
        if (frame === '{"event":"ping"}') return ws.send('{"event":"pong"}');
        onFrame(frame);
      });
      ws.send(JSON.stringify({ id: '1', event: 'hello', data: 'over websocket' }));
    });
  });
  return { server, wss };
}

const listen = (server: Server, port = 0): Promise<number> =>
  new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('a WebSocket-only server', () => {
  let sub: Subscription | undefined;
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    sub?.close();
    await stop?.();
  });
  const track = (parts: { server: Server; wss: WebSocketServer }): void => {
    stop = async () => {
      for (const client of parts.wss.clients) client.terminate();
      parts.server.closeAllConnections();
      await new Promise((resolve) => parts.server.close(resolve));
    };
  };

  it('that is down: refused connections are network errors, retried on websocket, and a queued send goes out once it is back', async () => {
    const frames: string[] = [];
    const parts = webSocketOnly((frame) => frames.push(frame));
    const port = await listen(parts.server);
    await new Promise((resolve) => parts.server.close(resolve)); // the "restart": nothing listens
    sub = subscribe({
      url: `http://127.0.0.1:${port}/`,
      transport: ['websocket', 'sse'],
      WebSocket: WebSocket as never,
      reconnect: { initialDelay: 20, maxDelay: 40 },
    });
    const errors: AnywireError[] = [];
    sub.on('error', (e) => errors.push(e));
    const sent = sub.send({ text: 'queued' }, 'chat');
    await next(sub, 'error', () => errors.length >= 4);
    expect(errors.slice(0, 4).map((e) => e.code)).toEqual(['network', 'network', 'network', 'network']);
    expect(errors[0]?.message).toMatch(`cannot connect to ws://127.0.0.1:${port}/: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(sub.transport).toBe('websocket');
    expect(sub.explain().history).toEqual([]);

    track(parts);
    await listen(parts.server, port); // back up, on the same port
    const hello = await next(sub, 'message');
    expect(hello).toMatchObject({ event: 'hello', transport: 'websocket' });
    await sent;
    await expect.poll(() => frames).toEqual(['{"event":"chat","data":{"text":"queued"}}']);
  });

  it('answering 426 on SSE after a fallback sends the client back to websocket', async () => {
    const parts = webSocketOnly(() => {}, 2);
    track(parts);
    const port = await listen(parts.server);
    sub = subscribe({
      url: `http://127.0.0.1:${port}/`,
      transport: ['websocket', 'sse'],
      WebSocket: WebSocket as never,
      reconnect: { initialDelay: 20, maxDelay: 40 },
    });
    const errors: AnywireError[] = [];
    sub.on('error', (e) => errors.push(e));
    const hello = await next(sub, 'message');
    expect(hello).toMatchObject({ event: 'hello', transport: 'websocket' });
    // Two upgrades mangled before open → SSE; SSE answered 426 → back to websocket.
    expect(sub.explain().history.map(({ from, to }) => `${from}→${to}`)).toEqual(['websocket→sse', 'sse→websocket']);
    expect(sub.explain().history[1]?.reason).toBe('the server answered 426 Upgrade Required: back to websocket');
    expect(errors.map((e) => [e.code, e.status])).toEqual([
      ['closed-before-open', undefined],
      ['closed-before-open', undefined],
      ['http-status', 426],
    ]);
  });
});
