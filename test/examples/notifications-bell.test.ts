// Testing an app module that calls subscribe() itself: install the mock for its URL, drive time
// with fake timers. The bell has no test hooks; Math.random is pinned so backoff delays are exact.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createMockServer, flush, type MockServer } from '../../src/testing/index.js';
import { type Bell, createNotificationsBell } from './app/notifications-bell.js';

let server: MockServer;
let bell: Bell;
const token = vi.fn((refresh: boolean) => (refresh ? 'fresh-token' : 'token'));
const notify = (id: string): string => server.emit({ id, title: `Notification ${id}` }, 'notification');

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.5); // the first retry waits 0.5 × 1 s
  server = createMockServer();
  server.install();
  token.mockClear();
});
afterEach(() => {
  bell.close();
  server.close();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

it('counts unread notifications', async () => {
  bell = createNotificationsBell({ url: server.url, token });
  await server.nextConnection();
  notify('n1');
  notify('n2');
  await flush();
  expect(bell.unread).toBe(2);
  expect(bell.latest?.id).toBe('n2');
});

it('connects over WebSocket with the token, and marking read tells the server', async () => {
  bell = createNotificationsBell({ url: server.url, token });
  expect(await server.nextConnection()).toMatchObject({ transport: 'websocket', headers: { authorization: 'Bearer token' } });
  notify('n1');
  await flush();
  await bell.markAllRead();
  expect(bell.unread).toBe(0);
  expect(server.received).toEqual([{ event: 'read', data: { upTo: '1' }, via: 'frame', headers: {} }]);
});

it('reconnects after a 503 exactly when Retry-After and the backoff say, offline meanwhile', async () => {
  server.fail(503, { retryAfter: 3 });
  bell = createNotificationsBell({ url: server.url, token });
  await vi.advanceTimersByTimeAsync(0);
  expect(bell.state).toBe('offline');
  notify('while-down');
  await vi.advanceTimersByTimeAsync(3499); // Retry-After 3 s + the 0.5 s backoff delay
  expect(server.connections).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(server.connections).toHaveLength(2);
  expect(bell.state).toBe('live');
  expect(bell.unread).toBe(1); // the notification sent while it was down
});

it('resumes after a drop without counting a notification twice', async () => {
  bell = createNotificationsBell({ url: server.url, token });
  await server.nextConnection();
  notify('n1');
  notify('n2');
  await flush();
  server.drop();
  notify('n3');
  await vi.advanceTimersByTimeAsync(500);
  expect(await server.nextConnection()).toMatchObject({ generation: 2, lastEventId: '2' });
  expect(bell.unread).toBe(3);
});

it('refreshes the token once on a 401, then signs out when the server still refuses', async () => {
  server.fail(401, { times: 2 });
  bell = createNotificationsBell({ url: server.url, token });
  await vi.advanceTimersByTimeAsync(0);
  expect(token.mock.calls).toEqual([[false], [true]]);
  expect(server.connections.map((c) => c.headers.authorization)).toEqual(['Bearer token', 'Bearer fresh-token']);
  expect(bell.state).toBe('signed-out');
  await vi.advanceTimersByTimeAsync(60_000);
  expect(server.connections).toHaveLength(2); // no retries after a fatal status
});

it('falls back to SSE where a proxy blocks WebSockets, and still marks read (by POST)', async () => {
  server.refuse('websocket');
  bell = createNotificationsBell({ url: server.url, token });
  await vi.advanceTimersByTimeAsync(500); // fail, back off 0.5 s, fail again: fall back at once
  expect(server.connections.map((c) => c.transport)).toEqual(['websocket', 'websocket', 'sse']);
  notify('n1');
  await flush();
  expect(bell).toMatchObject({ unread: 1, state: 'live' });
  await bell.markAllRead();
  expect(server.received).toEqual([
    { event: 'read', data: { upTo: '1' }, via: 'post', headers: expect.objectContaining({ authorization: 'Bearer token' }) },
  ]);
});
