// docs/protocol.md section 2, on the JSON transports: `"event": null` is a `frame` error and the
// event is skipped; `"id": null` means no id; an empty event name is 'message'. The connection
// goes on and the other events are delivered.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type Subscription, subscribe } from '../../src/index.js';
import { serve } from '../helpers/http-server.js';
import { collect } from '../helpers/wait.js';

const EVENTS = [
  { id: '1', event: null, data: 1 },
  { id: null, data: 2 },
  { id: '3', event: '', data: 3 },
];

let sub: Subscription<unknown, unknown> | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  sub?.close();
  await close?.();
});

async function expectSection2(s: Subscription<unknown, unknown>): Promise<void> {
  const errors: string[] = [];
  s.on('error', (e) => errors.push(e.code));
  const messages = await collect(s, 2);
  expect(messages.map((m) => [m.id, m.event, m.data])).toEqual([
    [undefined, 'message', 2],
    ['3', 'message', 3],
  ]);
  expect(errors).toEqual(['frame']);
  expect(s.lastEventId).toBe('3');
}

describe('an event with "event": null', () => {
  it('is a frame error on a WebSocket, and the frames around it are delivered', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    close = () => new Promise((resolve) => wss.close(() => resolve()));
    wss.on('connection', (ws) => {
      ws.on('message', () => ws.send('{"event":"pong"}'));
      for (const event of EVENTS) ws.send(JSON.stringify(event));
    });
    const url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    sub = subscribe({ url, transport: 'websocket', WebSocket: WebSocket as never });
    await expectSection2(sub);
  });

  it.each(['poll', 'long-poll'] as const)('is a frame error in a %s body, and the events around it are delivered', async (transport) => {
    const server = await serve((_req, res, index) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ events: index === 0 ? EVENTS : [] }));
    });
    close = server.close;
    sub = subscribe({ url: server.url, transport });
    await expectSection2(sub);
  });
});
