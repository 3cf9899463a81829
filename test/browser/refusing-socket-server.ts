// A WebSocket server that refuses every socket the way browsers (and every other native WebSocket)
// can see: it accepts the upgrade and closes at once with 4000 + status. A refused upgrade's HTTP
// status is hidden from them, so anywire's protocol carries the status in the close code.

import { WebSocketServer } from 'ws';

/** A running refusing server. */
export interface RefusingSocketServer {
  /** `ws://127.0.0.1:PORT/`. */
  url: string;
  /** Upgrades accepted (and closed) so far. */
  upgrades(): number;
  close(): Promise<void>;
}

/**
 * Starts a server that closes every socket with `4000 + status` right after accepting it: how a
 * server refuses a browser's socket (docs/protocol.md).
 */
export async function startRefusingSocketServer(status = 401): Promise<RefusingSocketServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  let upgrades = 0;
  wss.on('connection', (socket) => {
    upgrades++;
    socket.close(4000 + status, 'refused');
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/`,
    upgrades: () => upgrades,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
