// An SSE server that sends more than `maxEventSize` of one event: the client refuses it with
// `too-large`, cuts the stream and resumes from the last event that fit, on a real node:http server.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Subscription, subscribe } from '../../src/index.js';
import { collect } from '../helpers/wait.js';

const MAX = 1_048_576;
const FIVE_MB = 5_000_000;
const fast = { initialDelay: 20, maxDelay: 100 };

let sub: Subscription<unknown, unknown> | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  sub?.close();
  await close?.();
});

/**
 * An SSE server whose nth response (0-based) is `script(n)`, written in 64 KiB pieces and left
 * open; records each request's headers.
 */
async function scriptedServer(script: (n: number) => string): Promise<{ url: string; requests: IncomingHttpHeaders[] }> {
  const requests: IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const text = script(requests.push(req.headers) - 1);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    let at = 0;
    // Wait for 'drain' rather than buffer 5 MB: the client stops reading once it has refused the event.
    const write = (): void => {
      while (at < text.length && !res.destroyed) {
        const piece = text.slice(at, (at += 65_536));
        if (!res.write(piece)) return void res.once('drain', write);
      }
    };
    write();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
}

const event = (id: number, data: string): string => `id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;

describe('an SSE event over maxEventSize', () => {
  it.each([
    ['a data line that never ends', `data: ${'x'.repeat(FIVE_MB)}`],
    ['a comment line that never ends', `: ${'x'.repeat(FIVE_MB)}`],
    ['data lines without the blank line that ends the event', `data: ${'x'.repeat(999)}\n`.repeat(FIVE_MB / 1000)],
    ['a complete event with 5 MB of data', event(3, 'x'.repeat(FIVE_MB))],
  ])('%s: ends the stream with too-large and resumes after the last event that fit, nothing lost or twice', async (_, hostile) => {
    const server = await scriptedServer((n) =>
      n === 0 ? event(1, 'a') + event(2, 'b') + hostile + event(9, 'never') : event(3, 'c') + event(4, 'd'),
    );
    sub = subscribe({ url: server.url, transport: 'sse', maxEventSize: MAX, reconnect: fast });
    const errors: unknown[] = [];
    sub.on('error', (e) => errors.push(e));
    const messages = await collect(sub, 4);
    expect(messages.map((m) => [m.id, m.data])).toEqual([
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
      ['4', 'd'],
    ]);
    expect(errors).toEqual([expect.objectContaining({ code: 'too-large', transport: 'sse' })]);
    expect(server.requests.map((h) => h['last-event-id'])).toEqual([undefined, '2']);
  });
});
