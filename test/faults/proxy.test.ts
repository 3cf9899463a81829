// The proxy itself: each fault does what faults.test.ts relies on, byte for byte.

import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type FaultProxy, startFaultProxy } from './proxy.js';
import type { Plan } from './schedule.js';

const PAYLOAD = 'x'.repeat(1000);

/** What the upstream saw of its one connection. */
interface Upstream {
  server: Server;
  url: string;
  accepted: number;
  /** Bytes the client got through to the upstream. */
  received: string;
  /** Resolves when the upstream's connection closes. */
  closed: Promise<void>;
}

let proxy: FaultProxy | undefined;
let upstream: Upstream | undefined;
afterEach(async () => {
  await proxy?.close();
  await new Promise<void>((resolve) => (upstream ? upstream.server.close(() => resolve()) : resolve()));
  proxy = upstream = undefined;
});

/** A raw TCP upstream that sends PAYLOAD in one write as soon as a connection arrives. */
async function startUpstream(): Promise<Upstream> {
  let closed: () => void = () => {};
  const state = { accepted: 0, received: '', closed: new Promise<void>((resolve) => (closed = resolve)) };
  const server = createServer((socket) => {
    state.accepted++;
    socket.on('error', () => {});
    socket.on('data', (chunk) => (state.received += chunk.toString()));
    socket.on('close', closed);
    socket.write(PAYLOAD);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  upstream = Object.assign(state, { server, url: `http://127.0.0.1:${port}/` });
  return upstream;
}

async function proxyWith(plan: Plan): Promise<FaultProxy> {
  const target = upstream?.url ?? (await startUpstream()).url;
  proxy = await startFaultProxy({ target, seed: 0, maxCut: 0, plan: () => plan });
  return proxy;
}

/**
 * Connects a raw client to the proxy and resolves, once it has closed, with the bytes it got and
 * how the line ended: an error code, or undefined for a clean end (FIN). A RST that lands right
 * after a read can surface as a plain end in Node (libuv reads that hang-up as EOF), so on an end
 * the client probes with a write: a reset socket fails it with EPIPE, a half-closed one takes it.
 */
function rawClient(url: string, onData?: (received: string, socket: Socket) => void): Promise<{ received: string; error?: string }> {
  return new Promise((resolve) => {
    const { port } = new URL(url);
    const socket = connect({ host: '127.0.0.1', port: Number(port), allowHalfOpen: true });
    let received = '';
    let error: string | undefined;
    socket.on('data', (chunk) => {
      received += chunk.toString();
      onData?.(received, socket);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code));
    socket.on('end', () => socket.writableEnded || socket.end('probe'));
    socket.on('close', () => resolve(error === undefined ? { received } : { received, error }));
  });
}

describe('fault proxy', () => {
  it('cut: forwards exactly `at` server bytes, then ends the connection', async () => {
    const p = await proxyWith({ kind: 'cut', at: 321 });
    const { received, error } = await rawClient(p.url);
    expect(received).toBe(PAYLOAD.slice(0, 321));
    expect(error).toBeUndefined();
    expect(p.counts.cut).toBe(1);
    expect(p.injected()).toBe(1);
  });

  it('reset: aborts the connection with a TCP RST after at most `at` bytes', async () => {
    const p = await proxyWith({ kind: 'reset', at: 10 });
    const { received, error } = await rawClient(p.url);
    expect(PAYLOAD.slice(0, 10).startsWith(received)).toBe(true);
    expect(['ECONNRESET', 'EPIPE']).toContain(error);
    expect(p.counts.reset).toBe(1);
  });

  it('stall: forwards `at` bytes, then nothing either way, and keeps the upstream open until the client gives up', async () => {
    const p = await proxyWith({ kind: 'stall', at: 200 });
    const up = upstream as Upstream;
    let gaveUp = false;
    const upstreamClosedAfterClient = up.closed.then(() => gaveUp);
    const { received } = await rawClient(p.url, (got, socket) => {
      if (got.length < 200 || gaveUp) return;
      // A pass-through would carry this to the upstream; a stalled line drops it.
      gaveUp = true;
      socket.end('hello?');
    });
    expect(received).toBe(PAYLOAD.slice(0, 200));
    expect(await upstreamClosedAfterClient).toBe(true);
    expect(up.received).toBe('');
    expect(p.counts.stall).toBe(1);
  });

  it('answers an HTTP request itself with 503 and Retry-After, never reaching the server', async () => {
    const p = await proxyWith({ kind: '503-retry-after', at: 0 });
    const response = await fetch(p.url, { headers: { accept: 'text/event-stream' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.text()).toBe('injected 503\n');
    expect((upstream as Upstream).accepted).toBe(0);
    expect(p.counts['503-retry-after']).toBe(1);
  });

  it('answers a WebSocket upgrade with 502 and no Retry-After', async () => {
    const p = await proxyWith({ kind: '502', at: 0 });
    const socket = new WebSocket(p.url.replace('http:', 'ws:'));
    const { status, retryAfter } = await new Promise<{ status: number | undefined; retryAfter: unknown }>((resolve) => {
      socket.on('error', () => {});
      socket.on('unexpected-response', (request, response) => {
        resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] });
        request.destroy();
      });
    });
    expect(status).toBe(502);
    expect(retryAfter).toBeUndefined();
    expect((upstream as Upstream).accepted).toBe(0);
    expect(p.counts['502']).toBe(1);
  });
});
