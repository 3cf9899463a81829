/**
 * The WebSocket clients of bench/ws.ts: each receives N JSON messages, one per frame, and ends
 * with the last one's parsed data (the libraries that parse for you, socket.io-client and
 * centrifuge, count their own parsing).
 */

import { Centrifuge } from 'centrifuge';
import ReconnectingWebSocket from 'partysocket/ws';
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';
import { anywireOptions, consumeAnywire, loadAnywire } from '../lib/anywire.js';
import type { ServerPorts } from '../servers/main.js';
import type { ClientFactory } from './client.js';

type Envelope = { data: unknown };

function wsUrl(ports: ServerPorts, n: number): string {
  return `ws://127.0.0.1:${ports.ws}/ws?n=${n}`;
}

/** A promise settled once: on the n-th message or the first failure, after `cleanup`. */
function settle(cleanup: () => void): { promise: Promise<unknown>; done: (error: Error | undefined, last?: unknown) => void } {
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
  return { promise, done };
}

/** Raw `ws`, Node style: `on('message')` with a Buffer, JSON.parse of the envelope. */
const rawWsOn: ClientFactory = (ports) => (n) => {
  let count = 0;
  const ws = new WebSocket(wsUrl(ports, n));
  const { promise, done } = settle(() => ws.close());
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Envelope;
    if (++count === n) done(undefined, message.data);
  });
  ws.on('error', (error) => done(error));
  ws.on('close', () => done(new Error(`closed after ${count} of ${n}`)));
  return promise;
};

/** Raw `ws`, WHATWG style: `onmessage` with a MessageEvent, as isomorphic code uses it. */
const rawWsOnmessage: ClientFactory = (ports) => (n) => {
  let count = 0;
  const ws = new WebSocket(wsUrl(ports, n));
  const { promise, done } = settle(() => ws.close());
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data as string) as Envelope;
    if (++count === n) done(undefined, message.data);
  };
  ws.onerror = (event) => done(event.error instanceof Error ? event.error : new Error(event.message));
  ws.onclose = () => done(new Error(`closed after ${count} of ${n}`));
  return promise;
};

/** partysocket's ReconnectingWebSocket over `ws`. */
const partysocket: ClientFactory = (ports) => (n) => {
  let count = 0;
  const rws = new ReconnectingWebSocket(wsUrl(ports, n), [], { WebSocket, maxRetries: 0 });
  const { promise, done } = settle(() => rws.close());
  rws.addEventListener('message', (event) => {
    const message = JSON.parse(event.data as string) as Envelope;
    if (++count === n) done(undefined, message.data);
  });
  rws.addEventListener('error', (event) => done(new Error(`partysocket: ${event.message}`)));
  return promise;
};

/** socket.io-client, websocket transport only (no polling upgrade), `message` events. */
const socketIo: ClientFactory = (ports) => (n) => {
  let count = 0;
  const socket = io(`http://127.0.0.1:${ports.socketio}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    query: { n: String(n) },
  });
  const { promise, done } = settle(() => socket.disconnect());
  socket.on('message', (data: unknown) => {
    if (++count === n) done(undefined, data);
  });
  socket.on('connect_error', (error) => done(error));
  socket.on('disconnect', (reason) => done(new Error(`disconnected after ${count}: ${reason}`)));
  return promise;
};

/** centrifuge-js (JSON protocol) with a client-side subscription to channel `bench:N`. */
const centrifuge: ClientFactory = (ports) => (n) => {
  let count = 0;
  const client = new Centrifuge(`ws://127.0.0.1:${ports.centrifuge}/connection/websocket`, { websocket: WebSocket });
  const sub = client.newSubscription(`bench:${n}`);
  const { promise, done } = settle(() => client.disconnect());
  sub.on('publication', (ctx) => {
    if (++count === n) done(undefined, ctx.data);
  });
  sub.on('error', (ctx) => done(new Error(`centrifuge subscription: ${ctx.error.message}`)));
  client.on('error', (ctx) => done(new Error(`centrifuge: ${ctx.error.message}`)));
  sub.subscribe();
  client.connect();
  return promise;
};

/** anywire's `subscribe`, WebSocket transport over `ws`; anywire parses the JSON itself. */
const anywireWs: ClientFactory = async (ports) => {
  const loaded = await loadAnywire();
  if (loaded.api === undefined) throw new Error(`anywire not loaded: ${loaded.why}`);
  const { api } = loaded;
  return (n) => consumeAnywire(api, anywireOptions.websocket(wsUrl(ports, n)), n);
};

/** Every WebSocket client, by the row id of bench/ws.ts. */
export const clients = {
  anywire: anywireWs,
  'ws-on': rawWsOn,
  'ws-onmessage': rawWsOnmessage,
  partysocket,
  'socket.io-client': socketIo,
  centrifuge,
} satisfies Record<string, ClientFactory>;
