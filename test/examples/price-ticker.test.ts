// Testing an app module that takes subscribe() options: hand it the mock's `fetch` and
// `WebSocket` and a fixed `random`. The server keeps the true prices; the ticker must follow.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AnywireError, SubscribeOptions, TransportName } from '../../src/index.js';
import { createMockServer, flush, type MockServer } from '../../src/testing/index.js';
import { createPriceTicker, type Prices, type Ticker } from './app/price-ticker.js';

let server: MockServer;
let ticker: Ticker;
let errors: AnywireError[];
let truth: Record<string, number>; // the server's prices: what a client without a position gets
const tick = (patch: Record<string, number>): string => {
  Object.assign(truth, patch);
  return server.delta(patch);
};
const open = (options: Partial<SubscribeOptions<unknown, Prices>> = {}): Ticker => {
  ticker = createPriceTicker(server.url, { ...server.options, random: () => 0.5, ...options });
  ticker.onError((error) => errors.push(error));
  return ticker;
};

beforeEach(() => {
  vi.useFakeTimers();
  truth = { ACME: 10, GLOBEX: 20 };
  errors = [];
  server = createMockServer({ snapshot: () => ({ ...truth }) });
});
afterEach(() => {
  ticker.close();
  server.close();
  vi.useRealTimers();
});

it('shows the snapshot, then each price as it ticks', async () => {
  open();
  await flush();
  expect(ticker.prices).toEqual({ ACME: 10, GLOBEX: 20 });
  tick({ ACME: 10.5 });
  await flush();
  expect(ticker.price('ACME')).toBe(10.5);
  expect(ticker.live).toBe(true);
});

it('resumes after a drop mid-update: the ticks sent meanwhile arrive, none twice', async () => {
  open();
  expect((await server.nextConnection()).transport).toBe('sse');
  tick({ ACME: 11 });
  await flush();
  server.drop({ midEvent: { data: { GLOBEX: 21 }, event: 'delta' } });
  truth.GLOBEX = 21;
  tick({ ACME: 12 });
  await vi.advanceTimersByTimeAsync(500);
  expect(await server.nextConnection()).toMatchObject({ generation: 2, lastEventId: '1' });
  expect(ticker.prices).toEqual({ ACME: 12, GLOBEX: 21 });
});

it('greys out during an outage and comes back exactly after the backoff delay', async () => {
  open();
  await server.nextConnection();
  server.fail(502, { times: 1 });
  server.drop();
  await vi.advanceTimersByTimeAsync(500); // first retry: answered 502
  expect(ticker.live).toBe(false);
  await vi.advanceTimersByTimeAsync(3499); // the second delay: 3.5 s with random 0.5
  expect(server.connections).toHaveLength(2);
  await vi.advanceTimersByTimeAsync(1);
  expect(server.connections).toHaveLength(3);
  expect(ticker.live).toBe(true);
  expect(errors.map((e) => e.code)).toEqual(['network', 'http-status']);
});

it('falls back to long polling behind a proxy that swallows event streams', async () => {
  server.refuse('sse');
  open();
  // Each SSE attempt waits out the 45 s first-frame deadline; two of them, then long-poll.
  await vi.advanceTimersByTimeAsync(45_000 + 500 + 45_000);
  expect(server.connections.map((c) => c.transport)).toEqual(['sse', 'sse', 'long-poll']);
  tick({ ACME: 9 });
  await flush();
  expect(ticker.prices).toEqual({ ACME: 9, GLOBEX: 20 });
});

// One table, every transport: the mock speaks them all and the ticker must not care.
describe.each<TransportName>(['sse', 'long-poll', 'poll', 'websocket'])('on %s', (transport) => {
  it('a patch that fails is never shown: the ticker resyncs from a fresh snapshot', async () => {
    open({ transport });
    const shown: Prices[] = [];
    ticker.onChange(() => shown.push(ticker.prices));
    await vi.advanceTimersByTimeAsync(0);
    server.delta({ GLOBEX: 'halted' }); // a server bug: its real GLOBEX price is 19
    truth.GLOBEX = 19;
    tick({ ACME: 11 });
    await vi.advanceTimersByTimeAsync(2000); // a poll's next request, then the 0.5 s backoff
    expect(errors.map((e) => e.code)).toEqual(['delta']);
    // The resync connection asked for everything, not for what follows the bad patch.
    expect(server.connections.map((c) => c.lastEventId)).toEqual([undefined, undefined]);
    expect(ticker.prices).toEqual({ ACME: 11, GLOBEX: 19 });
    expect(shown.some((prices) => Object.values(prices).some((p) => typeof p !== 'number'))).toBe(false);
  });
});
