// subscribe() checks its options at once: a wrong call throws a TypeError naming the option and
// the value, instead of retrying forever (ftp:) or hammering a server (staleness 0).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { subscribe } from '../../src/index.js';
import { MIN_POLL_INTERVAL } from '../../src/policy/choose.js';

const url = 'http://127.0.0.1:9/';

describe('subscribe() option validation', () => {
  it('throws a TypeError when called with no options at all', () => {
    // @ts-expect-error: the call a new user makes by mistake
    expect(() => subscribe()).toThrow(new TypeError('[anywire] subscribe() takes an options object with at least a `url`, got undefined'));
  });

  it.each([
    [{}, /`url` must be an http:, https:, ws: or wss: URL \(a relative one needs a page\), got undefined/],
    [{ url: 42 }, /`url` must be an http:, https:, ws: or wss: URL .*, got 42/],
    [{ url: 'not a url' }, /`url` must be an http:, https:, ws: or wss: URL .*, got "not a url"/],
    [{ url: 'ftp://example.com/x' }, /`url` must be an http:, https:, ws: or wss: URL .*, got "ftp:\/\/example.com\/x"/],
    [{ url, endpoints: { sse: 'file:///etc/passwd' } }, /`endpoints.sse` must be an http:, https:, ws: or wss: URL/],
    [{ url, endpoints: { sss: url } }, /`endpoints` must be an object keyed by websocket,sse,long-poll,poll or send, got an object/],
    [{ url, requirements: { staleness: 0 } }, /`requirements.staleness` must be a number of ms above 0, got 0/],
    [{ url, requirements: { staleness: -5 } }, /`requirements.staleness` must be a number of ms above 0, got -5/],
    [{ url, requirements: { staleness: Number.NaN } }, /`requirements.staleness` .* got NaN/],
    [{ url, requirements: { staleness: Number.POSITIVE_INFINITY } }, /`requirements.staleness` .* got Infinity/],
    [{ url, requirements: { frequency: -1 } }, /`requirements.frequency` must be messages per second, 0 or more, got -1/],
    [{ url, requirements: { frequency: Number.POSITIVE_INFINITY } }, /`requirements.frequency` .* got Infinity/],
    [{ url, requirements: { direction: 'send' } }, /`requirements.direction` must be 'receive' or 'both', got "send"/],
    [
      { url, transport: 'http2' },
      /`transport` must be 'auto', one of websocket,sse,long-poll,poll, or a list of them without repeats, got "http2"/,
    ],
    [{ url, transport: [] }, /`transport` must be .*, got \[\]/],
    [{ url, transport: ['sse', 'sse'] }, /`transport` must be .* without repeats, got \["sse","sse"\]/],
    [{ url, heartbeat: { timeout: 0 } }, /`heartbeat.timeout` must be a number of ms above 0, got 0/],
    [{ url, reconnect: { initialDelay: -1 } }, /`reconnect.initialDelay` must be a number of ms, 0 or more, got -1/],
    [{ url, reconnect: { factor: 0.5 } }, /`reconnect.factor` must be a number, 1 or more, got 0.5/],
    [{ url, maxEventSize: 0 }, /`maxEventSize` must be a number of characters above 0, got 0/],
    [{ url, lastEventId: '日本-1' }, /`lastEventId` must be visible ASCII, at most 1024 characters, got "日本-1"/],
    [{ url, delta: 'json-patch' }, /`delta: "json-patch"` is now `delta: jsonPatch`, imported: import \{ jsonPatch \} from 'anywire'/],
    [{ url, delta: { patch() {} } }, /`delta` must be a codec with apply\(\): jsonPatch, mergePatch or your own, got an object/],
    [{ url, frame: {} }, /`frame` must be a codec with decode\(\)/],
    [{ url, fetch: 'fetch' }, /`fetch` must be a function, got "fetch"/],
    [{ url, whenHidden: 'sleep' }, /`whenHidden` must be 'keep', 'slow' or 'pause', got "sleep"/],
  ])('throws a TypeError naming the option for %j', (options, message) => {
    expect(() => subscribe(options as never)).toThrow(TypeError);
    expect(() => subscribe(options as never)).toThrow(message);
  });

  it('accepts every documented form without throwing', () => {
    const subs = [
      subscribe({ url }),
      subscribe({ url: new URL(url) }),
      subscribe({ url: 'wss://example.com/socket' }),
      subscribe({ url, requirements: { direction: 'both', staleness: 1, frequency: 0 } }),
      subscribe({ url, transport: ['websocket', 'long-poll'], heartbeat: false, reconnect: false }),
      subscribe({ url, reconnect: { initialDelay: 0, maxAttempts: Number.POSITIVE_INFINITY }, lastEventId: 'a b-1' }),
    ];
    for (const sub of subs) sub.close();
  });
});

describe('the poll interval floor', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it(`polls at most once per ${MIN_POLL_INTERVAL} ms however small staleness is`, async () => {
    vi.useFakeTimers();
    const requests: number[] = [];
    const fetch = async (): Promise<Response> => {
      requests.push(Date.now());
      return new Response('{"events":[]}', { headers: { 'content-type': 'application/json' } });
    };
    const sub = subscribe({ url, transport: 'poll', requirements: { staleness: 1 }, fetch });
    expect(sub.explain().pollInterval).toBe(MIN_POLL_INTERVAL);
    expect(sub.explain().reasons.join('; ')).toMatch(/poll interval 250 ms, the floor \(staleness 1 ms\)/);
    await vi.advanceTimersByTimeAsync(10_000);
    sub.close();
    // 10 s of polling: the first request at once, then one per floor.
    expect(requests.length).toBeGreaterThanOrEqual(10_000 / MIN_POLL_INTERVAL);
    expect(requests.length).toBeLessThanOrEqual(10_000 / MIN_POLL_INTERVAL + 1);
    for (let i = 1; i < requests.length; i++)
      expect((requests[i] as number) - (requests[i - 1] as number)).toBeGreaterThanOrEqual(MIN_POLL_INTERVAL);
  });
});
