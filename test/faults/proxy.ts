// A fault-injecting TCP proxy on 127.0.0.1: the network between client and server, misbehaving on
// a seeded schedule (schedule.ts). It speaks no protocol beyond finding the end of a request head.

import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { FAULT_KINDS, type FaultKind, type Plan, planFor, statusOf } from './schedule.js';

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The upstream base URL (`http://127.0.0.1:PORT/`). */
  target: string;
  /** Seeds the schedule: the same seed gives every connection the same fault. */
  seed: number;
  /** Largest server→client byte offset of a `cut`, `reset` or `stall`. */
  maxCut: number;
  /** Overrides the schedule (the proxy's own tests force one kind). @defaultValue `planFor(seed, index, maxCut)` */
  plan?: (index: number) => Plan;
}

/** Faults injected so far, by kind; `passed` counts connections that closed before their fault. */
export type FaultCounts = Record<FaultKind | 'passed', number>;

/** A running proxy. */
export interface FaultProxy {
  /** The proxy's base URL, to give the client instead of the server's. */
  url: string;
  /** Faults injected, by kind (live). */
  readonly counts: Readonly<FaultCounts>;
  /** Faults injected in total. */
  injected(): number;
  /** Server→client bytes forwarded so far, all connections together. */
  forwarded(): number;
  /** Every connection, in accept order: its plan and when things happened to it. */
  readonly connections: readonly ConnectionRecord[];
  /** Destroys every socket and stops listening. */
  close(): Promise<void>;
}

/** One accepted connection. Times are `Date.now()` ms, like the client's clock. */
export interface ConnectionRecord extends Plan {
  accepted: number;
  /** When the fault was injected; undefined while it has not been (or never was: `passed`). */
  fired?: number;
  /** When the client's side of it closed. */
  closed?: number;
}

/** A request head longer than this is answered anyway (bounds the buffering of a status fault). */
const MAX_HEAD = 16 * 1024;

/** Starts the proxy on an ephemeral port of 127.0.0.1. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.target);
  const counts = Object.fromEntries([...FAULT_KINDS, 'passed'].map((kind) => [kind, 0])) as FaultCounts;
  const connections: ConnectionRecord[] = [];
  const schedule = options.plan ?? ((index: number) => planFor(options.seed, index, options.maxCut));
  const sockets = new Set<Socket>();
  const bytes = { forwarded: 0 };
  const track = (socket: Socket): Socket => {
    sockets.add(socket);
    // Resets are the point of this proxy: an error on either side just ends that connection.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    return socket;
  };

  const server = createServer((client) => {
    const plan: ConnectionRecord = { ...schedule(connections.length), accepted: Date.now() };
    connections.push(plan);
    track(client);
    const fire = (): void => {
      plan.fired = Date.now();
      counts[plan.kind]++;
    };
    client.on('close', () => {
      plan.closed = Date.now();
      if (plan.fired === undefined) counts.passed++;
    });
    const answer = statusOf(plan.kind);
    if (answer) answerItself(client, answer, fire);
    else forward(client, track(connect({ host: upstream.hostname, port: Number(upstream.port) })), plan, fire, bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    counts,
    injected: () => Object.entries(counts).reduce((sum, [kind, n]) => (kind === 'passed' ? sum : sum + n), 0),
    forwarded: () => bytes.forwarded,
    connections,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * Waits for the first request head (a GET or a WebSocket upgrade: no body), answers it with the
 * status itself and closes, without ever opening the upstream connection.
 */
function answerItself(client: Socket, answer: { status: 502 | 503; retryAfter: boolean }, fire: () => void): void {
  let head = '';
  const onData = (chunk: Buffer): void => {
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n') && head.length < MAX_HEAD) return;
    client.off('data', onData);
    fire();
    const reason = answer.status === 502 ? 'Bad Gateway' : 'Service Unavailable';
    const body = `injected ${answer.status}\n`;
    client.end(
      `HTTP/1.1 ${answer.status} ${reason}\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\nconnection: close\r\n` +
        `${answer.retryAfter ? 'retry-after: 1\r\n' : ''}\r\n${body}`,
    );
  };
  client.on('data', onData);
}

/**
 * Forwards both ways until `plan.at` server→client bytes have passed, then injects the fault with
 * the next byte: the bytes up to the offset go out, the rest never does.
 */
function forward(client: Socket, server: Socket, plan: Plan, fire: () => void, bytes: { forwarded: number }): void {
  let sent = 0;
  // `faulted`: the fault has fired, so nothing is forwarded any more, and (for a stall) a close
  // on the server's side is not passed on either: only the client can end a stalled line.
  let faulted = false;
  // Before the upstream connects, writes queue in the socket: nothing is lost or reordered.
  client.on('data', (chunk: Buffer) => {
    if (!faulted) server.write(chunk);
  });
  server.on('data', (chunk: Buffer) => {
    if (faulted) return;
    const left = plan.at - sent;
    if (chunk.length <= left) {
      sent += chunk.length;
      bytes.forwarded += chunk.length;
      client.write(chunk);
      return;
    }
    faulted = true;
    fire();
    const head = chunk.subarray(0, left);
    bytes.forwarded += left;
    if (plan.kind === 'cut') {
      client.end(head);
      server.destroy();
    } else if (plan.kind === 'reset') {
      // Like a real RST, it takes down bytes the client has not read yet. (A Node client that
      // was mid-read may report it as an end rather than ECONNRESET: libuv reads a hang-up after
      // a short read as EOF. On the wire it is a reset either way.)
      client.write(head);
      client.resetAndDestroy();
      server.destroy();
    } else {
      // Half-open: both sockets stay up, and whatever either side sends is dropped from now on.
      client.write(head);
    }
  });
  // A clean end on one side ends the other (after what is queued), until a fault has fired.
  server.on('end', () => faulted || client.end());
  client.on('end', () => faulted || server.end());
  server.on('close', () => faulted || client.end());
  // The client is the one that gives up on a stall: only then does the upstream go.
  client.on('close', () => server.destroy());
}
