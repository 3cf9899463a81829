/** Starts the bench servers in their own process (bench/servers/main.ts) and hands back the ports. */

import type { ServerPorts } from '../servers/main.js';
import { firstMessage, spawnTs, stopChild } from './children.js';

export type { ServerPorts };

/** A running server process. */
export interface ServerHandle {
  ports: ServerPorts;
  /** Stops the server process; idempotent. */
  stop(): Promise<void>;
}

/** Spawns the server process and waits until every server listens. */
export async function startServers(): Promise<ServerHandle> {
  const child = spawnTs(new URL('../servers/main.ts', import.meta.url));
  child.stdout?.pipe(process.stderr);
  const ports = await firstMessage(child, (m) => (m as { ready?: ServerPorts } | null)?.ready, 30_000);
  return { ports, stop: () => stopChild(child) };
}
