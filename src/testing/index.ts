export { flush } from './flush.js';
export { createMockServer } from './mock-server.js';
export { type MockSocketClient, type MockSocketServerLike, mockSocketServer } from './mock-socket.js';
export { type MswHttp, type MswResolver, mswHandlers } from './msw.js';
export type {
  ClientMessage,
  DropOptions,
  FailOptions,
  MockConnection,
  MockEvent,
  MockRequest,
  MockServer,
  MockServerOptions,
} from './types.js';
