/**
 * WebSocket messages/s end to end: a client connects to the server process and receives N JSON
 * messages, one per frame; every client ends with the parsed object in hand (the libraries that
 * parse for you — socket.io-client, centrifuge — count their own parsing).
 */

import { Centrifuge } from 'centrifuge';
import ReconnectingWebSocket from 'partysocket/ws';
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';
import { anywireOptions, consumeAnywire } from './lib/anywire.js';
import { anywireNote, type BenchContext } from './lib/context.js';
import { type Figure, type Row, rowsFrom } from './lib/figure.js';
import { rateContender } from './lib/rate.js';
import { type Contender, interleave } from './lib/stats.js';

/** Messages per connection. */
const MESSAGES = { full: 200_000, smoke: 2_000 } as const;

type Client = (n: number, signal: AbortSignal) => Promise<unknown>;

/** Settles a client's promise once: on the n-th message, an error, or the abort signal. */
function settle(
  signal: AbortSignal,
  cleanup: () => void,
): {
  promise: Promise<unknown>;
  done: (error: Error | undefined, last?: unknown) => void;
} {
  let resolve!: (v: unknown) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  let settled = false;
  const done = (error: Error | undefined, last?: unknown): void => {
    if (settled) return;
    settled = true;
    cleanup();
    if (error) reject(error);
    else resolve(last);
  };
  signal.addEventListener('abort', () => done(new Error('aborted')), { once: true });
  return { promise, done };
}

type Envelope = { data: unknown };

/** Raw `ws`, Node style: `on('message')` with a Buffer, JSON.parse of the envelope. */
function rawWsOn(url: string): Client {
  return (n, signal) => {
    let count = 0;
    const ws = new WebSocket(`${url}/ws?n=${n}`);
    const { promise, done } = settle(signal, () => ws.close());
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Envelope;
      if (++count === n) done(undefined, message.data);
    });
    ws.on('error', (error) => done(error));
    ws.on('close', () => done(new Error(`closed after ${count} of ${n}`)));
    return promise;
  };
}

/** Raw `ws`, WHATWG style: `onmessage` with a MessageEvent, as isomorphic code uses it. */
function rawWsOnmessage(url: string): Client {
  return (n, signal) => {
    let count = 0;
    const ws = new WebSocket(`${url}/ws?n=${n}`);
    const { promise, done } = settle(signal, () => ws.close());
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data as string) as Envelope;
      if (++count === n) done(undefined, message.data);
    };
    ws.onerror = (event) => done(event.error instanceof Error ? event.error : new Error(event.message));
    ws.onclose = () => done(new Error(`closed after ${count} of ${n}`));
    return promise;
  };
}

/** partysocket's ReconnectingWebSocket over `ws`. */
function partysocket(url: string): Client {
  return (n, signal) => {
    let count = 0;
    const rws = new ReconnectingWebSocket(`${url}/ws?n=${n}`, [], { WebSocket, maxRetries: 0 });
    const { promise, done } = settle(signal, () => rws.close());
    rws.addEventListener('message', (event) => {
      const message = JSON.parse(event.data as string) as Envelope;
      if (++count === n) done(undefined, message.data);
    });
    rws.addEventListener('error', (event) => done(new Error(`partysocket: ${event.message}`)));
    return promise;
  };
}

/** socket.io-client, websocket transport only (no polling upgrade), `message` events. */
function socketIo(port: number): Client {
  return (n, signal) => {
    let count = 0;
    const socket = io(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      query: { n: String(n) },
    });
    const { promise, done } = settle(signal, () => socket.disconnect());
    socket.on('message', (data: unknown) => {
      if (++count === n) done(undefined, data);
    });
    socket.on('connect_error', (error) => done(error));
    socket.on('disconnect', (reason) => done(new Error(`disconnected after ${count}: ${reason}`)));
    return promise;
  };
}

/** centrifuge-js (JSON protocol) with a client-side subscription to channel `bench:N`. */
function centrifuge(port: number): Client {
  return (n, signal) => {
    let count = 0;
    const client = new Centrifuge(`ws://127.0.0.1:${port}/connection/websocket`, { websocket: WebSocket });
    const sub = client.newSubscription(`bench:${n}`);
    const { promise, done } = settle(signal, () => client.disconnect());
    sub.on('publication', (ctx) => {
      if (++count === n) done(undefined, ctx.data);
    });
    sub.on('error', (ctx) => done(new Error(`centrifuge subscription: ${ctx.error.message}`)));
    client.on('error', (ctx) => done(new Error(`centrifuge: ${ctx.error.message}`)));
    sub.subscribe();
    client.connect();
    return promise;
  };
}

interface WsContender {
  row: Omit<Row, 'samples'>;
  client: Client | undefined;
}

/** Runs the WebSocket figure. */
export async function runWsBench(ctx: BenchContext): Promise<Figure> {
  const n = ctx.smoke ? MESSAGES.smoke : MESSAGES.full;
  const wsUrl = `ws://127.0.0.1:${ctx.ports.ws}`;
  const { api } = ctx.anywire;

  const contenders: WsContender[] = [
    {
      row: { id: 'anywire', label: 'anywire (websocket)', anywire: true, note: anywireNote(ctx) },
      client:
        api === undefined
          ? undefined
          : (count, signal) => consumeAnywire(api, anywireOptions.websocket(`${wsUrl}/ws?n=${count}`), count, signal),
    },
    {
      row: {
        id: 'ws-on',
        label: "raw `ws`, on('message') + JSON.parse",
        versus: 'anywire',
        goal: { kind: 'ratio', op: '>=', target: 0.95, text: '≥ 0.95×' },
      },
      client: rawWsOn(wsUrl),
    },
    {
      row: {
        id: 'ws-onmessage',
        label: 'raw `ws`, onmessage + JSON.parse',
        versus: 'anywire',
        goal: { kind: 'ratio', op: '>=', target: 0.95, text: '≥ 0.95×' },
        note: 'the WHATWG-style API anywire itself uses',
      },
      client: rawWsOnmessage(wsUrl),
    },
    { row: { id: 'partysocket', label: 'partysocket + JSON.parse', versus: 'anywire' }, client: partysocket(wsUrl) },
    { row: { id: 'socket.io-client', label: 'socket.io-client', versus: 'anywire' }, client: socketIo(ctx.ports.socketio) },
    { row: { id: 'centrifuge', label: 'centrifuge (JSON protocol)', versus: 'anywire' }, client: centrifuge(ctx.ports.centrifuge) },
  ];

  const runnable: Contender[] = [];
  for (const { row, client } of contenders) {
    if (client === undefined) continue;
    runnable.push(rateContender(row.id, row.label, n, 120_000, (signal) => client(n, signal)));
  }
  ctx.log(`ws: ${runnable.length} clients × ${ctx.warmup}+${ctx.rounds} rounds of ${n} messages`);
  const { samples, errors } = await interleave(runnable, { rounds: ctx.rounds, warmup: ctx.warmup });

  return {
    id: 'ws',
    title: 'WebSocket messages/s (JSON data)',
    unit: 'rate',
    better: 'higher',
    rows: rowsFrom(contenders, samples, errors),
    notes: [
      `${n.toLocaleString('en')} messages per connection, one per text frame: anywire's envelope \`{"id":"1","event":"message","data":{"sym":…,"px":…,"t":…}}\` for raw ws, partysocket and anywire; \`42["message",{…}]\` for socket.io; a Centrifuge push for centrifuge.`,
      "Servers (a separate process) write pre-built frames straight to the socket, byte-identical to what `ws`, socket.io and Centrifuge servers send, so the server costs nothing and the figure is the client's. Clients use their defaults (permessage-deflate offered by `ws`, declined by the server).",
      `Median of ${ctx.rounds} interleaved rounds after ${ctx.warmup} warm-up round(s); full GC before each connection. Ratios are anywire's median ÷ the peer's median, from the same run.`,
    ],
  };
}
