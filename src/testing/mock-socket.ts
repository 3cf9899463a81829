import { coreOf } from './mock-server.js';
import { openSocketSession, type SocketPeer } from './socket-session.js';
import type { MockServer } from './types.js';
import { socketForm } from './url.js';

/**
 * The server-side socket mock-socket hands to `on('connection')`; only what the adapter uses.
 *
 * @example
 * socketServer.on('connection', (socket: MockSocketClient) => socket.send('{"event":"pong"}'));
 */
export interface MockSocketClient {
  readonly url: string;
  send(data: string): void;
  close(options?: { code: number; reason: string; wasClean: boolean }): void;
  on(type: 'message', listener: (data: string | Blob | ArrayBuffer | ArrayBufferView) => void): void;
  on(type: 'close', listener: () => void): void;
}

/**
 * The part of mock-socket's `Server` the adapter uses.
 *
 * @example
 * import { Server } from 'mock-socket';
 * const socketServer: MockSocketServerLike = new Server('wss://anywire.test/stream/1');
 */
export interface MockSocketServerLike {
  on(type: 'connection', listener: (socket: MockSocketClient) => void): void;
}

/**
 * Starts a mock-socket `Server` at the mock server's ws: URL that speaks anywire's WebSocket
 * protocol from the mock server: backlog and resume from `?lastEventId=`, one JSON event per
 * frame, pongs for pings, client frames recorded in `server.received`. For tests that want to
 * stay at the WebSocket level with mock-socket's `WebSocket` (pass it as `subscribe({ WebSocket })`
 * or let mock-socket patch the global).
 *
 * mock-socket opens sockets and delivers client frames after a 4 ms `setTimeout`: with fake
 * timers, advance the clock a few ms for the socket to open and for each ping to be answered.
 * mock-socket cannot refuse an upgrade with a status: `fail()` and `refuse()` close the opened
 * socket with 4000 + status and 1006 instead, and Retry-After is lost.
 *
 * @param Server - `Server` from 'mock-socket' (taken as an argument: anywire/testing does not depend on it).
 * @param server - The mock server to serve from.
 * @returns The mock-socket server; call `.stop()` on it when done.
 *
 * @example
 * import { Server, WebSocket } from 'mock-socket';
 *
 * const mock = createMockServer();
 * const socketServer = mockSocketServer(Server, mock);
 * const sub = subscribe({ url: mock.url, transport: 'websocket', WebSocket });
 * await vi.advanceTimersByTimeAsync(10); // mock-socket's open and first ping
 * mock.emit('hello');
 * socketServer.stop();
 */
export function mockSocketServer<S extends MockSocketServerLike>(Server: new (url: string) => S, server: MockServer): S {
  const core = coreOf(server);
  const socketServer = new Server(socketForm(core.url).href);
  socketServer.on('connection', (socket) => {
    let closed = false;
    const close = (code: number, reason: string, wasClean: boolean): void => {
      if (closed) return;
      closed = true;
      socket.close({ code, reason, wasClean });
    };
    const peer: SocketPeer = {
      accept: () => {}, // mock-socket has opened the socket before it reports the connection
      send: (frame) => closed || socket.send(frame),
      close: (code, reason) => close(code, reason, true),
      abort: () => close(1006, '', false),
      refuse: (status) => close(4000 + status, `mock server: ${status}`, true),
    };
    const session = openSocketSession(core, new URL(socket.url), {}, peer);
    socket.on('message', (data) => session.receive(String(data)));
    socket.on('close', () => {
      closed = true;
      session.closed();
    });
  });
  return socketServer;
}
