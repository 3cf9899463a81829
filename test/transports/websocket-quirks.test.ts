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
