// mockSocketServer: the mock server's WebSocket protocol behind mock-socket, for tests that stay at
// the WebSocket level. mock-socket delivers with 4 ms timers, so the clock moves a few ms at a time.
import { Server, WebSocket } from 'mock-socket';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { type AnywireError, subscribe, type WebSocketConstructor } from '../../src/index.js';
import { createMockServer, type MockServer, mockSocketServer } from '../../src/testing/index.js';

let server: MockServer;
let socketServer: Server;
const MockSocket = WebSocket as unknown as WebSocketConstructor;

beforeEach(() => {
  vi.useFakeTimers();
  server = createMockServer();
  socketServer = mockSocketServer(Server, server);
});
afterEach(() => {
  socketServer.stop();
  server.close();
  vi.useRealTimers();
});

it('serves the backlog, live events, pongs and client frames over mock-socket', async () => {
  server.emit('before');
  const sub = subscribe({ url: server.url, transport: 'websocket', WebSocket: MockSocket });
  const seen: unknown[] = [];
  sub.on('message', (m) => seen.push(m.data));
  await vi.advanceTimersByTimeAsync(10); // open, then the first ping and its pong
  expect(server.connections[0]?.frames).toEqual(['{"event":"ping"}']);
  server.emit('live');
  await sub.send('hello', 'chat');
  await vi.advanceTimersByTimeAsync(10);
  expect(seen).toEqual(['before', 'live']);
  expect(server.received).toEqual([{ event: 'chat', data: 'hello', via: 'frame', headers: {} }]);
  sub.close();
});

it('resumes with ?lastEventId= after a drop', async () => {
  const sub = subscribe({ url: server.url, transport: 'websocket', WebSocket: MockSocket, random: () => 0.5 });
  const seen: unknown[] = [];
  sub.on('message', (m) => seen.push(m.data));
  await vi.advanceTimersByTimeAsync(10);
  server.emit(1);
  server.drop();
  server.emit(2);
  await vi.advanceTimersByTimeAsync(500 + 10);
  expect(seen).toEqual([1, 2]);
  expect(server.connections.map((c) => c.lastEventId)).toEqual([undefined, '1']);
  sub.close();
});

it('fail() closes the socket with 4000 + status, which the client reads as that status', async () => {
  server.fail(401);
  const sub = subscribe({ url: server.url, transport: 'websocket', WebSocket: MockSocket });
  const errors: AnywireError[] = [];
  sub.on('error', (e) => errors.push(e));
  await vi.advanceTimersByTimeAsync(10);
  expect(errors[0]).toMatchObject({ code: 'http-status', status: 401 });
  expect(sub.status).toBe('closed');
});
