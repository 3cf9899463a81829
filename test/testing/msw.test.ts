// mswHandlers: the mock server's HTTP protocol behind msw, for suites that already mock fetch
// with msw. Real timers here: msw runs its own machinery between the client and the mock.
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Subscription, subscribe, type TransportName } from '../../src/index.js';
import { createMockServer, type MockServer, mswHandlers } from '../../src/testing/index.js';

const network = setupServer();
beforeAll(() => network.listen({ onUnhandledRequest: 'error' }));
afterEach(() => network.resetHandlers());
afterAll(() => network.close());

describe.each<TransportName>(['sse', 'long-poll', 'poll'])('%s through msw', (transport) => {
  let server: MockServer;
  let sub: Subscription<unknown, unknown>;
  let seen: unknown[];

  const open = (): void => {
    server = createMockServer();
    network.use(...mswHandlers({ http }, server));
    seen = [];
    // No `fetch` option: the global fetch, which msw intercepts.
    sub = subscribe({ url: server.url, transport, requirements: { staleness: 10 }, reconnect: { initialDelay: 5, maxDelay: 5 } });
    sub.on('message', (m) => seen.push(m.data));
  };
  afterEach(() => {
    sub.close();
    server.close();
  });

  it('delivers events and resumes from the last event id', async () => {
    open();
    await server.nextConnection();
    server.emit(1);
    await vi.waitFor(() => expect(seen).toEqual([1]));
    server.drop(); // breaks a stream or a held long poll; a poll between requests has nothing to break
    server.emit(2);
    await vi.waitFor(() => expect(seen).toEqual([1, 2]));
    expect(server.connections.some((c) => c.lastEventId === '1')).toBe(true);
  });

  it('records send() as a POST', async () => {
    open();
    await sub.send({ hi: true }, 'greet');
    expect(server.received).toEqual([
      { event: 'greet', data: { hi: true }, via: 'post', headers: expect.objectContaining({ 'content-type': 'application/json' }) },
    ]);
  });

  it('answers with a status from fail(), Retry-After included', async () => {
    open();
    server.fail(503, { retryAfter: 0 });
    const error = await new Promise((resolve) => sub.on('error', resolve));
    expect(error).toMatchObject({ code: 'http-status', status: 503, retryAfter: 0 });
  });
});
