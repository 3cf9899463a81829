// The mock server's own behaviour: its protocol defaults, its records, and its plumbing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnywireError, type Message, mergePatch, subscribe } from '../../src/index.js';
import { createMockServer, flush, type MockServer } from '../../src/testing/index.js';

const advance = async (ms: number): Promise<void> => {
  await vi.advanceTimersByTimeAsync(ms);
};

describe('mock server', () => {
  let server: MockServer;
  const subs: Array<{ close(): void }> = [];
  const track = <S extends { close(): void }>(sub: S): S => {
    subs.push(sub);
    return sub;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    server = createMockServer();
  });
  afterEach(() => {
    for (const sub of subs.splice(0)) sub.close();
    server.close();
    vi.useRealTimers();
  });

  it('gives every server its own URL, so the transport anywire learns for one never leaks into the next', () => {
    const other = createMockServer();
    expect(server.url).toMatch(/^https:\/\/anywire\.test\/stream\/\d+$/);
    expect(other.url).not.toBe(server.url);
    other.close();
  });

  it('nextConnection() is a cursor: generation k for the k-th call, made before the call or after', async () => {
    track(subscribe({ url: server.url, ...server.options, transport: 'sse', random: () => 0 }));
    await advance(0);
    server.drop();
    await advance(0);
    expect(server.connections).toHaveLength(2);
    expect((await server.nextConnection()).generation).toBe(1); // made before the call
    expect((await server.nextConnection()).generation).toBe(2);
    const third = server.nextConnection(); // not made yet
    server.drop();
    await advance(0);
    expect((await third).generation).toBe(3);
    const never = server.nextConnection();
    server.close();
    await expect(never).rejects.toThrow(/closed/);
  });

  it('refuses URLs it does not serve, naming the one it does', async () => {
    await expect(server.options.fetch('https://elsewhere.test/x', {})).rejects.toThrow(server.url);
    expect(() => new server.options.WebSocket('wss://elsewhere.test/x')).toThrow(server.url);
    // Its ws: twin and any query are the same endpoint.
    expect(() => new server.options.WebSocket(`${server.url.replace('https', 'wss')}?lastEventId=3`)).not.toThrow();
  });

  it('install() routes the globals for its URL only, and uninstall() restores them exactly', async () => {
    const fetchBefore = globalThis.fetch;
    const hadWebSocket = 'WebSocket' in globalThis;
    const passthrough = vi.fn(async () => new Response('real'));
    globalThis.fetch = passthrough;
    const other = createMockServer();
    server.install();
    other.install();
    const sub = track(subscribe({ url: server.url, transport: ['websocket', 'sse'], random: () => 0 }));
    expect(await server.nextConnection()).toMatchObject({ transport: 'websocket', status: 101 });
    expect(await (await fetch('https://example.test/')).text()).toBe('real');
    server.uninstall(); // in any order
    expect(globalThis.fetch).not.toBe(passthrough);
    other.uninstall();
    expect(globalThis.fetch).toBe(passthrough);
    expect('WebSocket' in globalThis).toBe(hadWebSocket);
    globalThis.fetch = fetchBefore;
    sub.close();
  });

  it('an app that calls subscribe() with no options gets the transport it would get in production', async () => {
    server.install();
    const sub = track(subscribe<{ n: number }>({ url: server.url }));
    expect(await server.nextConnection()).toMatchObject({ transport: 'sse', headers: { accept: 'text/event-stream' } });
    server.emit({ n: 1 });
    await advance(0);
    expect(sub.getSnapshot()).toEqual({ n: 1 });
  });

  it('holds a long poll until its Prefer: wait ends, then answers empty; the client asks again on the same connection', async () => {
    track(subscribe({ url: server.url, ...server.options, transport: 'long-poll' }));
    const connection = await server.nextConnection();
    expect(connection.headers.prefer).toBe('wait=27');
    await advance(26_999);
    expect(connection.requests).toHaveLength(1);
    await advance(1);
    expect(connection.requests).toHaveLength(2);
    expect(server.connections).toHaveLength(1);
  });

  it('keeps an idle SSE stream alive with keepalive comments; without them the client times out', async () => {
    const errors: AnywireError[] = [];
    track(subscribe({ url: server.url, ...server.options, transport: 'sse' })).on('error', (e) => errors.push(e));
    await advance(120_000);
    expect(errors).toEqual([]);
    const quiet = createMockServer({ keepalive: false });
    track(subscribe({ url: quiet.url, ...quiet.options, transport: 'sse' })).on('error', (e) => errors.push(e));
    await advance(45_000);
    expect(errors.map((e) => e.code)).toEqual(['heartbeat-timeout']);
    quiet.close();
  });

  it('without pongs a socket is never confirmed: the first-frame deadline ends it', async () => {
    const mute = createMockServer({ pong: false });
    const errors: AnywireError[] = [];
    track(subscribe({ url: mute.url, ...mute.options, transport: 'websocket' })).on('error', (e) => errors.push(e));
    await advance(45_000);
    expect(errors.map((e) => e.code)).toEqual(['first-frame-timeout']);
    expect(mute.connections[0]?.frames).toEqual(['{"event":"ping"}', '{"event":"ping"}', '{"event":"ping"}']); // at 0, 15 s, 30 s
    mute.close();
  });

  it('a resume from a forgotten position gets a gap, which the client reports but does not deliver', async () => {
    const sub = track(subscribe({ url: server.url, ...server.options, transport: 'sse', random: () => 0 }));
    const seen: unknown[] = [];
    const gaps: unknown[] = [];
    sub.on('message', (m) => seen.push(m.data));
    sub.on('gap', (g) => gaps.push(g));
    await server.nextConnection();
    server.emit('a');
    await advance(0);
    server.drop();
    server.emit('b'); // missed while away…
    server.forget(); // …and forgotten by a restarted server
    await advance(0);
    expect((await server.nextConnection()).lastEventId).toBe('1');
    expect(gaps).toHaveLength(1);
    server.emit('c');
    await advance(0);
    expect(seen).toEqual(['a', 'c']);
  });

  it('gives a client without a usable position a snapshot of the current state', async () => {
    let state = { ACME: 10 };
    const stateful = createMockServer({ snapshot: () => state });
    stateful.emit({ ACME: 10 }, 'snapshot');
    state = { ACME: 12 };
    const sub = track(subscribe({ url: stateful.url, ...stateful.options, transport: 'poll', delta: mergePatch }));
    await advance(0);
    expect(sub.getSnapshot()).toEqual({ ACME: 12 });
    expect(sub.lastEventId).toBe('1'); // the snapshot carries the newest id
    stateful.close();
  });

  it('snapshot() and delta(patch, state) keep the state a resyncing client gets', async () => {
    server.snapshot({ a: 1 });
    server.delta({ b: 2 }, { a: 1, b: 2 });
    const sub = track(subscribe({ url: server.url, ...server.options, transport: 'sse', delta: mergePatch }));
    await advance(0);
    expect(sub.getSnapshot()).toEqual({ a: 1, b: 2 });
    expect(server.events.map((e) => e.event)).toEqual(['snapshot', 'delta']);
  });

  it('fail() counts requests, can target one transport, and can close a socket with 4000 + status instead', async () => {
    server.fail(503, { transport: 'websocket', times: 2, websocket: 'close-code' });
    const errors: AnywireError[] = [];
    const statuses: string[] = [];
    const sub = track(subscribe({ url: server.url, ...server.options, transport: 'websocket', random: () => 0 }));
    sub.on('error', (e) => errors.push(e));
    sub.on('status', (s) => statuses.push(s));
    await advance(0);
    await advance(0);
    await advance(0);
    expect(errors.map((e) => [e.status, e.retryAfter])).toEqual([
      [503, undefined],
      [503, undefined],
    ]);
    expect(statuses.slice(0, 2)).toEqual(['open', 'reconnecting']); // the socket opened before it closed
    expect(server.connections.map((c) => c.status)).toEqual([503, 503, 101]);
  });

  it('silence swallows what the client sends, and drop() cannot reach a half-open connection', async () => {
    const sub = track(subscribe({ url: server.url, ...server.options, transport: 'websocket', random: () => 0 }));
    await server.nextConnection();
    await advance(0);
    server.silent();
    sub.send('into the void').catch(() => {});
    server.drop();
    await advance(0);
    expect(sub.status).toBe('open');
    expect(server.received).toEqual([]);
    expect(server.connections[0]?.open).toBe(true);
    server.close();
    expect(server.connections[0]?.open).toBe(false);
  });
});

describe('mock WebSocket', () => {
  it('behaves like a browser socket and like ws: events as promise jobs, send() throws while connecting', async () => {
    const server = createMockServer();
    server.emit('backlog');
    const socket = new server.options.WebSocket(server.url.replace('https', 'wss'), undefined, { headers: { 'X-Token': 't' } });
    const events: string[] = [];
    (socket as unknown as EventTarget).addEventListener('open', () => events.push('open'));
    socket.onmessage = ({ data }) => events.push(String(data));
    socket.onclose = ({ code }) => events.push(`close ${code}`);
    const node: string[] = []; // the 'ws' package's side, which anywire reads on Node
    (socket as unknown as { on(e: string, fn: (data: string, binary: boolean) => void): void }).on('message', (data, binary) =>
      node.push(`${data} ${binary}`),
    );
    expect(() => socket.send('{"event":"ping"}')).toThrow(/CONNECTING/);
    expect(events).toEqual([]);
    await Promise.resolve();
    await Promise.resolve();
    socket.send('{"event":"ping"}');
    socket.send('{"event":"chat","data":1}');
    await Promise.resolve();
    socket.close();
    await Promise.resolve();
    expect(events).toEqual(['open', '{"id":"1","event":"message","data":"backlog"}', '{"event":"pong"}', 'close 1000']);
    expect(node).toEqual(['{"id":"1","event":"message","data":"backlog"} false', '{"event":"pong"} false']);
    expect(server.received).toEqual([{ event: 'chat', data: 1, via: 'frame', headers: {} }]);
    expect(server.connections[0]).toMatchObject({ headers: { 'x-token': 't' }, open: false });
    server.close();
  });
});

describe('jest-style fake timers', () => {
  // jest's modern fake timers also fake queueMicrotask (vitest's leave it alone): the mock
  // dispatches with promise jobs, so only the core's own queueMicrotask waits for the clock.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'queueMicrotask'] });
  });
  afterEach(() => vi.useRealTimers());

  it('delivers, drops and resumes with advanceTimersByTimeAsync', async () => {
    const server = createMockServer();
    const seen: unknown[] = [];
    const sub = subscribe({ url: server.url, ...server.options, transport: 'websocket', random: () => 0.5 });
    sub.on('message', (m) => seen.push(m.data));
    await advance(0); // runs the faked queueMicrotask that starts the subscription
    server.emit(1);
    server.drop();
    server.emit(2);
    await advance(500);
    expect(seen).toEqual([1, 2]);
    expect(server.connections.map((c) => c.lastEventId)).toEqual([undefined, '1']);
    sub.close();
    server.close();
  });
});

describe('without fake timers', () => {
  it('runs on an injected clock: the mock’s keepalive and the client’s heartbeat both follow it', async () => {
    const clock = manualClock();
    const server = createMockServer({ timers: clock, keepalive: 10_000 });
    const messages: Array<Message<unknown>> = [];
    const errors: AnywireError[] = [];
    const sub = subscribe({ url: server.url, ...server.options, transport: 'sse', timers: clock, heartbeat: { timeout: 30_000 } });
    sub.on('message', (m) => messages.push(m));
    sub.on('error', (e) => errors.push(e));
    await server.nextConnection();
    await clock.advance(100_000);
    expect(errors).toEqual([]);
    server.emit('on time');
    await clock.advance(0);
    expect(messages.map((m) => m.data)).toEqual(['on time']);
    sub.close();
    server.close();
  });
});

/** A clock a test moves by hand: timers fire in order, with every promise job settled in between. */
function manualClock() {
  let now = 0;
  let seq = 0;
  const queue = new Map<number, { at: number; fn: () => void }>();
  const settle = flush;
  return {
    setTimeout(fn: () => void, ms: number): unknown {
      queue.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout(handle: unknown): void {
      queue.delete(handle as number);
    },
    now: () => now,
    async advance(ms: number): Promise<void> {
      const end = now + ms;
      await settle();
      for (;;) {
        const due = [...queue.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        queue.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await settle();
      }
      now = end;
    },
  };
}
