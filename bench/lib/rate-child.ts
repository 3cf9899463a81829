/**
 * One throughput sample, in its own process (spawned by lib/rate.ts with --expose-gc), so the
 * only code this process has run is one client's:
 *
 *   node --expose-gc rate-child.ts <sse|ws> <client id> <n> <warm-up streams> <ports as JSON>
 *
 * Loads the client, receives `warmup` untimed streams of n messages (the JIT settles), collects
 * garbage, then times one more from the request to the n-th message, with this process's CPU
 * time (user + system, all threads) over the same span. Reports a {@link RateMessage} over IPC.
 */

import { CLIENT_FIGURES, type ClientFactory, type ClientFigure } from '../clients/client.js';
import type { ServerPorts } from '../servers/main.js';
import { checkLast } from '../servers/payload.js';
import { collect } from './gc.js';
import type { RateMessage } from './rate.js';

/** Only the figure's own client file is loaded, so no other library's code is in the process. */
const MODULES: Record<ClientFigure, () => Promise<{ clients: Record<string, ClientFactory> }>> = {
  sse: () => import('../clients/sse.js'),
  ws: () => import('../clients/ws.js'),
};

/** No sample lasts this long; a stuck client still goes away (the parent's timeout is shorter). */
const DEADLINE_MS = 5 * 60_000;

async function measure(figure: ClientFigure, id: string, n: number, warmup: number, ports: ServerPorts): Promise<RateMessage> {
  const factory = (await MODULES[figure]()).clients[id];
  if (factory === undefined) throw new Error(`no ${figure} client "${id}" in bench/clients/${figure}.ts`);
  const client = await factory(ports);
  for (let i = 0; i < warmup; i++) checkLast(await client(n), n, id);
  await collect();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const last = await client(n);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  checkLast(last, n, id);
  return { rate: { perSecond: n / seconds, cpuUsPerMessage: (cpu.user + cpu.system) / n } };
}

async function main(): Promise<RateMessage> {
  const [figure, id, n, warmup, ports] = process.argv.slice(2);
  if (
    !CLIENT_FIGURES.includes(figure as ClientFigure) ||
    id === undefined ||
    n === undefined ||
    warmup === undefined ||
    ports === undefined
  ) {
    throw new Error(`usage: rate-child.ts <${CLIENT_FIGURES.join('|')}> <client id> <n> <warm-up streams> <ports JSON>`);
  }
  return measure(figure as ClientFigure, id, Number(n), Number(warmup), JSON.parse(ports) as ServerPorts);
}

setTimeout(() => {
  console.error('[rate child] deadline passed');
  process.exit(2);
}, DEADLINE_MS).unref();

// Exit once reported: a client's leftover sockets or timers must not keep the process up.
main().then(
  (message) => process.send?.(message, () => process.exit(0)),
  (error: unknown) =>
    process.send?.({ failed: error instanceof Error ? error.message : String(error) } satisfies RateMessage, () => process.exit(1)),
);
