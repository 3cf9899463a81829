// Runtime quirks of WebSocket implementations the transport must survive.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { subscribe, type WebSocketLike } from '../../src/index.js';

/** Node 22's built-in WebSocket (undici 6) when nothing listens: 'error', and never 'close'. */
class ErrorOnlySocket implements WebSocketLike {
  static made = 0;
  readyState = 0;
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor() {
    ErrorOnlySocket.made++;
    queueMicrotask(() => this.onerror?.({}));
  }
  send(): void {}
  close(): void {}
}

describe('websocket transport quirks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("ends a failed attempt on 'error' without waiting for a 'close' that never comes", async () => {
    ErrorOnlySocket.made = 0;
    const sub = subscribe({ url: 'http://127.0.0.1:9/', transport: 'websocket', WebSocket: ErrorOnlySocket, random: () => 0.5 });
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual(['closed-before-open']);
    expect(sub.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(500); // the backoff delay, not the 45 s heartbeat timeout
    expect(ErrorOnlySocket.made).toBe(2);
    sub.close();
  });
});

/** A socket that opens on a microtask and records what it sends. */
class RecordingSocket implements WebSocketLike {
  static all: RecordingSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor() {
    RecordingSocket.all.push(this);
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }
  send(frame: string): void {
    this.sent.push(frame);
    if (frame === '{"event":"ping"}') queueMicrotask(() => this.onmessage?.({ data: '{"event":"pong"}' }));
  }
  close(): void {
    this.readyState = 3;
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
}

describe('websocket heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings on its own interval per connection; an old socket never pings after a reconnect', async () => {
    RecordingSocket.all = [];
    const sub = subscribe({
      url: 'http://127.0.0.1:9/',
      transport: 'websocket',
      WebSocket: RecordingSocket,
      heartbeat: { interval: 1000, timeout: 3000 },
      random: () => 0.5,
    });
    await vi.advanceTimersByTimeAsync(0);
    const [first] = RecordingSocket.all as [RecordingSocket];
    expect(first.sent).toEqual(['{"event":"ping"}']); // right after open
    await vi.advanceTimersByTimeAsync(2000);
    expect(first.sent).toHaveLength(3); // and every interval, whatever arrives
    first.drop();
    await vi.advanceTimersByTimeAsync(500);
    const second = RecordingSocket.all[1] as RecordingSocket;
    await vi.advanceTimersByTimeAsync(5000);
    expect(first.sent).toHaveLength(3);
    expect(second.sent.length).toBeGreaterThanOrEqual(5);
    expect(sub.status).toBe('open');
    sub.close();
  });
});

describe('websocket heartbeat with a frame codec', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Answers the codec's ping the way its server would. */
  class OpPongSocket extends RecordingSocket {
    override send(frame: string): void {
      super.send(frame);
      if (frame === '{"op":"ping"}') queueMicrotask(() => this.onmessage?.({ data: '{"op":"pong"}' }));
    }
  }

  it("sends open() frames first, then send()s made on open, then the codec's ping: right after open and every interval", async () => {
    RecordingSocket.all = [];
    const sub = subscribe({
      url: 'http://127.0.0.1:9/',
      transport: 'websocket',
      WebSocket: OpPongSocket,
      heartbeat: { interval: 1000, timeout: 3000 },
      frame: { decode: () => undefined, ping: '{"op":"ping"}', open: () => ['SUBSCRIBE'], encode: (data) => `say ${data}` },
      random: () => 0.5,
    });
    sub.on('status', (status) => status === 'open' && void sub.send('hello'));
    await vi.advanceTimersByTimeAsync(0);
    const [socket] = RecordingSocket.all as [RecordingSocket];
    expect(socket.sent).toEqual(['SUBSCRIBE', 'say hello', '{"op":"ping"}']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(socket.sent.slice(3)).toEqual(Array(5).fill('{"op":"ping"}'));
    expect(RecordingSocket.all).toHaveLength(1);
    expect(sub.status).toBe('open');
    sub.close();
  });

  it("without the codec's ping, sends no pings: the server's own traffic keeps the socket", async () => {
    RecordingSocket.all = [];
    const sub = subscribe({
      url: 'http://127.0.0.1:9/',
      transport: 'websocket',
      WebSocket: RecordingSocket,
      heartbeat: { interval: 1000, timeout: 3000 },
      frame: { decode: () => undefined },
      random: () => 0.5,
    });
    await vi.advanceTimersByTimeAsync(0);
    const [socket] = RecordingSocket.all as [RecordingSocket];
    for (let i = 0; i < 10; i++) {
      socket.onmessage?.({ data: '{"tick":1}' });
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(socket.sent).toEqual([]);
    expect(RecordingSocket.all).toHaveLength(1);
    expect(sub.status).toBe('open');
    sub.close();
  });
});
