// The connection loop under fake timers, with scripted transports and injected randomness:
// every timing below is exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEALTHY_AFTER, PROBE_AFTER } from '../../src/core/options.js';
import { createSubscribe, jsonPatch, mergePatch, type SubscribeOptions } from '../../src/index.js';
import { httpError, networkError, refusedError, scripted } from '../helpers/scripted.js';

const flush = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};
let url = 0;
/** A fresh endpoint per test, so the learned-transport memory never leaks between tests. */
const fresh = (): string => `https://loop.test/${++url}`;

describe('connection loop', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const setup = (options: Partial<SubscribeOptions> = {}) => {
    const sse = scripted('sse');
    const lp = scripted('long-poll');
    const subscribe = createSubscribe({ transports: [sse, lp] });
    const sub = subscribe({ url: fresh(), random: () => 0.5, ...options });
    return { sse, lp, sub };
  };

  it('emits nothing from inside subscribe(): the first attempt starts on a microtask', async () => {
    const { sse, sub } = setup();
    const statuses: string[] = [];
    sub.on('status', (s) => statuses.push(s));
    expect(sse.connections).toHaveLength(0);
    await flush();
    expect(sse.connections).toHaveLength(1);
    sse.last().open();
    expect(statuses).toEqual(['open']);
    sub.close();
  });

  it('retries exactly after the backoff delay (first retry within 1 s)', async () => {
    const { sse, sub } = setup({ transport: 'sse' });
    await flush();
    sse.last().end(networkError());
    await flush();
    expect(sub.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(499); // random 0.5 → half of the 1 s first delay
    expect(sse.connections).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sse.connections).toHaveLength(2);
    sub.close();
  });

  it('honours Retry-After, adding the jittered delay on top', async () => {
    const { sse, sub } = setup({ transport: 'sse' });
    await flush();
    sse.last().end(httpError(503, 5000));
    await vi.advanceTimersByTimeAsync(5499);
    expect(sse.connections).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sse.connections).toHaveLength(2);
    sub.close();
  });

  it('resets the attempt counter only after a connection stayed healthy, not on its first byte', async () => {
    const { sse, sub } = setup({ transport: 'sse', reconnect: { initialDelay: 1000, maxDelay: 8000, factor: 8, jitter: 'none' } });
    await flush();
    sse.last().end(networkError()); // failure 1: 1 s
    await vi.advanceTimersByTimeAsync(1000);
    sse.last().open();
    await vi.advanceTimersByTimeAsync(HEALTHY_AFTER - 1);
    sse.last().end(networkError()); // dropped before healthy: the schedule goes on (8 s)
    await vi.advanceTimersByTimeAsync(7999);
    expect(sse.connections).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sse.connections).toHaveLength(3);
    sse.last().open();
    await vi.advanceTimersByTimeAsync(HEALTHY_AFTER);
    sse.last().end(networkError()); // healthy first: back to 1 s
    await vi.advanceTimersByTimeAsync(1000);
    expect(sse.connections).toHaveLength(4);
    sub.close();
  });

  it('falls back after two failed opens and records the switch', async () => {
    const { sse, lp, sub } = setup();
    await flush();
    sse.last().end(refusedError());
    await vi.advanceTimersByTimeAsync(500);
    sse.last().end(refusedError());
    await flush();
    expect(lp.connections).toHaveLength(1);
    expect(sub.transport).toBe('long-poll');
    expect(sub.explain().history).toEqual([{ from: 'sse', to: 'long-poll', reason: expect.stringContaining('refused upgrade') }]);
    sub.close();
  });

  it('treats a transport that opens but stays silent past the first-frame deadline as a failed open', async () => {
    const { sse, lp, sub } = setup({ heartbeat: { timeout: 1000 } });
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    await flush();
    sse.last().ctx.onOpen(); // opened, but never a byte
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(500);
    sse.last().ctx.onOpen();
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toEqual(['first-frame-timeout', 'first-frame-timeout']);
    expect(lp.connections).toHaveLength(1);
    sub.close();
  });

  it('resumes a stream silent past heartbeat.timeout, from its position', async () => {
    const { sse, sub } = setup({ transport: 'sse', heartbeat: { timeout: 1000 } });
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    await flush();
    sse.last().open();
    sse.last().ctx.onText('7', 'message', '1');
    await vi.advanceTimersByTimeAsync(999);
    sse.last().ctx.onActivity(); // a keepalive comment counts
    await vi.advanceTimersByTimeAsync(999);
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(errors).toEqual(['heartbeat-timeout']);
    await vi.advanceTimersByTimeAsync(500);
    expect(sse.last().ctx.lastEventId()).toBe('7');
    sub.close();
  });

  it('remembers the transport that worked for the next subscription to the same endpoint', async () => {
    const sse = scripted('sse');
    const lp = scripted('long-poll');
    const subscribe = createSubscribe({ transports: [sse, lp] });
    const endpoint = fresh();
    const first = subscribe({ url: endpoint, random: () => 0.5 });
    await flush();
    sse.last().end(refusedError());
    await vi.advanceTimersByTimeAsync(500);
    sse.last().end(refusedError());
    await flush();
    lp.last().open();
    first.close();
    const second = subscribe({ url: endpoint, random: () => 0.5 });
    await flush();
    expect(second.transport).toBe('long-poll');
    expect(sse.connections).toHaveLength(2);
    expect(second.explain().history[0]?.reason).toMatch(/long-poll worked for this endpoint/);
    second.close();
  });

  it('probes the preferred transport after a healthy period on the fallback, and returns at once if it still fails', async () => {
    const { sse, lp, sub } = setup({ heartbeat: false });
    await flush();
    sse.last().end(refusedError());
    await vi.advanceTimersByTimeAsync(500);
    sse.last().end(refusedError());
    await flush();
    lp.last().open();
    await vi.advanceTimersByTimeAsync(HEALTHY_AFTER + PROBE_AFTER);
    expect(sse.connections).toHaveLength(3);
    expect(sub.transport).toBe('sse');
    sse.last().end(refusedError());
    await flush();
    expect(sub.transport).toBe('long-poll');
    expect(lp.connections).toHaveLength(2);
    lp.last().open();
    // A failed probe doubles the wait before the next one.
    await vi.advanceTimersByTimeAsync(HEALTHY_AFTER + PROBE_AFTER);
    expect(sse.connections).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(PROBE_AFTER);
    expect(sse.connections).toHaveLength(4);
    sse.last().open();
    expect(sub.transport).toBe('sse');
    expect(sub.explain().history.map((h) => h.to)).toEqual(['long-poll', 'sse', 'long-poll', 'sse']);
    sub.close();
  });

  it('answers a 401 by calling headers() again with the reason, and closes on a second 401', async () => {
    const reasons: string[] = [];
    const { sse, sub } = setup({
      transport: 'sse',
      headers: (reason) => {
        reasons.push(reason);
        return { authorization: `t${reasons.length}` };
      },
    });
    await flush();
    expect(sse.last().ctx.headers).toEqual({ authorization: 't1' });
    sse.last().end(httpError(401));
    await flush();
    expect(sse.last().ctx.headers).toEqual({ authorization: 't2' });
    sse.last().end(httpError(401));
    await flush();
    expect(reasons).toEqual(['connect', 'unauthorized']);
    expect(sub.status).toBe('closed');
  });

  it('reconnect() reconnects at once with a fresh schedule, also after maxAttempts gave up', async () => {
    const { sse, sub } = setup({ transport: 'sse', reconnect: { maxAttempts: 1 } });
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    await flush();
    sse.last().end(networkError());
    await vi.advanceTimersByTimeAsync(500);
    sse.last().end(networkError());
    await flush();
    expect(sub.status).toBe('closed');
    expect(errors).toEqual(['network', 'network', 'max-attempts']);
    sub.reconnect();
    expect(sub.status).toBe('connecting');
    await flush();
    expect(sse.connections).toHaveLength(3);
    sse.last().open();
    expect(sub.status).toBe('open');
    sub.reconnect();
    await flush();
    expect(sse.connections).toHaveLength(4);
    sub.close();
  });

  it('rejects a send() waiting for a socket once the subscription gives up, instead of hanging', async () => {
    const ws = scripted('websocket');
    const sub = createSubscribe({ transports: [ws] })({
      url: fresh(),
      transport: 'websocket',
      WebSocket: class {} as never,
      reconnect: { maxAttempts: 0 },
    });
    await flush();
    const sent = sub.send('hello');
    ws.last().end(networkError());
    await expect(sent).rejects.toMatchObject({ code: 'send', cause: { code: 'max-attempts' } });
    expect(sub.status).toBe('closed');
  });

  it('close() during backoff and during connect leaves no timer behind', async () => {
    const a = setup({ transport: 'sse' });
    await flush();
    a.sse.last().end(networkError());
    await flush();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    a.sub.close();
    await flush();
    expect(vi.getTimerCount()).toBe(0);
    const b = setup({ transport: 'sse' });
    await flush();
    b.sub.close();
    await flush();
    expect(vi.getTimerCount()).toBe(0);
    expect(b.sub.status).toBe('closed');
  });

  it("throws a TypeError naming the import when given 0.1's string form of a codec", () => {
    expect(() => setup({ delta: 'json-patch' as never })).toThrow(
      new TypeError('[anywire] `delta: "json-patch"` is now `delta: jsonPatch`, imported: import { jsonPatch } from \'anywire\''),
    );
    expect(() => setup({ delta: 'merge-patch' as never })).toThrow(/is now `delta: mergePatch`, imported: import \{ mergePatch \}/);
  });

  it('an aborted signal closes the subscription', async () => {
    const controller = new AbortController();
    const { sub } = setup({ signal: controller.signal });
    await flush();
    controller.abort();
    expect(sub.status).toBe('closed');
  });

  it('waits for `online` while offline, bounded by one capped delay, and retries at once when back', async () => {
    const win = new EventTarget();
    vi.stubGlobal('addEventListener', win.addEventListener.bind(win));
    vi.stubGlobal('removeEventListener', win.removeEventListener.bind(win));
    const { sse, sub } = setup({ transport: 'sse' });
    await flush();
    win.dispatchEvent(new Event('offline'));
    sse.last().end(networkError());
    await vi.advanceTimersByTimeAsync(5000);
    expect(sse.connections).toHaveLength(1);
    win.dispatchEvent(new Event('online'));
    await flush();
    expect(sse.connections).toHaveLength(2);
    sub.close();
  });

  it('leaves the window listener count as it was after 50 failed attempts and close()', async () => {
    const win = new EventTarget();
    let listeners = 0;
    vi.stubGlobal('addEventListener', (type: string, fn: () => void) => {
      listeners++;
      win.addEventListener(type, fn);
    });
    vi.stubGlobal('removeEventListener', (type: string, fn: () => void) => {
      listeners--;
      win.removeEventListener(type, fn);
    });
    const { sse, sub } = setup({ transport: 'sse' });
    await flush();
    for (let i = 0; i < 50; i++) {
      sse.last().end(networkError());
      await vi.advanceTimersByTimeAsync(10_000);
    }
    expect(sse.connections).toHaveLength(51);
    sub.close();
    expect(listeners).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("pauses polls in a hidden page with whenHidden: 'pause', and polls at once when visible", async () => {
    const doc = Object.assign(new EventTarget(), { hidden: false });
    vi.stubGlobal('document', doc);
    const poll = scripted('poll');
    const sub = createSubscribe({ transports: [poll] })({ url: fresh(), requirements: { staleness: 5000 }, whenHidden: 'pause' });
    await flush();
    poll.last().open();
    doc.hidden = true;
    let polled = false;
    void poll
      .last()
      .ctx.pause(5000)
      .then(() => (polled = true));
    await vi.advanceTimersByTimeAsync(120_000); // no heartbeat timeout while paused either
    expect(polled).toBe(false);
    expect(sub.status).toBe('open');
    doc.hidden = false;
    doc.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(polled).toBe(true);
    sub.close();
  });

  it('drops the position on a gap (or takes the gap id), so the next connect does not ask for it again', async () => {
    const { sse, sub } = setup({ transport: 'sse' });
    const gaps: unknown[] = [];
    sub.on('gap', (g) => gaps.push(g));
    await flush();
    sse.last().open();
    sse.last().ctx.onText('5', 'message', '1');
    sse.last().ctx.onText('5', 'gap', 'null'); // an id already seen: still a gap
    expect(gaps).toEqual([{ lastEventId: '5' }]);
    expect(sub.lastEventId).toBe('5');
    sse.last().ctx.onText(undefined, 'gap', 'null');
    expect(sub.lastEventId).toBeUndefined();
    sse.last().ctx.onText('9', 'gap', 'null');
    expect(sub.lastEventId).toBe('9');
    sub.close();
  });

  it('applies the resync snapshot even when it reuses an id seen before the failed delta', async () => {
    const { sse, sub } = setup({ transport: 'sse', delta: jsonPatch, initial: {} });
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    await flush();
    sse.last().open();
    sse.last().ctx.onText('1', 'snapshot', '{"items":[1]}');
    sse.last().ctx.onText('2', 'delta', '[{"op":"test","path":"/items/0","value":9}]');
    sse.last().ctx.onText('3', 'delta', '[{"op":"add","path":"/items/-","value":2}]'); // after a failure: not applied
    expect(sub.getSnapshot()).toEqual({ items: [1] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toEqual(['delta']);
    expect(sse.connections).toHaveLength(2);
    sse.last().open();
    sse.last().ctx.onText('3', 'snapshot', '{"items":[1,2,3]}');
    expect(sub.getSnapshot()).toEqual({ items: [1, 2, 3] });
    sub.close();
  });

  it('waits at least the stream retry: before reconnecting, with jitter on top', async () => {
    const { sse, sub } = setup({ transport: 'sse' });
    await flush();
    sse.last().open();
    sse.last().ctx.onRetry(3000);
    sse.last().end();
    await vi.advanceTimersByTimeAsync(3499);
    expect(sse.connections).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sse.connections).toHaveLength(2);
    sub.close();
  });

  it('resumes from the same position across a fallback', async () => {
    const { sse, lp, sub } = setup();
    await flush();
    sse.last().open();
    sse.last().ctx.onText('41', 'message', '1');
    sse.last().end(refusedError()); // a confirmed connection: not a failed open
    await vi.advanceTimersByTimeAsync(500);
    sse.last().end(refusedError());
    await vi.advanceTimersByTimeAsync(5000);
    sse.last().end(refusedError());
    await flush();
    expect(lp.connections).toHaveLength(1);
    expect(lp.last().ctx.lastEventId()).toBe('41');
    sub.close();
  });

  it('checks liveness at once when the page becomes visible after a long timer gap (sleep)', async () => {
    const doc = Object.assign(new EventTarget(), { hidden: false });
    vi.stubGlobal('document', doc);
    const { sse, sub } = setup({ transport: 'sse' });
    const errors: string[] = [];
    sub.on('error', (e) => errors.push(e.code));
    await flush();
    sse.last().open();
    // The laptop sleeps 10 minutes: the wall clock jumps, the timers have not fired.
    vi.setSystemTime(Date.now() + 10 * 60_000);
    doc.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(errors).toEqual(['heartbeat-timeout']);
    await vi.advanceTimersByTimeAsync(500);
    expect(sse.connections).toHaveLength(2);
    sub.close();
  });

  it("polls 4x less often in a hidden page with whenHidden: 'slow'", async () => {
    const doc = Object.assign(new EventTarget(), { hidden: true });
    vi.stubGlobal('document', doc);
    const poll = scripted('poll');
    const sub = createSubscribe({ transports: [poll] })({ url: fresh(), requirements: { staleness: 5000 }, whenHidden: 'slow' });
    await flush();
    poll.last().open();
    let polled = false;
    void poll
      .last()
      .ctx.pause(5000)
      .then(() => (polled = true));
    await vi.advanceTimersByTimeAsync(19_999);
    expect(polled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(polled).toBe(true);
    sub.close();
  });

  it('counts what a full for-await buffer drops in sub.dropped', async () => {
    const { sse, sub } = setup({ transport: 'sse', buffer: { size: 2 } });
    const iterator = sub[Symbol.asyncIterator]();
    await flush();
    sse.last().open();
    for (const n of ['1', '2', '3', '4']) sse.last().ctx.onText(n, 'message', n);
    expect(sub.dropped).toBe(2);
    expect((await iterator.next()).value?.data).toBe(3);
    sub.close();
  });

  it('emits gap without a delta codec, and resyncs without a position with one', async () => {
    const a = setup({ transport: 'sse' });
    const gaps: unknown[] = [];
    a.sub.on('gap', (g) => gaps.push(g));
    await flush();
    a.sse.last().open();
    a.sse.last().ctx.onText('5', 'message', '1');
    a.sse.last().ctx.onText(undefined, 'gap', 'null');
    expect(gaps).toEqual([{ lastEventId: '5' }]);
    a.sub.close();

    const b = setup({ transport: 'sse', delta: mergePatch });
    await flush();
    b.sse.last().open();
    b.sse.last().ctx.onText('5', 'snapshot', '{"a":1}');
    b.sse.last().ctx.onText(undefined, 'gap', 'null');
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.sse.connections).toHaveLength(2);
    expect(b.sse.last().ctx.lastEventId()).toBeUndefined();
    b.sub.close();
  });
});
