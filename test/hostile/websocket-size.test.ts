// A WebSocket server that sends a frame larger than `maxEventSize`: the client refuses it with
// `too-large`, cuts the socket and resumes from the last event that fit, on a real ws server.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type Subscription, subscribe } from '../../src/index.js';
import { collect, next } from '../helpers/wait.js';

const MAX = 1000;
const fast = { initialDelay: 20, maxDelay: 100 };

let sub: Subscription<unknown, unknown> | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  sub?.close();
  await close?.();
});

/** A ws server that hands its nth connection (0-based) to `handle`; records each resume position. */
async function startServer(handle: (ws: WebSocket, n: number) => void): Promise<{ url: string; positions: Array<string | null> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const positions: Array<string | null> = [];
  wss.on('connection', (ws, req) => {
    positions.push(new URL(req.url ?? '/', 'http://x').searchParams.get('lastEventId'));
    ws.on('message', (frame) => String(frame) === '{"event":"ping"}' && ws.send('{"event":"pong"}'));
    handle(ws, positions.length - 1);
  });
  close = () => new Promise((resolve) => wss.close(() => resolve()));
  return { url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}/`, positions };
}

/** A ws server whose nth connection gets `script(n)`'s frames. */
const scriptedServer = (script: (n: number) => string[]) =>
  startServer((ws, n) => {
    for (const frame of script(n)) ws.send(frame);
  });

const frame = (id: number, data: unknown): string => JSON.stringify({ id: String(id), data });

describe('a WebSocket frame over maxEventSize', () => {
  it('ends the connection with too-large and resumes after the last event that fit, nothing twice', async () => {
    // 2,000 ASCII characters: under ws's byte bound (3 × 1000), caught by the text-length check.
    const server = await scriptedServer((n) =>
      n === 0
        ? [frame(1, 'a'), frame(2, 'b'), frame(3, 'x'.repeat(2 * MAX)), frame(4, 'never on this socket')]
        : [frame(3, 'c'), frame(4, 'd')],
    );
    sub = subscribe({ url: server.url, transport: 'websocket', WebSocket: WebSocket as never, maxEventSize: MAX, reconnect: fast });
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    const messages = await collect(sub, 4);
    expect(messages.map((m) => [m.id, m.data])).toEqual([
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
      ['4', 'd'],
    ]);
    expect(errors).toEqual(['too-large']);
    expect(server.positions).toEqual([null, '2']);
  });

  it('is refused by ws past 3 bytes per character (its maxPayload), with the same resume', async () => {
    const server = await scriptedServer((n) => (n === 0 ? [frame(1, 'a'), frame(2, 'x'.repeat(4 * MAX))] : [frame(3, 'c')]));
    sub = subscribe({ url: server.url, transport: 'websocket', WebSocket: WebSocket as never, maxEventSize: MAX, reconnect: fast });
    const error = next(sub, 'error');
    const messages = await collect(sub, 2);
    expect(await error).toMatchObject({ code: 'too-large', transport: 'websocket' });
    expect(messages.map((m) => m.data)).toEqual(['a', 'c']);
    expect(server.positions).toEqual([null, '1']);
  });

  it('counts characters, not bytes: maxEventSize characters of 3-byte UTF-8 get through, one more does not', async () => {
    const exactly = (id: number, length: number): string => {
      const overhead = frame(id, '').length;
      return frame(id, '€'.repeat(length - overhead));
    };
    const server = await scriptedServer((n) => (n === 0 ? [exactly(1, MAX), exactly(2, MAX + 1)] : [frame(2, 'after')]));
    sub = subscribe({ url: server.url, transport: 'websocket', WebSocket: WebSocket as never, maxEventSize: MAX, reconnect: fast });
    const error = next(sub, 'error');
    const messages = await collect(sub, 2);
    expect(await error).toMatchObject({ code: 'too-large' });
    expect(messages.map((m) => [m.id, (m.data as string).length])).toEqual([
      ['1', MAX - frame(1, '').length],
      ['2', 5],
    ]);
    expect(server.positions).toEqual([null, '1']);
  });
});

describe('an oversized frame on Node (ws)', () => {
  it('is refused from its header, before its payload arrives, and the socket is cut', async () => {
    // A raw server announces a 50 MB text frame and sends 1 KB of it: only a byte bound set on the
    // socket can see the frame is too large while its payload is still on its way.
    const sockets: Socket[] = [];
    const http = createServer();
    http.on('upgrade', (req, socket: Socket) => {
      sockets.push(socket);
      const key = String(req.headers['sec-websocket-key']);
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      const header = Buffer.alloc(10);
      header[0] = 0x81; // FIN, text
      header[1] = 127; // 64-bit length follows
      header.writeBigUInt64BE(50_000_000n, 2);
      socket.write(Buffer.concat([header, Buffer.alloc(1024, 0x61)]));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    close = () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy(); // upgraded sockets are no longer the server's
        http.close(() => resolve());
      });
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
    sub = subscribe({ url, transport: 'websocket', WebSocket: WebSocket as never, reconnect: fast });
    expect(await next(sub, 'error')).toMatchObject({ code: 'too-large', transport: 'websocket' });
    const [first] = sockets as [Socket];
    await new Promise((resolve) => {
      first.once('end', resolve).once('close', resolve).resume(); // the client hangs up
    });
  });
});

describe('close code 1009 (Message Too Big)', () => {
  it('is a too-large error, and the subscription resumes', async () => {
    const server = await startServer((ws, n) => (n === 0 ? ws.close(1009, 'too big for me') : ws.send(frame(1, 'a'))));
    sub = subscribe({ url: server.url, transport: 'websocket', WebSocket: WebSocket as never, reconnect: fast });
    const error = next(sub, 'error');
    expect((await collect(sub, 1))[0]?.data).toBe('a');
    expect(await error).toMatchObject({ code: 'too-large', transport: 'websocket' });
  });
});
