/**
 * WebSocket messages/s end to end: a client connects to the server process and receives N JSON
 * messages, one per frame; every client ends with the parsed object in hand (the libraries that
 * parse for you — socket.io-client, centrifuge — count their own parsing).
 */

import { anywireNote, type BenchContext } from './lib/context.js';
import { type Figure, type Row, rowsFrom } from './lib/figure.js';
import { childRateContender, type RateContender } from './lib/rate.js';
import { interleave } from './lib/stats.js';

/** A client of bench/clients/ws.ts (a type-only import: this process loads none of them). */
type ClientId = keyof typeof import('./clients/ws.js').clients;

/** Messages per connection. */
const MESSAGES = { full: 200_000, smoke: 2_000 } as const;

/** The rows, by client id of clients/ws.ts. */
function rows(ctx: BenchContext): (Omit<Row, 'samples'> & { id: ClientId })[] {
  return [
    { id: 'anywire', label: 'anywire (websocket)', anywire: true, note: anywireNote(ctx) },
    {
      id: 'ws-on',
      label: "raw `ws`, on('message') + JSON.parse",
      versus: 'anywire',
      goal: { kind: 'ratio', op: '>=', target: 0.95, text: '≥ 0.95×' },
    },
    {
      id: 'ws-onmessage',
      label: 'raw `ws`, onmessage + JSON.parse',
      versus: 'anywire',
      reference: true,
      note: "the WHATWG-style API (anywire uses ws's on('message') on Node)",
    },
    { id: 'partysocket', label: 'partysocket + JSON.parse', versus: 'anywire' },
    { id: 'socket.io-client', label: 'socket.io-client', versus: 'anywire' },
    { id: 'centrifuge', label: 'centrifuge (JSON protocol)', versus: 'anywire' },
  ];
}

/** Runs the WebSocket figure. */
export async function runWsBench(ctx: BenchContext): Promise<Figure> {
  const n = ctx.smoke ? MESSAGES.smoke : MESSAGES.full;
  const contenders = rows(ctx).map((row) => ({ row }));
  const anywireUrl = ctx.anywire.api === undefined ? {} : { anywire: ctx.anywire.url };
  const runnable: RateContender[] = contenders
    .filter(({ row }) => row.anywire !== true || ctx.anywire.api !== undefined)
    .map(({ row }) => childRateContender('ws', row.id, { n, warmup: ctx.warmup, ports: ctx.ports, timeoutMs: 120_000, ...anywireUrl }));
  ctx.log(`ws: ${runnable.length} clients × ${ctx.rounds} rounds of ${ctx.warmup}+1 connections of ${n} messages, a fresh process each`);
  // No warm-up rounds: each sample's process warms itself up.
  const { samples, errors } = await interleave(runnable, { rounds: ctx.rounds, warmup: 0 });

  return {
    id: 'ws',
    title: 'WebSocket messages/s (JSON data)',
    unit: 'rate',
    better: 'higher',
    cpu: 'CPU µs/message',
    rows: rowsFrom(contenders, samples, errors, new Map(runnable.map((c) => [c.id, c.cpu]))),
    notes: [
      `${n.toLocaleString('en')} messages per connection, one per text frame: anywire's envelope \`{"id":"1","event":"message","data":{"sym":…,"px":…,"t":…}}\` for raw ws, partysocket and anywire; \`42["message",{…}]\` for socket.io; a Centrifuge push for centrifuge.`,
      "Servers (a separate process) write pre-built frames straight to the socket, byte-identical to what `ws`, socket.io and Centrifuge servers send, so the server costs nothing and the figure is the client's. Clients use their defaults (permessage-deflate offered by `ws`, declined by the server).",
      `Each sample is a fresh process running one client: ${ctx.warmup} untimed connection(s), a full GC, then one timed connection, from opening it to the last message. CPU µs/message is that process's CPU time (user + system, all threads) over the timed connection ÷ messages.`,
      `Median of ${ctx.rounds} interleaved rounds (each client once per round, order rotating). Ratios are anywire's median ÷ the peer's median, from the same run.`,
    ],
  };
}
