/**
 * The bench servers' process. The bench spawns this file as a child, so servers and clients do
 * not share an event loop or a core. It listens on 127.0.0.1 only, reports its ports over IPC,
 * and exits when the parent disconnects (the parent died or is done) or after a hard deadline.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCentrifugeServer } from './centrifuge.js';
import { startSocketIoServer } from './socketio.js';
import { startSseServer } from './sse.js';
import { startWsServer } from './ws.js';

/** What the child reports to the parent once every server listens. */
export interface ServerPorts {
  sse: number;
  ws: number;
  socketio: number;
  centrifuge: number;
}

/** No bench run lasts this long; a server left behind by a crash still goes away. */
const DEADLINE_MS = 30 * 60 * 1000;

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('bench/servers/main.ts must be spawned with an IPC channel');
  const [sse, ws, socketio, centrifuge] = await Promise.all([
    startSseServer(),
    startWsServer(),
    startSocketIoServer(),
    startCentrifugeServer(),
  ]);
  const ports: ServerPorts = { sse: port(sse), ws: port(ws), socketio: port(socketio), centrifuge: port(centrifuge) };
  process.send({ ready: ports });
  process.on('disconnect', () => process.exit(0));
  setTimeout(() => process.exit(0), DEADLINE_MS).unref();
  // Keep the process up while the IPC channel is open even if every server is idle.
  setInterval(() => {}, 60_000);
}

main().catch((error: unknown) => {
  console.error('[bench servers]', error);
  process.exit(1);
});
