// Existing WebSocket servers that speak their own frames, read and written through
// `subscribe({ frame })`, against real ws servers on 127.0.0.1.
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type Subscription, subscribe } from '../../src/index.js';
import type { FrameCodec } from '../../src/transports/frame-codec.js';
import { collect, next } from '../helpers/wait.js';

const fast = { initialDelay: 20, maxDelay: 100 };

let sub: Subscription<unknown, unknown> | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  sub?.close();
  await close?.();
});

interface Server {
  url: string;
  /** Each connection's request URL (path and query). */
  urls: string[];
  /** Every frame the client sent, over all connections. */
  received: string[];
  /** Resolves once the client has sent `count` frames in all. */
  receivedCount(count: number): Promise<void>;
}

/** A ws server whose nth connection (0-based) is handed to `handle`. */
async function startServer(handle: (ws: WebSocket, n: number, req: IncomingMessage) => void): Promise<Server> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  close = () => new Promise((resolve) => wss.close(() => resolve()));
  const urls: string[] = [];
  const received: string[] = [];
  const waiters = new Set<() => void>();
  wss.on('connection', (ws, req) => {
    urls.push(req.url ?? '');
    ws.on('message', (frame) => {
      received.push(String(frame));
      for (const check of [...waiters]) check();
    });
    handle(ws, urls.length - 1, req);
  });
  return {
    url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    urls,
    received,
    receivedCount: (count) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (received.length < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}

describe('a chat server with its own frames and heartbeat', () => {
  const chat: FrameCodec = {
    decode: (frame) => {
      const { type, ...data } = JSON.parse(frame);
      return type === 'chat' ? { event: 'chat', data } : undefined;
    },
    reply: (frame) => (frame === '{"type":"ping"}' ? '{"type":"pong"}' : undefined),
    encode: (data, event) => JSON.stringify({ type: event, ...(data as object) }),
  };

  it('receives its events, answers its pings, sends through encode, and sends none of anywire’s frames', async () => {
    const server = await startServer((ws) => {
      ws.send('{"type":"ping"}');
      ws.send('{"type":"chat","user":"a","text":"hi"}');
    });
    sub = subscribe({ url: server.url, transport: 'websocket', WebSocket: WebSocket as never, frame: chat });
    const [message] = await collect(sub, 1);
    expect(message).toMatchObject({ event: 'chat', data: { user: 'a', text: 'hi' }, id: undefined });
    await sub.send({ text: 'yo' }, 'chat');
    await server.receivedCount(2);
    expect(server.received).toEqual(['{"type":"pong"}', '{"type":"chat","text":"yo"}']);
    expect(server.urls).toEqual(['/']);
  });
});

describe('a Binance-style combined stream', () => {
  const trade = (t: number, price: string): string =>
    JSON.stringify({ stream: 'btcusdt@trade', data: { e: 'trade', s: 'BTCUSDT', t, p: price } });
  const combined: FrameCodec = {
    decode: (frame) => {
      const { stream, data } = JSON.parse(frame);
      return stream === undefined ? undefined : { id: (data as { t?: number }).t, event: stream, data }; // {"result":null,"id":1}: an ack
    },
    open: () => [JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1 })],
  };

  it('delivers each frame as an event named after its stream, after sending SUBSCRIBE first', async () => {
    const server = await startServer((ws) => {
      ws.once('message', () => {
        ws.send('{"result":null,"id":1}');
        ws.send(trade(7, '100.5'));
      });
    });
    sub = subscribe({ url: server.url, transport: 'websocket', WebSocket: WebSocket as never, frame: combined });
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    const [message] = await collect(sub, 1);
    expect(message).toMatchObject({ event: 'btcusdt@trade', id: '7', data: { s: 'BTCUSDT', p: '100.5' } });
    expect(server.received[0]).toBe('{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}');
    expect(errors).toEqual([]);
  });

  it('resumes only as the codec says: no lastEventId parameter; resume() and open() get the position', async () => {
    const opened: Array<string | undefined> = [];
    const codec: FrameCodec = {
      ...combined,
      open: (position) => {
        opened.push(position);
        return [];
      },
      resume: (url, position) => {
        url.searchParams.set('fromId', position);
        return url;
      },
    };
    const server = await startServer((ws, n) => {
      if (n === 0) {
        ws.send(trade(1, '1'));
        ws.send(trade(2, '2'), () => ws.terminate());
      } else ws.send(trade(3, '3'));
    });
    sub = subscribe({
      url: `${server.url}stream?streams=btcusdt@trade`,
      transport: 'websocket',
      WebSocket: WebSocket as never,
      frame: codec,
      reconnect: fast,
    });
    const messages = await collect(sub, 3);
    expect(messages.map((m) => m.id)).toEqual(['1', '2', '3']);
    expect(server.urls).toEqual(['/stream?streams=btcusdt@trade', '/stream?streams=btcusdt%40trade&fromId=2']);
    expect(opened).toEqual([undefined, '2']);
  });

  it('leaves the URL alone on a reconnect when the codec has no resume()', async () => {
    const server = await startServer((ws, n) => {
      if (n === 0) ws.send(trade(1, '1'), () => ws.terminate());
      else ws.send(trade(2, '2'));
    });
    sub = subscribe({
      url: `${server.url}stream?streams=btcusdt@trade`,
      transport: 'websocket',
      WebSocket: WebSocket as never,
      frame: combined,
      reconnect: fast,
    });
    const messages = await collect(sub, 2);
    expect(messages.map((m) => m.id)).toEqual(['1', '2']); // there was a position to resume from
    expect(server.urls).toEqual(['/stream?streams=btcusdt@trade', '/stream?streams=btcusdt@trade']);
  });
});

describe("a frame codec's output", () => {
  it('is checked like an envelope: lists are delivered, invalid events and throws are frame errors, the socket stays', async () => {
    const server = await startServer((ws) => {
      for (const frame of [
        '[{"event":"a","data":1},{"event":"b","data":2}]',
        '{"event":null,"data":3}',
        'not json',
        '{"event":"c"}',
        '{"event":"d","data":4}',
      ]) {
        ws.send(frame);
      }
    });
    sub = subscribe({
      url: server.url,
      transport: 'websocket',
      WebSocket: WebSocket as never,
      frame: { decode: (frame) => JSON.parse(frame) },
    });
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    const messages = await collect(sub, 3);
    expect(messages.map((m) => [m.event, m.data])).toEqual([
      ['a', 1],
      ['b', 2],
      ['d', 4],
    ]);
    expect(errors).toEqual(['frame', 'frame', 'frame']);
    expect(server.urls).toHaveLength(1);
  });

  it('is bounded by maxEventSize too', async () => {
    const server = await startServer((ws, n) => ws.send(n === 0 ? `{"data":"${'x'.repeat(200)}"}` : '{"data":"small"}'));
    sub = subscribe({
      url: server.url,
      transport: 'websocket',
      WebSocket: WebSocket as never,
      frame: { decode: (frame) => JSON.parse(frame) },
      maxEventSize: 100,
      reconnect: fast,
    });
    const error = next(sub, 'error');
    expect((await collect(sub, 1))[0]?.data).toBe('small');
    expect(await error).toMatchObject({ code: 'too-large' });
  });
});
