// One contract every transport passes, against the reference server on 127.0.0.1.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ReferenceServer, startReferenceServer } from '../../examples/server.js';
import { type Subscription, subscribe, type TransportName } from '../../src/index.js';
import { subscribe as nodeSubscribe } from '../../src/node.js';
import { collect, next, until } from '../helpers/wait.js';

// Each transport through the default entry, and SSE once more through the Node entry, where it
// runs over node:http instead of fetch (src/transports/sse-node.ts).
const TRANSPORTS: Array<[string, TransportName, typeof subscribe]> = [
  ['sse', 'sse', subscribe],
  ['sse over node:http', 'sse', nodeSubscribe],
  ['long-poll', 'long-poll', subscribe],
  ['poll', 'poll', subscribe],
  ['websocket', 'websocket', subscribe],
];
const fast = { initialDelay: 20, maxDelay: 100 };

describe.each(TRANSPORTS)('%s transport', (_label, transport, subscribe) => {
  let server: ReferenceServer;
  let sub: Subscription<unknown, unknown> | undefined;
  const open = (extra: Record<string, unknown> = {}): Subscription<unknown, unknown> => {
    sub = subscribe({
      url: server.url,
      transport,
      WebSocket: WebSocket as never,
      requirements: { staleness: 20 },
      reconnect: fast,
      ...extra,
    });
    return sub;
  };

  beforeEach(async () => {
    server = await startReferenceServer();
  });
  afterEach(async () => {
    sub?.close();
    await server.close();
  });

  it('delivers events in order with their id, name and transport', async () => {
    const s = open();
    await next(s, 'status', (status) => status === 'open');
    const got = collect(s, 3);
    server.publish({ n: 1 });
    server.publish({ n: 2 }, 'price');
    server.publish({ n: 3 });
    const messages = await got;
    expect(messages.map((m) => [m.data, m.event, m.id, m.transport])).toEqual([
      [{ n: 1 }, 'message', '1', transport],
      [{ n: 2 }, 'price', '2', transport],
      [{ n: 3 }, 'message', '3', transport],
    ]);
    expect(s.lastEventId).toBe('3');
  });

  it('resumes after the server drops the connection, nothing lost and nothing twice', async () => {
    const s = open();
    await next(s, 'status', (status) => status === 'open');
    const got = collect(s, 10);
    for (let i = 1; i <= 5; i++) server.publish(i);
    await until(s, () => s.lastEventId === '5');
    server.dropAll();
    for (let i = 6; i <= 10; i++) server.publish(i);
    const messages = await got;
    expect(messages.map((m) => m.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(server.connections.some((c) => c.lastEventId === '5')).toBe(true);
  });

  it('starts from the given lastEventId', async () => {
    for (let i = 1; i <= 4; i++) server.publish(i);
    const s = open({ lastEventId: '2' });
    const messages = await collect(s, 2);
    expect(messages.map((m) => m.data)).toEqual([3, 4]);
    expect(server.connections[0]?.lastEventId).toBe('2');
  });

  it('closes on a fatal 401 without retrying', async () => {
    server = await restartWith({ intercept: () => ({ status: 401 }) });
    const s = open();
    const error = await next(s, 'error');
    expect(error).toMatchObject({ code: 'http-status', status: 401, transport });
    await until(s, () => s.status === 'closed');
    expect(server.connections).toHaveLength(1);
  });

  it('retries a 503 and then delivers', async () => {
    let refused = 0;
    server = await restartWith({ intercept: () => (refused++ < 1 ? { status: 503 } : undefined) });
    const s = open();
    const error = await next(s, 'error');
    expect(error).toMatchObject({ code: 'http-status', status: 503 });
    await next(s, 'status', (status) => status === 'open');
    const got = collect(s, 1);
    server.publish('after');
    expect((await got)[0]?.data).toBe('after');
  });

  it('sends with send(): a frame on websocket, a POST otherwise', async () => {
    const received: unknown[] = [];
    let both: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (both = resolve));
    server = await restartWith({ onClientMessage: (m) => received.push(m) === 2 && both() });
    const s = open({ requirements: { direction: 'both', staleness: 20 } });
    await s.send({ text: 'hi' }, 'chat');
    await s.send('plain');
    await arrived;
    expect(received).toEqual([
      { event: 'chat', data: { text: 'hi' } },
      { event: 'message', data: 'plain' },
    ]);
  });

  it('close() while connecting leaves nothing open', async () => {
    const s = open();
    s.close();
    expect(s.status).toBe('closed');
    await expect(s.send('x')).rejects.toMatchObject({ code: 'send' });
    expect(server.open()).toBe(0);
  });

  it('ends a for-await loop when closed', async () => {
    const s = open();
    await next(s, 'status', (status) => status === 'open');
    server.publish('a');
    server.publish('b');
    const seen: unknown[] = [];
    for await (const message of s) {
      seen.push(message.data);
      if (seen.length === 2) s.close();
    }
    expect(seen).toEqual(['a', 'b']);
  });

  async function restartWith(options: Parameters<typeof startReferenceServer>[0]): Promise<ReferenceServer> {
    await server.close();
    return startReferenceServer(options);
  }
});
