// Ids that cannot travel in a header (`日本-1`, CR/LF, 2 kB) used to make fetch throw while
// building Last-Event-ID, on every retry, forever. Now such an id moves no position, is reported
// once as `bad-id`, and the event is still delivered exactly once.

import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { isPortableId } from '../../src/core/position.js';
import { type AnywireError, type Message, type Subscription, subscribe } from '../../src/index.js';
import { serve, sseHead, type TestServer } from '../helpers/http-server.js';
import { collect } from '../helpers/wait.js';

const BAD = ['日本-2', 'two\r\nX-Injected: 1', 'x'.repeat(1025)];
/** The bad ids an SSE id line can carry (a line ends at CR or LF). */
const BAD_SSE = BAD.filter((id) => !/[\r\n]/.test(id));

describe('isPortableId', () => {
  it.each(['', '1', 'a b', '2024-01-01T00:00:00Z/7', 'x'.repeat(1024), '~!#$%'])('accepts %j', (id) => {
    expect(isPortableId(id)).toBe(true);
  });
  it.each([...BAD, ' 1', '1 ', '\t1', 'é', 'a\0b'])('refuses %j', (id) => {
    expect(isPortableId(id)).toBe(false);
  });
});

describe.each(BAD_SSE)('an SSE id that cannot be a Last-Event-ID (%j)', (bad) => {
  let server: TestServer | undefined;
  let sub: Subscription | undefined;
  afterEach(async () => {
    sub?.close();
    await server?.close();
  });

  it('is delivered once, moves no position, and the reconnect resumes from the last good id', async () => {
    const wire = (id: string, n: number): string => `id: ${id}\ndata: ${n}\n\n`;
    server = await serve((req, res, index) => {
      sseHead(res);
      if (index === 0) res.end(wire('1', 1) + wire(bad, 2));
      else if (req.headers['last-event-id'] === '1') res.write(wire(bad, 2) + wire('3', 3));
    });
    const s = server;
    sub = subscribe({ url: server.url, transport: 'sse', reconnect: { initialDelay: 10, maxDelay: 20 } });
    await check(sub, bad, () => s.requests.map((h) => h['last-event-id'] as string | undefined));
  });
});

/** Delivers 1, 2 (bad id), 3 exactly once; the reconnect carries position 1; one bad-id error. */
async function check(s: Subscription, bad: string, positions: () => Array<string | undefined>): Promise<void> {
  const errors: AnywireError[] = [];
  s.on('error', (e) => errors.push(e));
  const got = await collect(s, 3);
  expect(got.map((m: Message<unknown>) => [m.data, m.id])).toEqual([
    [1, '1'],
    [2, bad],
    [3, '3'],
  ]);
  expect(positions()[1]).toBe('1');
  expect(errors.filter((e) => e.code === 'bad-id')).toHaveLength(1);
  expect(s.lastEventId).toBe('3');
}

describe.each(BAD)('an envelope id that cannot be a Last-Event-ID (%j)', (bad) => {
  let server: TestServer | undefined;
  let wss: WebSocketServer | undefined;
  let sub: Subscription | undefined;
  afterEach(async () => {
    sub?.close();
    await server?.close();
    await new Promise((resolve) => (wss ? wss.close(resolve) : resolve(undefined)));
    server = wss = undefined;
  });
  const fast = { initialDelay: 10, maxDelay: 20 };

  it('poll: delivered once, position unmoved, the next request resumes from the last good id', async () => {
    const body = (events: Array<[string, number]>): string => JSON.stringify({ events: events.map(([id, data]) => ({ id, data })) });
    server = await serve((req, res, index) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (index === 0)
        res.end(
          body([
            ['1', 1],
            [bad, 2],
          ]),
        );
      else if (req.headers['last-event-id'] === '1')
        res.end(
          body([
            [bad, 2],
            ['3', 3],
          ]),
        );
      else res.end(body([]));
    });
    sub = subscribe({ url: server.url, transport: 'poll', reconnect: fast });
    const s = server;
    await check(sub, bad, () => s.requests.map((h) => h['last-event-id'] as string | undefined));
  });

  it('websocket: delivered once, position unmoved, the reconnect resumes from the last good id', async () => {
    const positions: Array<string | undefined> = [];
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss?.once('listening', resolve));
    wss.on('connection', (socket, req) => {
      const from = new URL(req.url ?? '/', 'http://x').searchParams.get('lastEventId') ?? undefined;
      positions.push(from);
      const frame = (id: string, data: number): void => socket.send(JSON.stringify({ id, data }));
      if (positions.length === 1) {
        frame('1', 1);
        frame(bad, 2);
        socket.close(1000);
      } else if (from === '1') {
        frame(bad, 2);
        frame('3', 3);
      }
    });
    const { port } = wss.address() as { port: number };
    sub = subscribe({ url: `ws://127.0.0.1:${port}/`, transport: 'websocket', WebSocket: WebSocket as never, reconnect: fast });
    await check(sub, bad, () => positions);
  });
});
